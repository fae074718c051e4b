"""Staff admin for LRS credentials: list, revoke and rotate (the new secret is shown once).

Creating a credential from the command line prints its secret once:
`manage.py lrs_credential create --organisation SLUG --scopes all`.
"""

from datetime import timedelta

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ancrage.lrs.actions import revoke_credential, rotate_credential
from ancrage.lrs.models import ForwardingTarget, LrsCredential


@admin.register(LrsCredential)
class LrsCredentialAdmin(admin.ModelAdmin[LrsCredential]):
    list_display = ("label", "organisation", "key", "created_at", "expires_at", "revoked_at")
    list_filter = ("organisation",)
    search_fields = ("label", "key")
    readonly_fields = ("key", "secret_hash", "created_at", "last_used_at")
    actions = ("revoke", "rotate")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # secrets are issued by `lrs_credential create`, shown once

    @admin.action(description=_("Revoke now"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[LrsCredential]) -> None:
        for credential in queryset:
            revoke_credential(credential=credential)
        self.message_user(request, _("Credentials revoked."), messages.SUCCESS)

    @admin.action(description=_("Rotate (old key keeps working for 24 hours)"))
    def rotate(self, request: HttpRequest, queryset: QuerySet[LrsCredential]) -> None:
        for credential in queryset:
            issued = rotate_credential(credential=credential, overlap=timedelta(hours=24))
            self.message_user(
                request,
                _("New key %(key)s, secret %(secret)s — copy it now, it is not shown again.")
                % {"key": issued.credential.key, "secret": issued.secret},
                messages.WARNING,
            )


@admin.register(ForwardingTarget)
class ForwardingTargetAdmin(admin.ModelAdmin[ForwardingTarget]):
    list_display = ("organisation", "endpoint", "enabled")
    list_filter = ("enabled",)
