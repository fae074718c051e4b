"""URL wiring: each app owns its routes; nothing here holds logic."""

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("ancrage.home.urls")),
    path("accounts/", include("ancrage.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("organisation/", include("ancrage.tenancy.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
