"""The xAPI lane: requests under /xapi/ skip the middleware that only serves pages.

LRS clients prove who they are on every request with an LRS key (HTTP Basic), never with a
session or a cookie, and the xAPI views read neither the session, the signed-in user,
messages nor a CSRF token (they are CSRF-exempt). This WSGI wrapper (config/wsgi.py) sends
/xapi/ requests to a Django handler whose middleware is the project's list minus `PAGE_ONLY`:
static files, framed and ordinary sessions, CSRF, authentication, messages, allauth and the
membership lookup (a query for a signed-in browser). Everything else still runs, in the same
order — security headers and CSP, the language (of the 429 sentence), CommonMiddleware
(allowed hosts, refused user agents), the rate limits and the audit context — and so does any
middleware added to settings later. Same URL conf, same views; every other path takes the
full stack (tests/test_lane.py compares the two).
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

PREFIX = "/xapi/"
PAGE_ONLY = frozenset(
    {
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "ancrage.microsoft365.embedding.middleware.FramedSessionMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "allauth.account.middleware.AccountMiddleware",
        "ancrage.tenancy.middleware.MembershipMiddleware",
    }
)

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def lane_middleware() -> list[str]:
    return [path for path in settings.MIDDLEWARE if path not in PAGE_ONLY]


class XapiHandler(WSGIHandler):
    """A WSGI handler whose middleware chain is `lane_middleware()`."""

    def load_middleware(self, is_async: bool = False) -> None:
        saved = settings.MIDDLEWARE
        settings.MIDDLEWARE = lane_middleware()
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = saved


def with_xapi_lane(application: WsgiApp) -> WsgiApp:
    """Wrap the project's WSGI application (config/wsgi.py)."""
    lane = XapiHandler()

    def dispatch(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "").startswith(PREFIX):
            return lane(environ, start_response)
        return application(environ, start_response)

    return dispatch
