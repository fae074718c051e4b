"""Sign-in for framed pages: the popup that signs in, and the exchange that opens a session.

`sign_in_popup` runs top-level on our origin (opened by `embed.js` from the framed page):
it sends anyone not signed in through the ordinary sign-in, then hands a one-time token to
its opener with `postMessage(…, our origin)`. `exchange` turns that token into a session
kept in partitioned cookies (see `embedding.middleware`).
"""

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from ancrage.microsoft365.embedding.actions import (
    FramedSignInError,
    redeem_framed_sign_in,
    start_framed_sign_in,
)
from ancrage.microsoft365.embedding.middleware import POPUP_COOKIE, mark_framed

POPUP_SECONDS = 600


@require_GET
@never_cache
def sign_in_popup(request: HttpRequest) -> HttpResponse:
    request._embed_popup = True  # type: ignore[attr-defined]
    if not request.user.is_authenticated:
        redirect = redirect_to_login(request.get_full_path())
        redirect.set_cookie(
            POPUP_COOKIE,
            "1",
            max_age=POPUP_SECONDS,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
        return redirect
    token = start_framed_sign_in(user=request.user)
    response = render(
        request,
        "microsoft365/sign_in_popup.html",
        {"token": token, "origin": request.build_absolute_uri("/").rstrip("/")},
    )
    response.delete_cookie(POPUP_COOKIE)
    return response


@csrf_exempt  # no CSRF cookie can exist in a framed page yet; the one-time token is the proof
@require_POST
@never_cache
def exchange(request: HttpRequest) -> HttpResponse:
    origin = request.headers.get("Origin", "")
    if origin and origin != request.build_absolute_uri("/").rstrip("/"):
        return JsonResponse({"error": _("Sign-in must come from an Ancrage page.")}, status=403)
    try:
        user = redeem_framed_sign_in(token=request.POST.get("token", ""))
    except FramedSignInError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    mark_framed(request)
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    return JsonResponse({"ok": True})
