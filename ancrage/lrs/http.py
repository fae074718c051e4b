"""The HTTP envelope shared by every xAPI resource.

`xapi_endpoint` turns a handler `(XapiRequest) -> HttpResponse` into a Django view that:
authenticates Basic credentials (401), checks scopes (403) and the per-key rate limit (429
with Retry-After), negotiates `X-Experience-API-Version` (400 when missing or unsupported),
unwraps the 1.0.3 alternate request syntax, caps body size (413), maps our exceptions to
400/404/409/412, and answers 503 with Retry-After when the database is unreachable — never 500
for an outage. CSRF does not apply: these endpoints authenticate every request with
credentials in the Authorization header, not with cookies.
"""

import base64
import binascii
import logging
import math
import select
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import orjson
import psycopg
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from ancrage.common.ratelimit import Counter, Limit
from ancrage.lrs.actions import (
    DocumentConflict,
    PreconditionFailed,
    StatementConflict,
    format_stored,
)
from ancrage.lrs.models import LrsCredential
from ancrage.lrs.queries import credential_for_key
from ancrage.lrs.validation import ValidationError

logger = logging.getLogger(__name__)

SUPPORTED_VERSIONS = ("2.0.0", "1.0.3")
_ALTERNATE_HEADERS = {
    "authorization",
    "x-experience-api-version",
    "content-type",
    "content-length",
    "if-match",
    "if-none-match",
}


class HttpError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass
class XapiRequest:
    method: str
    params: dict[str, str]
    headers: dict[str, str]
    body: bytes
    content_type: str
    version: str
    credential: LrsCredential
    django: HttpRequest
    head: bool = False
    response_headers: dict[str, str] = field(default_factory=dict)

    @property
    def organisation(self) -> Any:
        return self.credential.organisation

    @property
    def is_v2(self) -> bool:
        return self.version.startswith("2")

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def json_response(data: Any, status: int = 200) -> HttpResponse:
    return HttpResponse(orjson.dumps(data), status=status, content_type="application/json")


def error_response(status: int, message: str, field_name: str = "") -> HttpResponse:
    body: dict[str, Any] = {"error": {"code": status, "message": message}}
    if field_name:
        body["error"]["field"] = field_name
    return json_response(body, status=status)


# The version each key last spoke, per process: a request that omits the version header is
# answered (with its 400) in the version that client uses, not in a fixed default.
_LAST_VERSION: dict[str, str] = {}


def _basic_key(header: str | None) -> str:
    if not header or not header.lower().startswith("basic "):
        return ""
    try:
        return base64.b64decode(header[6:].strip(), validate=True).decode().partition(":")[0]
    except (binascii.Error, UnicodeDecodeError):
        return ""


def fallback_version(request: HttpRequest) -> str:
    return _LAST_VERSION.get(
        _basic_key(request.headers.get("authorization")), SUPPORTED_VERSIONS[0]
    )


def _negotiate_version(raw: str | None, *, required: bool) -> str:
    if raw is None or not raw.strip():
        if required:
            raise HttpError(400, "the X-Experience-API-Version header is required")
        return SUPPORTED_VERSIONS[0]
    value = raw.strip()
    parts = value.split(".")
    if value in ("1.0", "2.0") or (
        len(parts) == 3 and parts[0] in ("1", "2") and parts[1] == "0" and parts[2].isdigit()
    ):
        return "2.0.0" if parts[0] == "2" else "1.0.3"
    raise HttpError(
        400, f"X-Experience-API-Version {value!r} is not supported (use 2.0.0 or 1.0.3)"
    )


def _authenticate(header: str | None) -> LrsCredential:
    challenge = {"WWW-Authenticate": 'Basic realm="xAPI"'}
    if not header or not header.lower().startswith("basic "):
        raise HttpError(401, "send Basic credentials (LRS key and secret)", challenge)
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise HttpError(
            401, "the Authorization header is not valid Basic credentials", challenge
        ) from exc
    key, _, secret = decoded.partition(":")
    credential = credential_for_key(key) if key and len(key) <= 64 else None
    if credential is None or not credential.secret_matches(secret) or not credential.is_usable():
        raise HttpError(401, "unknown, revoked or expired LRS credentials", challenge)
    return credential


