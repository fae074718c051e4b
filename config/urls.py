"""URL wiring: each app owns its routes; nothing here holds logic."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from ancrage.api.app import api

urlpatterns: list[URLPattern | URLResolver] = [
    # First: LRS clients send the most requests, and each route above costs each a try.
    path("xapi/", include("ancrage.lrs.urls")),
    path("", include("ancrage.home.urls")),
    path("accounts/", include("ancrage.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("organisation/audit/", include("ancrage.audit.urls")),
    path("organisation/", include("ancrage.tenancy.urls")),
    path("privacy/", include("ancrage.privacy.urls")),
    path("licensing/", include("ancrage.licensing.urls")),
    path("studio/", include("ancrage.catalog.authoring.urls")),
    path("catalogue/", include("ancrage.catalog.browsing.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("play/", include("ancrage.player.urls")),
    path("engagement/", include("ancrage.engagement.urls")),
    path("bridges/", include("ancrage.bridges.urls")),
    path("habits/", include("ancrage.habits.urls")),
    path("notify/", include("ancrage.notify.urls")),
    path("microsoft365/", include("ancrage.microsoft365.urls")),
    path("transfer/", include("ancrage.transfer.urls")),
    path("evaluation/", include("ancrage.evaluation.urls")),
    path("exports/", include("ancrage.exports.urls")),
    path("lti/", include("ancrage.exports.lti13.urls")),
]

# django-allauth's own rate limits answer with our 429 page (Retry-After included).
handler429 = "ancrage.common.ratelimit.allauth_429"
