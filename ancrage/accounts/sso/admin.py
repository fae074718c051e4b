"""Django admin for platform operators: see and switch off connections (break-glass).

The encrypted client secret is not editable here; organisation admins set it on their page.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ancrage.accounts.sso.models import SsoConnection, SsoIdentity
from ancrage.audit.actions import record
from ancrage.audit.models import Action


@admin.register(SsoConnection)
class SsoConnectionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("organisation", "protocol", "enabled", "mandatory", "updated_at")
    list_filter = ("protocol", "enabled", "mandatory")
    search_fields = ("organisation__name", "organisation__slug", "email_domains")
    readonly_fields = ("updated_by",)

    def save_model(self, request: HttpRequest, obj: SsoConnection, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if form.changed_data:  # the organisation's audit log shows operators' changes too
            record(
                action=Action.SSO_CHANGED,
                user_id=request.user.pk,
                target=obj,
                details={
                    "created": not change,
                    "protocol": obj.protocol,
                    "enabled": obj.enabled,
                    "mandatory": obj.mandatory,
                    "settings_changed": ",".join(sorted(form.changed_data))[:120],
                    "by_platform_staff": True,
                },
            )


@admin.register(SsoIdentity)
class SsoIdentityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "connection", "subject", "last_login_at")
    search_fields = ("user__email", "subject")
    readonly_fields = ("connection", "user", "issuer", "subject", "last_login_at")
