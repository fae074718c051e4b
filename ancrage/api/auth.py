"""API-key authentication (`Authorization: Bearer anc_<prefix>_<secret>`) and scope checks.

Unknown, malformed or revoked keys answer 401 with a sentence saying which; a valid key
without the endpoint's scope answers 403 naming the missing scope. `request.auth` is the
ApiKey, whose organisation scopes every read and write.
"""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from ancrage.api.errors import ApiError
from ancrage.api.models import KEY_PREFIX, ApiKey


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiKey:
        parts = token.strip().split("_", 2)
        if len(parts) != 3 or parts[0] != KEY_PREFIX or not parts[1] or not parts[2]:
            raise ApiError(401, "This is not an Ancrage API key (expected anc_<prefix>_<secret>).")
        key = ApiKey.objects.select_related("organisation").filter(prefix=parts[1]).first()
        if key is None or not key.matches(parts[2]):
            raise ApiError(401, "Unknown API key.")
        if key.is_revoked:
            raise ApiError(401, "This API key has been revoked; ask for a new one.")
        now = timezone.now()
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
        return key


def api_key(request: HttpRequest) -> ApiKey:
    key: Any = getattr(request, "auth", None)
    assert isinstance(key, ApiKey)
    return key


def require_scope(request: HttpRequest, scope: str) -> ApiKey:
    """The request's key, if it carries `scope`; 403 naming the scope otherwise."""
    key = api_key(request)
    if not key.has_scope(scope):
        raise ApiError(
            403, f"This API key lacks the scope “{scope}”.", code="missing_scope", field=scope
        )
    return key
