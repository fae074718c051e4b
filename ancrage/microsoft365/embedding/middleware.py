"""Sessions inside a frame, without third-party cookies: a partitioned cookie (CHIPS).

A page framed by Teams or an LMS is a third-party context: browsers that block third-party
cookies never send our ordinary `SameSite=Lax` session cookie there. After the popup
sign-in (`embedding.views`), the framed page gets its own session in cookies named
`FRAMED_SESSION_COOKIE` / `FRAMED_CSRF_COOKIE`, marked `Secure; SameSite=None; Partitioned`:
the browser keeps them per top-level site (Teams' session is not the LMS's, and neither is
the top-level one), so they still work when third-party cookies are blocked.

This middleware sits before SessionMiddleware: when a request carries the framed cookies and
not the ordinary ones, it hands them to Django under the ordinary names; on the way out it
renames the session and CSRF cookies Django sets back to the framed names with the
partitioned attributes. Python's `http.cookies` (3.13) has no `Partitioned` attribute, so
it is appended to the SameSite value, which is written unquoted.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

FRAMED_SESSION_COOKIE = "ancrage_framed_session"
FRAMED_CSRF_COOKIE = "ancrage_framed_csrf"
POPUP_COOKIE = "ancrage_embed_popup"
PARTITIONED_SAMESITE = "None; Partitioned"


def _pairs() -> tuple[tuple[str, str], ...]:
    return (
        (settings.SESSION_COOKIE_NAME, FRAMED_SESSION_COOKIE),
        (settings.CSRF_COOKIE_NAME, FRAMED_CSRF_COOKIE),
    )


def mark_framed(request: HttpRequest) -> None:
    """This request's session lives in the partitioned cookies (set by the token exchange)."""
    request._framed_session = True  # type: ignore[attr-defined]


class FramedSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if FRAMED_SESSION_COOKIE in request.COOKIES and (
            settings.SESSION_COOKIE_NAME not in request.COOKIES
        ):
            mark_framed(request)
            for ordinary, framed in _pairs():
                if framed in request.COOKIES:
                    request.COOKIES[ordinary] = request.COOKIES[framed]
        response = self.get_response(request)
        if getattr(request, "_framed_session", False):
            for ordinary, framed in _pairs():
                morsel = response.cookies.get(ordinary)
                if morsel is None:
                    continue
                del response.cookies[ordinary]
                response.cookies[framed] = morsel.value
                copy = response.cookies[framed]
                for key in ("expires", "max-age", "path", "domain", "httponly"):
                    if morsel[key]:
                        copy[key] = morsel[key]
                copy["secure"] = True
                copy["samesite"] = PARTITIONED_SAMESITE
        if POPUP_COOKIE in request.COOKIES or getattr(request, "_embed_popup", False):
            # The sign-in popup must keep `window.opener` (the framed page, whose top-level
            # document is Teams): COOP same-origin would cut it on the first navigation.
            response.headers["Cross-Origin-Opener-Policy"] = "unsafe-none"
        return response
