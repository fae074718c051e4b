"""URLconf of the test-only cmi5 "LMS" (browser tests): our LRS at /xapi/ acting as the LMS's
LRS, the exported package served from a temp dir, and the LMS's fetch endpoint that hands
the AU its auth token once (cmi5 section 8.2)."""

import base64
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.static import serve

PACKAGE_ROOT: list[Path] = []  # set by the test
TOKENS: dict[str, str] = {}  # fetch key → "key:secret" of an LRS credential (used once)


def package(request: HttpRequest, name: str) -> Any:
    response = serve(request, name, document_root=str(PACKAGE_ROOT[0]))
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
def fetch(request: HttpRequest, key: str) -> HttpResponse:
    if request.method != "POST":
        return JsonResponse({"error-code": "3", "error-text": "POST only"}, status=405)
    pair = TOKENS.pop(key, None)
    if pair is None:  # already fetched: the spec's error code 1
        return JsonResponse({"error-code": "1", "error-text": "already in use"})
    return JsonResponse({"auth-token": base64.b64encode(pair.encode()).decode()})


urlpatterns: list[URLPattern | URLResolver] = [
    path("xapi/", include("ancrage.lrs.urls")),
    path("test-lms/package/<path:name>", package),
    path("test-lms/fetch/<str:key>", fetch),
]
