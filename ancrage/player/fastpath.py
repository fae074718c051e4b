"""The card endpoint's lane: `GET /play/<code>/cards/<key>` answered before Django's handler.

The player asks for a card on every move, and issue 5's budget wants that endpoint at 5 % or
more of what nginx serves for a static file (bench/player/card_bench.py, ADR 0005). Django's
request cycle — fifteen middleware, URL resolving, a response object, a health check and a
session read before the query — costs several times the card itself. This WSGI wrapper
(config/wsgi.py) answers the common case on its own, with the same checks:

* the session: its row must exist and be unexpired, name one of our model backends, a user
  who is active and whose password has not changed since (the session's auth hash) — what
  `django.contrib.auth.get_user` checks. The row is read in the same SQL statement as the
  rest (`queries.card_row`: user, membership, enrolment, version, progress and
  `licensing.entitlements.SEATED_SQL`), so a card costs one round trip (a prepared
  statement on PostgreSQL). A session's decoded content is remembered per process, keyed by
  its key, and checked against the row's current data on every request;
* the host (ALLOWED_HOSTS), the scheme and the language are Django's own answers
  (`HttpRequest.get_host`, `is_secure`, `get_language_from_request`), remembered per
  combination of the request headers they read;
* the body is the view's (`queries.card_body`); the headers are the full stack's — the
  security headers come from SecurityMiddleware, the CSP middleware and
  XFrameOptionsMiddleware themselves, asked once per scheme (`_security_headers`).

Everything else goes to the full stack, which gives the answer and its reason: no session or
an unusual one, every refusal (401, 403, 404), a host not in ALLOWED_HOSTS, plain http when
https is required, the framed sign-in popup, a malformed CSRF cookie (Django would replace
it), any error. So the lane only ever says yes, and only when the full stack would say the
same yes (tests/test_card_lane.py compares status, headers and body).
"""

import io
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable
from importlib import import_module
from typing import Any, NamedTuple

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, HttpResponse, parse_cookie
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.middleware.csrf import CSRF_SECRET_LENGTH, CSRF_TOKEN_LENGTH
from django.middleware.security import SecurityMiddleware
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.module_loading import import_string

from ancrage.microsoft365.embedding.middleware import (
    FRAMED_CSRF_COOKIE,
    FRAMED_SESSION_COOKIE,
    POPUP_COOKIE,
)
from ancrage.player import queries

logger = logging.getLogger(__name__)

# Narrower than the URL conf's <str:…>: anything else takes the full stack.
CARD_PATH = re.compile(r"^/play/(?P<code>[A-Za-z0-9_.-]+)/cards/(?P<key>[A-Za-z0-9_.-]+)$")
DB_SESSION_ENGINES = (
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
)
# What HttpRequest.get_host() and is_secure() read (with the proxy header, if configured).
_HOST_KEYS = (
    "HTTP_X_FORWARDED_HOST",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "HTTP_X_FORWARDED_PORT",
    "wsgi.url_scheme",
)
_SESSIONS_MAX = 10_000  # about 1 KB each
_FACTS_MAX = 1_000

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class _Session(NamedTuple):
    """A session row's data and what it says (decoded once per process)."""

    data: str
    user_id: uuid.UUID
    auth_hash: str
    password: str | None  # the password field the auth hash was checked against (None: not yet)


class _Handover(Exception):
    """Let the full stack answer."""


def lane_enabled() -> bool:
    """The lane reads sessions from the session table and sends no cookie: it stands aside
    for other session engines, SESSION_SAVE_EVERY_REQUEST, DISALLOWED_USER_AGENTS and
    language-prefixed URLs (their answers would differ)."""
    return (
        settings.SESSION_ENGINE in DB_SESSION_ENGINES
        and not settings.SESSION_SAVE_EVERY_REQUEST
        and not settings.DISALLOWED_USER_AGENTS
        and not is_language_prefix_patterns_used(settings.ROOT_URLCONF)[0]
    )


