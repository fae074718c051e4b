"""SSO rows: one connection per organisation, identities (issuer, subject), one-time ids.

These models belong to the accounts app (they are imported by ancrage.accounts.models).
The OIDC client secret is stored encrypted (ancrage.accounts.sso.crypto) and never shown back.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ancrage.common.models import BaseModel
from ancrage.tenancy.models import Organisation, Role

ENTRA_ISSUER = "{authority}/{tenant}/v2.0"
LINK_LIFETIME = timedelta(days=14)


class Protocol(models.TextChoices):
    ENTRA = "entra", _("Microsoft Entra ID (OpenID Connect)")
    OIDC = "oidc", _("Other OpenID Connect provider")
    SAML = "saml", _("SAML 2.0")


# Just-in-time provisioning never grants more than this: administrators are made by people.
PROVISIONING_ROLES = (Role.LEARNER, Role.MANAGER)


class SsoConnection(BaseModel):
    """How one organisation's people sign in through its identity provider."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="sso_connection"
    )
    protocol = models.CharField(
        _("protocol"), max_length=8, choices=Protocol.choices, default=Protocol.ENTRA
    )
    enabled = models.BooleanField(_("enabled"), default=False)
    mandatory = models.BooleanField(
        _("SSO is mandatory"),
        default=False,
        help_text=_(
            "Members can no longer sign in with a password or an emailed code; "
            "organisation admins keep both as a break-glass path."
        ),
    )
    email_domains = models.CharField(
        _("email domains"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated, e.g. verdane.fr, verdane.com"),
    )
    default_role = models.CharField(
        _("role of people created at first sign-in"),
        max_length=16,
        choices=[(role.value, role.label) for role in PROVISIONING_ROLES],
        default=Role.LEARNER,
    )
    team_claim = models.CharField(
        _("claim or attribute naming the team"),
        max_length=200,
        blank=True,
        help_text=_("Optional, e.g. department. Matched against your team names."),
    )
    # OpenID Connect
    entra_tenant_id = models.CharField(
        _("Entra tenant id"),
        max_length=36,
        blank=True,
        help_text=_("Microsoft Entra ID only: the Directory (tenant) ID of your app registration."),
    )
    oidc_issuer = models.URLField(
        _("issuer URL"),
        max_length=500,
        blank=True,
        help_text=_(
            "Other OpenID Connect providers only, e.g. https://idp.example.com/realms/staff"
        ),
    )
    oidc_client_id = models.CharField(_("client id"), max_length=255, blank=True)
    oidc_client_secret_encrypted = models.TextField(blank=True, editable=False)
    # SAML 2.0
    saml_idp_entity_id = models.CharField(_("IdP entity id"), max_length=500, blank=True)
    saml_idp_sso_url = models.URLField(_("IdP sign-in URL"), max_length=500, blank=True)
    saml_idp_certificate = models.TextField(_("IdP signing certificate (PEM)"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("SSO connection")
        verbose_name_plural = _("SSO connections")

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_protocol_display()}"

    @property
    def is_oidc(self) -> bool:
        return self.protocol in (Protocol.ENTRA, Protocol.OIDC)

    @property
    def has_client_secret(self) -> bool:
        return bool(self.oidc_client_secret_encrypted)

    @property
    def issuer(self) -> str:
        """The only issuer accepted in tokens and assertions of this connection."""
        if self.protocol == Protocol.ENTRA:
            return ENTRA_ISSUER.format(
                authority=settings.SSO_ENTRA_AUTHORITY.rstrip("/"),
                tenant=self.entra_tenant_id.lower(),
            )
        if self.protocol == Protocol.OIDC:
            return self.oidc_issuer.rstrip("/")
        return self.saml_idp_entity_id

    def domains(self) -> list[str]:
        return [d.strip().lower() for d in self.email_domains.split(",") if d.strip()]

    @property
    def is_usable(self) -> bool:
        """Enabled and complete enough to send someone to the identity provider."""
        if not self.enabled:
            return False
        if self.is_oidc:
            has_issuer = bool(
                self.entra_tenant_id if self.protocol == Protocol.ENTRA else self.oidc_issuer
            )
            return has_issuer and bool(self.oidc_client_id) and self.has_client_secret
        return bool(self.saml_idp_entity_id and self.saml_idp_sso_url and self.saml_idp_certificate)


class SsoIdentity(BaseModel):
    """A person as their identity provider knows them: (issuer, subject), never their email."""

    connection = models.ForeignKey(
        SsoConnection, on_delete=models.CASCADE, related_name="identities"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identities"
    )
    issuer = models.CharField(max_length=500)
    subject = models.CharField(max_length=255)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("SSO identity")
        verbose_name_plural = _("SSO identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="sso_identity_unique_sub")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.subject}"


class SsoAccountLink(BaseModel):
    """An admin's permission for an existing account to be claimed at its first SSO sign-in.

    Without it, a first sign-in whose email belongs to an existing account is refused.
    """

    connection = models.ForeignKey(SsoConnection, on_delete=models.CASCADE, related_name="links")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("account opened to single sign-on")
        verbose_name_plural = _("accounts opened to single sign-on")
        constraints = [
            models.UniqueConstraint(fields=["connection", "user"], name="sso_link_one_per_user")
        ]

    def __str__(self) -> str:
        return str(self.user)

    @staticmethod
    def default_expiry() -> datetime:
        return timezone.now() + LINK_LIFETIME


class SsoUsedMessageId(models.Model):
    """A SAML response or assertion id already accepted: a second use is a replay."""

    connection = models.ForeignKey(SsoConnection, on_delete=models.CASCADE, related_name="+")
    message_id = models.CharField(max_length=255)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "message_id"], name="sso_used_message_id_unique"
            )
        ]

    def __str__(self) -> str:
        return self.message_id
