"""Staff admin for LRS credentials (list, revoke, rotate: the new secret is shown once) and
for an organisation's forwarding target. Every change goes through `lrs.actions`, which
records it in the organisation's audit log with the staff user as its author.

Creating a credential from the command line prints its secret once:
`manage.py lrs_credential create --organisation SLUG --scopes all --by EMAIL`.
"""

from datetime import timedelta
from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ancrage.accounts.models import User
from ancrage.lrs.actions import (
    remove_forwarding_target,
    revoke_credential,
    rotate_credential,
    save_forwarding_target,
)
from ancrage.lrs.models import ForwardingTarget, LrsCredential


def _staff(request: HttpRequest) -> User:
    """Django's admin is only open to signed-in staff: the user is one of our accounts."""
    return cast(User, request.user)


@admin.register(LrsCredential)
class LrsCredentialAdmin(admin.ModelAdmin[LrsCredential]):
    list_display = ("label", "organisation", "key", "created_at", "expires_at", "revoked_at")
    list_filter = ("organisation",)
    search_fields = ("label", "key")
    # Revocation and rotation go through the actions below (audited); scopes, organisation,
    # authority and dates cannot be edited here: a different key is a new one.
    readonly_fields = (
        "organisation",
        "key",
        "secret_hash",
        "scopes",
        "authority",
        "expires_at",
        "revoked_at",
        "created_at",
        "last_used_at",
    )
    actions = ("revoke", "rotate")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # secrets are issued by `lrs_credential create`, shown once

    @admin.action(description=_("Revoke now"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[LrsCredential]) -> None:
        revoked = sum(
            revoke_credential(credential=credential, by=_staff(request)) for credential in queryset
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d credential revoked (a revoked one stays as it was).",
                "%(count)d credentials revoked (a revoked one stays as it was).",
                revoked,
            )
            % {"count": revoked},
            messages.SUCCESS,
        )

    @admin.action(description=_("Rotate (old key keeps working for 24 hours)"))
    def rotate(self, request: HttpRequest, queryset: QuerySet[LrsCredential]) -> None:
        for credential in queryset:
            issued = rotate_credential(
                credential=credential,
                overlap=timedelta(hours=24),
                by=_staff(request),
            )
            self.message_user(
                request,
                _("New key %(key)s, secret %(secret)s — copy it now, it is not shown again.")
                % {"key": issued.credential.key, "secret": issued.secret},
                messages.WARNING,
            )


class ForwardingTargetForm(forms.ModelForm[ForwardingTarget]):
    """The secret is never shown back; left empty on a change, the current one is kept."""

    password = forms.CharField(
        label=_("secret"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the current secret."),
    )

    class Meta:
        model = ForwardingTarget
        fields = ("organisation", "endpoint", "username", "password", "enabled")

    def clean_password(self) -> str:
        typed: str = self.cleaned_data["password"]
        if typed:
            return typed
        if self.instance.pk is None:
            raise forms.ValidationError(_("Give the secret of your LRS."))
        return self.instance.password


@admin.register(ForwardingTarget)
class ForwardingTargetAdmin(admin.ModelAdmin[ForwardingTarget]):
    form = ForwardingTargetForm
    list_display = ("organisation", "endpoint", "enabled")
    list_filter = ("enabled",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("organisation",) if obj is not None else ()

    def save_model(
        self, request: HttpRequest, obj: ForwardingTarget, form: Any, change: bool
    ) -> None:
        save_forwarding_target(target=obj, by=_staff(request))

    def delete_model(self, request: HttpRequest, obj: ForwardingTarget) -> None:
        remove_forwarding_target(target=obj, by=_staff(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ForwardingTarget]) -> None:
        for target in queryset:
            remove_forwarding_target(target=target, by=_staff(request))
