"""LTI 1.3 rows: our signing keys, one platform registration per client organisation, and
what launches leave behind (one-time logins, identities, resource links, score links,
contexts for the roster, deep-linking requests, new-window handovers).

Every row but `ToolKey` carries its organisation. `ToolKey` is the tool's own key pair
(not tenant data): the JWKS publishes the current key and the previous one, so a platform
that cached the old key keeps verifying our messages while we rotate.
"""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ancrage.catalog.models import Path
from ancrage.common.models import BaseModel
from ancrage.tenancy.models import Membership, Organisation


class KeyStatus(models.TextChoices):
    CURRENT = "current", _("Current")
    PREVIOUS = "previous", _("Previous")
    RETIRED = "retired", _("Retired")


class ToolKey(BaseModel):
    """An RSA key pair of the tool; exactly one is current (signs), one may be previous."""

    kid = models.CharField(_("key id"), max_length=64, unique=True)
    private_pem = models.TextField(_("private key (PEM)"), editable=False)
    public_jwk = models.JSONField(_("public key (JWK)"), editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=KeyStatus.choices, default=KeyStatus.CURRENT
    )

    class Meta:
        verbose_name = _("tool key")
        verbose_name_plural = _("tool keys")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="current"),
                name="lti13_one_current_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kid} ({self.status})"


class Registration(BaseModel):
    """The LMS of a client organisation, as its administrator registered our tool there."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="lti_registrations"
    )
    name = models.CharField(_("name"), max_length=120)
    issuer = models.URLField(_("issuer"), max_length=300)
    client_id = models.CharField(_("client id"), max_length=200)
    deployment_ids = models.JSONField(_("deployment ids"), default=list, blank=True)
    auth_login_url = models.URLField(_("platform authentication URL"), max_length=500)
    keyset_url = models.URLField(_("platform JWKS URL"), max_length=500)
    access_token_url = models.URLField(_("access token URL"), max_length=500, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # The platform's public keys as last fetched (refetched once when an unknown kid shows up).
    platform_jwks = models.JSONField(default=dict, blank=True, editable=False)
    jwks_fetched_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("LTI registration")
        verbose_name_plural = _("LTI registrations")
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "client_id"], name="lti13_registration_unique_client"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def allows_deployment(self, deployment_id: str) -> bool:
        return deployment_id in self.deployment_ids


class LoginAttempt(BaseModel):
    """One OIDC login initiation: its state and nonce are good for one launch only."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=64, unique=True)
    nonce = models.CharField(max_length=64, unique=True)
    target_link_uri = models.URLField(max_length=500)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["expires_at"])]


class Identity(BaseModel):
    """Who an LMS user is here: keyed by (issuer, LTI `sub`), never by email."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="identities"
    )
    issuer = models.CharField(max_length=300)
    sub = models.CharField(max_length=255)
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="lti_identities"
    )
    name = models.CharField(_("name in the LMS"), max_length=200, blank=True)
    email = models.CharField(_("email in the LMS"), max_length=254, blank=True)
    last_launch_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("LTI identity")
        verbose_name_plural = _("LTI identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "sub"], name="lti13_identity_unique_sub")
        ]

    def __str__(self) -> str:
        return f"{self.sub} · {self.issuer}"


class ResourceLink(BaseModel):
    """A placement in the LMS and the path it opens (learned from `path_code`)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    resource_link_id = models.CharField(max_length=255)
    path = models.ForeignKey(Path, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "resource_link_id"], name="lti13_resource_link_unique"
            )
        ]


class Context(BaseModel):
    """An LMS course seen in a launch, with its NRPS memberships URL (for the roster)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="contexts"
    )
    context_id = models.CharField(max_length=255)
    title = models.CharField(_("course"), max_length=255, blank=True)
    memberships_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ("title",)
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "context_id"], name="lti13_context_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title or self.context_id


class ScoreLink(BaseModel):
    """Where a learner's score for a path goes in the LMS (AGS line item), and what was sent."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    identity = models.ForeignKey(Identity, on_delete=models.CASCADE, related_name="+")
    path = models.ForeignKey(Path, on_delete=models.PROTECT, related_name="+")
    lineitem_url = models.URLField(max_length=500)
    # The completion already published (the task does nothing when it matches).
    published_completion_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("LMS score link")
        verbose_name_plural = _("LMS score links")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "membership", "lineitem_url"],
                name="lti13_score_link_unique",
            )
        ]


class DeepLinkRequest(BaseModel):
    """An LtiDeepLinkingRequest waiting for the LMS administrator's pick (one answer)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    deployment_id = models.CharField(max_length=255)
    return_url = models.URLField(max_length=500)
    data = models.TextField(blank=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)


class Handover(BaseModel):
    """A one-time sign-in for a new window when the LMS iframe would not keep our cookie."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    next_url = models.CharField(max_length=500)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("LMS sign-in handover")
        verbose_name_plural = _("LMS sign-in handovers")

    def usable(self, now: datetime | None = None) -> bool:
        return self.used_at is None and self.expires_at > (now or timezone.now())


def lti_settings() -> dict[str, Any]:
    """Tunables (read at call time, never at import)."""
    return {
        "login_lifetime": getattr(settings, "LTI_LOGIN_LIFETIME_SECONDS", 600),
        "handover_lifetime": getattr(settings, "LTI_HANDOVER_LIFETIME_SECONDS", 120),
        "leeway": getattr(settings, "LTI_CLOCK_LEEWAY_SECONDS", 60),
    }
