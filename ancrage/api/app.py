"""The public API (django-ninja): mounted at /api/, OpenAPI at /api/openapi.json, docs at
/api/docs. Every endpoint needs an organisation's API key (see `ancrage.api.auth`)."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csp import csp_override
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from ancrage.api.auth import ApiKeyAuth
from ancrage.api.errors import ApiError
from ancrage.licensing.api import router as licensing_router

# Swagger UI (served from our own static files, no CDN) sets inline styles: allow them on
# the docs page only.
_docs_csp = csp_override(
    {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
)

api = NinjaAPI(
    title="Ancrage API",
    version="1",
    description=(
        "For an organisation's HR system: licences and seat use, programmes, assignments and "
        "enrolments. Authenticate with `Authorization: Bearer <API key>`; each key belongs to "
        "one organisation and carries scopes."
    ),
    urls_namespace="api",
    auth=ApiKeyAuth(),
    docs_decorator=_docs_csp,
)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return api.create_response(request, exc.body(), status=exc.status)


@api.exception_handler(AuthenticationError)
def _no_key(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "Send an API key in the header 'Authorization: Bearer <key>'."},
        status=401,
    )


api.add_router("/", licensing_router)