def _rate_limit(credential: LrsCredential) -> None:
    """The key's requests per minute, counted across workers (common.ratelimit.Counter)."""
    limit = credential.rate_limit_per_minute
    if not limit:
        return
    now = time.time()
    count, ends = Counter(f"lrs-key:{credential.key}", Limit(limit, 60)).add_request(now)
    if count > limit:
        retry = max(1, math.ceil(ends - now))
        raise HttpError(429, "rate limit exceeded for this LRS key", {"Retry-After": str(retry)})


def skip_health_check_when_quiet(db: BaseDatabaseWrapper = connection) -> None:
    """Spare the request Django's connection health check (a `SELECT 1` round trip, as long
    as the statement insert itself) when the reused connection's socket is quiet. A server
    that restarts, or ends the session, sends its FATAL message and closes the socket, which
    makes it readable: then the check runs as usual and reconnects. A connection that dies
    without a word fails its first query: 503 with Retry-After, and Django drops it."""
    # health_check_enabled/_done: BaseDatabaseWrapper's (Django ≥ 4.1), not in the stubs.
    if (
        db.vendor != "postgresql"
        or db.connection is None
        or not getattr(db, "health_check_enabled", False)
        or getattr(db, "health_check_done", True)
    ):
        return
    try:
        poller = select.poll()
        poller.register(db.connection.pgconn.socket, select.POLLIN)
        quiet = not poller.poll(0)
    except (OSError, ValueError, psycopg.Error):
        return
    if quiet:
        db.health_check_done = True  # type: ignore[attr-defined]


def _read_body(request: HttpRequest) -> bytes:
    limit: int = settings.LRS_MAX_BODY_BYTES
    declared = request.META.get("CONTENT_LENGTH") or "0"
    try:
        length = int(declared)
    except ValueError as exc:
        raise HttpError(400, "Content-Length is not a number") from exc
    if length > limit:
        raise HttpError(413, f"the body exceeds the {limit} byte limit")
    body = request.read(limit + 1) if length else b""
    if len(body) > limit:
        raise HttpError(413, f"the body exceeds the {limit} byte limit")
    return body


def _headers(meta: Mapping[str, Any]) -> dict[str, str]:
    """The request headers with lower-case names: Django's `request.headers`, read in one
    pass over META (building that mapping was a tenth of a statement's CPU)."""
    headers = {}
    for key, value in meta.items():
        if key.startswith("HTTP_"):
            headers[key[5:].replace("_", "-").lower()] = value
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            headers[key.replace("_", "-").lower()] = value
    return headers


def _build(request: HttpRequest, *, version_required: bool, authenticate: bool) -> XapiRequest:
    headers = _headers(request.META)
    params = dict(parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True))
    method = request.method or "GET"
    body = _read_body(request)
    content_type = headers.get("content-type", "")
    if method == "POST" and "method" in params:
        method, params, headers, body, content_type = _alternate(
            params, headers, body, content_type
        )
    version = _negotiate_version(headers.get("x-experience-api-version"), required=version_required)
    if method != request.method and version.startswith("2"):
        raise HttpError(400, "xAPI 2.0 no longer accepts the alternate request syntax")
    head = method == "HEAD"
    if authenticate or headers.get("authorization"):
        credential = _authenticate(headers.get("authorization"))
        _rate_limit(credential)
        if _LAST_VERSION.get(credential.key) != version and len(_LAST_VERSION) < 10_000:
            _LAST_VERSION[credential.key] = version
    else:
        credential = LrsCredential()
    return XapiRequest(
        "GET" if head else method,
        params,
        headers,
        body,
        content_type,
        version,
        credential,
        request,
        head=head,
    )


