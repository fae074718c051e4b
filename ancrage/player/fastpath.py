"""The card endpoint's lean lane: `GET /play/<code>/cards/<key>` skips the page middleware.

The player asks for a card on every move, and the page budget says the endpoint must serve
at least 5 % of what nginx serves for a static file (docs/adr/0005-player-card-endpoint-lane.md).
The full middleware stack (CSP, CSRF, messages, allauth, the membership lookup…) costs more
than the whole card. This WSGI wrapper sends that one URL shape, for GET only, to a Django
handler with the middleware a JSON read needs — security headers, the session, the language — and everything else to the normal application.

Nothing is skipped that the view relies on: the same URL conf and view run (`views.card`);
the view authenticates from the session itself, folding Django's session check (user
active, session hash of the password) into its one query for the membership, enrolment and
progress (player.queries.card_context), and asks the entitlement. CSRF does not
apply to GET, and the view renders no template (so CSP and messages have nothing to do).
"""

import re
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

CARD_PATH = re.compile(r"^/play/[^/]+/cards/[^/]+$")
LEAN_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
]

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class LeanHandler(WSGIHandler):
    """A WSGI handler whose middleware chain is LEAN_MIDDLEWARE."""

    def load_middleware(self, is_async: bool = False) -> None:
        saved = settings.MIDDLEWARE
        settings.MIDDLEWARE = LEAN_MIDDLEWARE
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = saved


def with_card_lane(application: WsgiApp) -> WsgiApp:
    """Wrap the project's WSGI application (config/wsgi.py)."""
    lean = LeanHandler()

    def dispatch(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") == "GET" and CARD_PATH.match(environ.get("PATH_INFO", "")):
            return lean(environ, start_response)
        return application(environ, start_response)

    return dispatch
