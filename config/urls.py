"""URL wiring: each app owns its routes; nothing here holds logic."""

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from ancrage.api.app import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("ancrage.home.urls")),
    path("accounts/", include("ancrage.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("organisation/", include("ancrage.tenancy.urls")),
    path("licensing/", include("ancrage.licensing.urls")),
    path("studio/", include("ancrage.catalog.authoring.urls")),
    path("catalogue/", include("ancrage.catalog.browsing.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("xapi/", include("ancrage.lrs.urls")),
    path("play/", include("ancrage.player.urls")),
    path("engagement/", include("ancrage.engagement.urls")),
    path("notify/", include("ancrage.notify.urls")),
    path("transfer/", include("ancrage.transfer.urls")),
    path("evaluation/", include("ancrage.evaluation.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
