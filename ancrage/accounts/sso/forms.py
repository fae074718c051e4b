"""Forms of the SSO pages: where to sign in, the admin's settings, linking an account."""

import re
import uuid
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.sso.identity import SsoRefused
from ancrage.accounts.sso.models import Protocol, SsoConnection
from ancrage.accounts.sso.oidc import check_endpoint
from ancrage.accounts.sso.queries import connection_claiming_domain

DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class ContinueForm(forms.Form):
    identifier = forms.CharField(
        label=_("Your work email or your organisation's short name"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "email", "autocapitalize": "none"}),
    )


class LinkForm(forms.Form):
    email = forms.EmailField(label=_("Email of the existing account"))


def normalise_certificate(text: str) -> str:
    """PEM or bare base64 in, PEM out; ValidationError if it is not an X.509 certificate."""
    body = text.strip()
    if "BEGIN CERTIFICATE" not in body:
        body = "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----"
    try:
        certificate = x509.load_pem_x509_certificate(body.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise ValidationError(
            _("This is not a PEM certificate: paste the IdP's signing certificate (X.509)."),
            code="certificate",
        ) from exc
    return certificate.public_bytes(Encoding.PEM).decode("ascii").strip()


class ConnectionForm(forms.ModelForm):  # type: ignore[type-arg]
    client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )

    class Meta:
        model = SsoConnection
        fields = (
            "protocol",
            "enabled",
            "mandatory",
            "email_domains",
            "default_role",
            "team_claim",
            "entra_tenant_id",
            "oidc_issuer",
            "oidc_client_id",
            "saml_idp_entity_id",
            "saml_idp_sso_url",
            "saml_idp_certificate",
        )
        widgets = {"saml_idp_certificate": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.has_client_secret:
            self.fields["client_secret"].help_text = _(
                "A secret is stored (never shown). Leave empty to keep it."
            )

    def _require(self, *names: str) -> None:
        for name in names:
            if not self.cleaned_data.get(name) and name not in self.errors:
                self.add_error(name, _("Required for this protocol."))

    def clean_email_domains(self) -> str:
        raw: str = self.cleaned_data["email_domains"]
        domains = [d.strip().lower() for d in raw.split(",") if d.strip()]
        for domain in domains:
            if not DOMAIN.match(domain):
                raise ValidationError(
                    _("“%(domain)s” is not a domain name (e.g. verdane.fr)."),
                    params={"domain": domain},
                )
            if connection_claiming_domain(domain, besides=self.instance):
                raise ValidationError(
                    _("“%(domain)s” is already used by another organisation's sign-in."),
                    params={"domain": domain},
                )
        return ", ".join(domains)

    def clean_entra_tenant_id(self) -> str:
        value: str = self.cleaned_data["entra_tenant_id"].strip().lower()
        if value:
            try:
                uuid.UUID(value)
            except ValueError as exc:
                raise ValidationError(
                    _("The tenant id is a GUID, e.g. 72f988bf-86f1-41af-91ab-2d7cd011db47."),
                ) from exc
        return value

    def _https(self, name: str) -> None:
        value = self.cleaned_data.get(name)
        if value:
            try:
                check_endpoint(value)
            except SsoRefused:
                self.add_error(name, _("Use an https:// address."))

    def clean_saml_idp_certificate(self) -> str:
        value: str = self.cleaned_data["saml_idp_certificate"]
        return normalise_certificate(value) if value.strip() else ""

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        protocol = data.get("protocol")
        enabled = data.get("enabled")
        if enabled or data.get("mandatory"):
            if protocol == Protocol.ENTRA:
                self._require("entra_tenant_id", "oidc_client_id")
            elif protocol == Protocol.OIDC:
                self._require("oidc_issuer", "oidc_client_id")
            elif protocol == Protocol.SAML:
                self._require("saml_idp_entity_id", "saml_idp_sso_url", "saml_idp_certificate")
            if (
                protocol in (Protocol.ENTRA, Protocol.OIDC)
                and not data.get("client_secret")
                and not self.instance.has_client_secret
            ):
                self.add_error("client_secret", _("Required for this protocol."))
        if data.get("mandatory") and not enabled:
            self.add_error("mandatory", _("Enable the connection before making it mandatory."))
        self._https("oidc_issuer")
        self._https("saml_idp_sso_url")
        return data
