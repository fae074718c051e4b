"""Per-request audit context (IP, user agent) and the record of refused authorisations.

A signed-in person who gets a 403 (a role guard, a CSRF failure, any PermissionDenied) or a
404 raised by a view (the `access_*` helpers answer 404 for another organisation's ids) leaves
an `access_denied` entry. 404s of unknown URLs never reach a view and are not recorded.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from ancrage.audit.actions import bind_request, record, unbind
from ancrage.audit.models import Action

_DENIED = "_audit_denied"


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR: the reverse proxy is expected to set it (no client-supplied header trusted)."""
    return request.META.get("REMOTE_ADDR") or None


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = bind_request(client_ip(request), request.META.get("HTTP_USER_AGENT", ""))
        try:
            response = self.get_response(request)
            status = response.status_code
            raised_404 = getattr(request, _DENIED, False)
            if (status == 403 or (status == 404 and raised_404)) and _signed_in(request):
                membership = getattr(request, "membership", None)
                match = request.resolver_match
                record(
                    action=Action.ACCESS_DENIED,
                    actor=membership,
                    user_id=request.user.pk,
                    details={
                        "status": status,
                        "method": request.method or "",
                        "view": (match.view_name if match else "")[:120],
                        "path": request.path[:120],
                    },
                )
            return response
        finally:
            unbind(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, Http404 | PermissionDenied):
            setattr(request, _DENIED, True)


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)