def _model_backends() -> frozenset[str]:
    """Backends whose `get_user` is ModelBackend's: the user by id, refused when inactive."""
    return frozenset(
        path
        for path in settings.AUTHENTICATION_BACKENDS
        if issubclass(backend := import_string(path), ModelBackend)
        and backend.get_user is ModelBackend.get_user
        and backend.user_can_authenticate is ModelBackend.user_can_authenticate
    )


def _security_headers(request: HttpRequest) -> list[tuple[str, str]]:
    """The headers the security middleware add to a JSON 200 (they depend on the settings and
    the scheme only), asked of those middleware so they stay the one place that decides."""
    response = HttpResponse()
    for middleware in (
        SecurityMiddleware,
        ContentSecurityPolicyMiddleware,
        XFrameOptionsMiddleware,
    ):
        response = middleware(HttpResponse).process_response(request, response)
    return [(k, v) for k, v in response.items() if k != "Content-Type"]


def _csrf_cookie_ok(value: str | None) -> bool:
    """Django replaces a malformed CSRF cookie (a Set-Cookie the lane does not send)."""
    return value is None or (
        len(value) in (CSRF_SECRET_LENGTH, CSRF_TOKEN_LENGTH)
        and value.isascii()
        and value.isalnum()
    )


class CardLane:
    """The WSGI application of the lane; `application` answers everything else."""

    def __init__(self, application: WsgiApp) -> None:
        self.application = application
        self.store = import_module(settings.SESSION_ENGINE).SessionStore
        self.backends = _model_backends()
        proxy = settings.SECURE_PROXY_SSL_HEADER
        self.fact_keys = (*_HOST_KEYS, proxy[0]) if proxy else _HOST_KEYS
        # (those headers, Accept-Language, language cookie) -> (language, headers) or None
        self.facts: dict[tuple[Any, ...], tuple[str, list[tuple[str, str]]] | None] = {}
        self.sessions: dict[str, _Session] = {}

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        match = (
            CARD_PATH.match(environ.get("PATH_INFO", ""))
            if environ.get("REQUEST_METHOD") == "GET"
            else None
        )
        if match is not None:
            try:
                return self.serve(environ, start_response, match["code"], match["key"])
            except _Handover:
                pass
            except DatabaseError:
                # A dropped connection (a server restart…): the full stack reconnects.
                logger.warning("card lane: database error, handing over", exc_info=True)
                db = connections[DEFAULT_DB_ALIAS]
                if not db.in_atomic_block:  # never inside a transaction (a test's)
                    db.close()
            except Exception:
                logger.exception("card lane: handing over to the full stack")
        return self.application(environ, start_response)

    def serve(
        self, environ: dict[str, Any], start_response: Callable[..., Any], code: str, key: str
    ) -> Iterable[bytes]:
        cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
        facts = self.request_facts(environ, cookies.get(settings.LANGUAGE_COOKIE_NAME))
        session_key = cookies.get(settings.SESSION_COOKIE_NAME)
        csrf = cookies.get(settings.CSRF_COOKIE_NAME)
        if session_key is None and FRAMED_SESSION_COOKIE in cookies:
            # A framed page's partitioned cookies, read as FramedSessionMiddleware does.
            session_key = cookies[FRAMED_SESSION_COOKIE]
            csrf = cookies.get(FRAMED_CSRF_COOKIE, csrf)
        if facts is None or not session_key or POPUP_COOKIE in cookies or not _csrf_cookie_ok(csrf):
            raise _Handover
        _recycle_old_connection()
        session = self.sessions.get(session_key) or self.load(session_key)
        row = queries.card_row(user_id=session.user_id, code=code, key=key, session_key=session_key)
        if row is None or not row.seated or row.session_data is None:
            raise _Handover
        if row.session_data != session.data:  # first seen, or changed since
            fresh = self.decode(session_key, row.session_data)
            if fresh.user_id != session.user_id:
                raise _Handover
            session = fresh
        if not self.verified(session_key, session, row.password):
            raise _Handover
        language, headers = facts
        body = queries.card_body(row, key, language)
        if body is None:
            raise _Handover
        start_response("200 OK", [*headers, ("Content-Length", str(len(body)))])
        return [body]

    def request_facts(
        self, environ: dict[str, Any], language_cookie: str | None
    ) -> tuple[str, list[tuple[str, str]]] | None:
        """Django's answers for this host, scheme and language: (language, the response's
        headers but its length), or None when the full stack must answer (a host not
        allowed, plain http under SECURE_SSL_REDIRECT)."""
        key = (
            *(environ.get(name) for name in self.fact_keys),
            environ.get("HTTP_ACCEPT_LANGUAGE"),
            language_cookie,
        )
        try:
            return self.facts[key]
        except KeyError:
            pass
        request = WSGIRequest(
            {
                "REQUEST_METHOD": "GET",
                "PATH_INFO": "/",
                "wsgi.input": io.BytesIO(),
                **{name: environ[name] for name in self.fact_keys if name in environ},
                **(
                    {"HTTP_ACCEPT_LANGUAGE": environ["HTTP_ACCEPT_LANGUAGE"]}
                    if "HTTP_ACCEPT_LANGUAGE" in environ
                    else {}
                ),
            }
        )
        answer: tuple[str, list[tuple[str, str]]] | None = None
        try:
            request.get_host()
        except DisallowedHost:
            pass
        else:
            if request.is_secure() or not settings.SECURE_SSL_REDIRECT:
                request.COOKIES = (
                    {settings.LANGUAGE_COOKIE_NAME: language_cookie}
                    if language_cookie is not None
                    else {}
                )
                language = translation.get_language_from_request(request)
                answer = (
                    language,
                    [
                        ("Content-Type", "application/json"),
                        ("Cache-Control", "private, no-cache"),
                        ("Vary", "Accept-Language, Cookie"),
                        ("Content-Language", language),
                        *_security_headers(request),
                    ],
                )
        if len(self.facts) >= _FACTS_MAX:
            self.facts.clear()
        self.facts[key] = answer
        return answer

    def load(self, session_key: str) -> _Session:
        """A session seen for the first time in this process, read by its engine (its row's
        data, compared on every request, comes with the card's row)."""
        return self.remember(session_key, "", self.store(session_key=session_key).load())

    def decode(self, session_key: str, raw: str) -> _Session:
        return self.remember(session_key, raw, self.store().decode(raw))

    def remember(self, session_key: str, raw: str, data: dict[str, Any]) -> _Session:
        user_id = data.get(SESSION_KEY)
        auth_hash = data.get(HASH_SESSION_KEY)
        if not user_id or not auth_hash or data.get(BACKEND_SESSION_KEY) not in self.backends:
            raise _Handover
        session = _Session(
            data=raw, user_id=uuid.UUID(str(user_id)), auth_hash=auth_hash, password=None
        )
        if len(self.sessions) >= _SESSIONS_MAX:
            self.sessions.clear()
        self.sessions[session_key] = session
        return session

    def verified(self, session_key: str, session: _Session, password: str) -> bool:
        """The session's auth hash is the HMAC of the current password field (a password
        change signs every other session out); checked once per password value."""
        if session.password == password:
            return True
        expected = get_user_model()(password=password).get_session_auth_hash()
        if not constant_time_compare(session.auth_hash, expected):
            return False  # or a SECRET_KEY_FALLBACKS hash: Django updates the session
        self.sessions[session_key] = session._replace(password=password)
        return True


def _recycle_old_connection() -> None:
    """CONN_MAX_AGE, as Django's request signals apply it — without their health check, which
    costs a round trip (a dead connection fails the query instead, and the full stack
    answers). Never inside a transaction (a test's)."""
    db = connections[DEFAULT_DB_ALIAS]
    close_at = getattr(db, "close_at", None)
    if (
        db.connection is not None
        and close_at is not None
        and not db.in_atomic_block
        and time.monotonic() >= close_at
    ):
        db.close()


def with_card_lane(application: WsgiApp) -> WsgiApp:
    """Wrap the project's WSGI application (config/wsgi.py)."""
    return CardLane(application) if lane_enabled() else application
