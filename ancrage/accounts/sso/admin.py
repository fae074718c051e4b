"""Django admin for platform operators: see and switch off connections (break-glass).

The encrypted client secret is not editable here; organisation admins set it on their page.
"""

from django.contrib import admin

from ancrage.accounts.sso.models import SsoConnection, SsoIdentity


@admin.register(SsoConnection)
class SsoConnectionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("organisation", "protocol", "enabled", "mandatory", "updated_at")
    list_filter = ("protocol", "enabled", "mandatory")
    search_fields = ("organisation__name", "organisation__slug", "email_domains")
    readonly_fields = ("updated_by",)


@admin.register(SsoIdentity)
class SsoIdentityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "connection", "subject", "last_login_at")
    search_fields = ("user__email", "subject")
    readonly_fields = ("connection", "user", "issuer", "subject", "last_login_at")