def _alternate(
    params: dict[str, str], headers: dict[str, str], body: bytes, content_type: str
) -> tuple[str, dict[str, str], dict[str, str], bytes, str]:
    """xAPI 1.0.3 §7.8: POST ?method=X with headers, parameters and content in a form body."""
    method = params.pop("method").upper()
    if params:
        raise HttpError(400, "the alternate request syntax allows only ?method= in the query")
    if method not in ("GET", "PUT", "POST", "DELETE", "HEAD"):
        raise HttpError(400, f"method {method!r} is not an xAPI method")
    if content_type.split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
        raise HttpError(400, "the alternate request syntax needs application/x-www-form-urlencoded")
    form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    new_headers = dict(headers)
    new_params: dict[str, str] = {}
    content = b""
    for key, value in form.items():
        lower = key.lower()
        if lower in _ALTERNATE_HEADERS:
            new_headers[lower] = value
        elif key == "content":
            content = value.encode()
        else:
            new_params[key] = value
    new_type = new_headers.get("content-type", "application/json" if content else "")
    if new_headers.get("content-type", "").lower().startswith("application/x-www-form-urlencoded"):
        new_type = "application/json"
        new_headers["content-type"] = new_type
    return method, new_params, new_headers, content, new_type


Handler = Callable[[XapiRequest], HttpResponse]


def xapi_endpoint(
    methods: tuple[str, ...],
    *,
    scopes: Mapping[str, tuple[str, ...]],
    version_required: bool = True,
    authenticate: bool = True,
) -> Callable[[Handler], Callable[[HttpRequest], HttpResponse]]:
    """Wrap a handler with the xAPI envelope; `scopes` maps a method to the scopes it accepts."""

    def decorate(handler: Handler) -> Callable[[HttpRequest], HttpResponse]:
        @csrf_exempt
        def view(request: HttpRequest) -> HttpResponse:
            version = ""  # until negotiated: see fallback_version
            skip_health_check_when_quiet()
            try:
                xreq = _build(request, version_required=version_required, authenticate=authenticate)
                version = xreq.version
                if xreq.method not in methods:
                    raise HttpError(405, f"{xreq.method} is not allowed on this resource")
                needed = scopes.get(xreq.method, ())
                if needed and not xreq.credential.allows(*needed):
                    raise HttpError(403, "this LRS key lacks the scope for this request")
                response = handler(xreq)
                for key, value in xreq.response_headers.items():
                    response[key] = value
                if xreq.head:
                    response.content = b""
            except HttpError as exc:
                response = error_response(exc.status, exc.message)
                for key, value in exc.headers.items():
                    response[key] = value
            except ValidationError as exc:
                response = error_response(400, exc.message, exc.field)
            except StatementConflict as exc:
                response = error_response(409, str(exc))
            except DocumentConflict as exc:
                response = error_response(409, str(exc))
            except PreconditionFailed as exc:
                response = error_response(412, str(exc))
            except (OperationalError, InterfaceError) as exc:
                logger.warning("LRS database unavailable: %s", exc)
                response = error_response(503, "the record store is briefly unavailable; retry")
                response["Retry-After"] = str(settings.LRS_RETRY_AFTER_SECONDS)
            except DatabaseError as exc:
                if _looks_like_outage(exc):
                    logger.warning("LRS database unavailable: %s", exc)
                    response = error_response(503, "the record store is briefly unavailable; retry")
                    response["Retry-After"] = str(settings.LRS_RETRY_AFTER_SECONDS)
                else:
                    raise
            response["X-Experience-API-Version"] = version or fallback_version(request)
            if "X-Experience-API-Consistent-Through" not in response and request.path.endswith(
                "/statements"
            ):
                response["X-Experience-API-Consistent-Through"] = iso_now()
            return response

        view.__name__ = handler.__name__
        view.__doc__ = handler.__doc__
        return view

    return decorate


def _looks_like_outage(exc: DatabaseError) -> bool:
    text = str(exc).lower()
    return any(
        marker in text
        for marker in (
            "connection",
            "terminating",
            "shutting down",
            "server closed",
            "database is locked",
        )
    )


def iso_now() -> str:
    return format_stored(timezone.now())


def parse_json(body: bytes, field_name: str = "body") -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ValidationError(field_name, f"is not valid JSON ({exc})") from exc
