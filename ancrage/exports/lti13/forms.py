"""The registration form an L&D lead fills in with what the LMS shows after adding the tool."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.exports.lti13.models import Registration
from ancrage.exports.lti13.platform import PlatformError, check_url


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, help_text=_("For example: Moodle"))
    issuer = forms.URLField(label=_("Platform ID (issuer)"), max_length=300, assume_scheme="https")
    client_id = forms.CharField(label=_("Client ID"), max_length=200)
    deployment_ids = forms.CharField(
        label=_("Deployment IDs"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    auth_login_url = forms.URLField(
        label=_("Authentication request URL"), max_length=500, assume_scheme="https"
    )
    keyset_url = forms.URLField(
        label=_("Public keyset URL (JWKS)"), max_length=500, assume_scheme="https"
    )
    access_token_url = forms.URLField(
        label=_("Access token URL"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Needed for grades (AGS) and the course roster (NRPS)."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, instance: Registration | None = None, **kwargs: Any) -> None:
        self.instance = instance
        if instance is not None and not args:
            kwargs["initial"] = {
                "name": instance.name,
                "issuer": instance.issuer,
                "client_id": instance.client_id,
                "deployment_ids": "\n".join(instance.deployment_ids),
                "auth_login_url": instance.auth_login_url,
                "keyset_url": instance.keyset_url,
                "access_token_url": instance.access_token_url,
                "is_active": instance.is_active,
            }
        super().__init__(*args, **kwargs)

    def clean_deployment_ids(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["deployment_ids"].splitlines()]
        ids = [line for line in lines if line]
        if not ids:
            raise forms.ValidationError(_("Give at least one deployment ID."))
        if any(len(i) > 255 for i in ids):
            raise forms.ValidationError(_("A deployment ID is at most 255 characters."))
        return ids

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("issuer", "auth_login_url", "keyset_url", "access_token_url"):
            value = data.get(name)
            if not value or name == "issuer":
                continue
            try:
                check_url(value)
            except PlatformError:
                self.add_error(name, _("Use an https:// address."))
        issuer, client_id = data.get("issuer"), data.get("client_id")
        if issuer and client_id:
            clash = Registration.objects.filter(issuer=issuer.strip(), client_id=client_id.strip())
            if self.instance is not None:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError(
                    _("This platform and client ID are already registered.")
                )
        return data

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)
