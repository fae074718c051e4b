"""An organisation's Microsoft 365 set-up: its Teams app, who may frame our pages, Viva Learning.

- `Microsoft365Settings`: one row per organisation, created on first use. The Teams app id
  is a UUID drawn once and never changed (Teams matches updates of a package by it); the
  package version grows each time a setting that goes into the manifest changes.
- `embed_hosts`: host names (optionally `*.` wildcards) of the organisation's own LMS or
  intranet that may frame the tab pages, the player and the programme page, on top of the
  Microsoft 365 hosts. Validated when saved (`embedding.hosts.validate_embed_host`).
- `EntraIdentity`: the Microsoft Entra object id of a member, which Viva Learning needs as
  `learnerUserId`; nullable, because most people are never synced.
- `ChannelTab`: what a team pinned in a Teams channel tab (a programme or a themed event).
- `EmbedSignIn`: one-time tokens of the popup sign-in used by framed pages.
- `VivaRecord`: what was last sent to Viva Learning for one object, so a sync sends changes only.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.common.models import BaseModel
from ancrage.tenancy.models import Membership, Organisation


class Microsoft365Settings(BaseModel):
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="microsoft365"
    )
    teams_app_id = models.UUIDField(_("Teams app id"), default=uuid.uuid4, unique=True)
    package_revision = models.PositiveIntegerField(_("package revision"), default=0)
    embed_hosts = models.JSONField(_("hosts allowed to embed Ancrage"), default=list, blank=True)
    viva_provider_id = models.CharField(
        _("Viva Learning provider registration id"), max_length=100, blank=True
    )
    viva_tenant_id = models.CharField(_("Microsoft Entra tenant id"), max_length=100, blank=True)
    viva_enabled = models.BooleanField(_("sync with Viva Learning"), default=False)
    viva_last_sync_at = models.DateTimeField(_("last Viva Learning sync"), null=True, blank=True)
    viva_last_result = models.CharField(_("result of the last sync"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Microsoft 365 settings")
        verbose_name_plural = _("Microsoft 365 settings")

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def package_version(self) -> str:
        """Semantic version of the Teams app package (grows with each manifest change)."""
        return f"1.0.{self.package_revision}"


class EntraIdentity(BaseModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="entra_identity"
    )
    object_id = models.UUIDField(_("Microsoft Entra object id"), null=True, blank=True)

    class Meta:
        verbose_name = _("Microsoft Entra identity")
        verbose_name_plural = _("Microsoft Entra identities")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "object_id"], name="entra_identity_unique_object"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership} · {self.object_id or '-'}"


class ChannelTab(BaseModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(
        "licensing.Programme", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    campaign = models.ForeignKey(
        "engagement.Campaign", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Teams channel tab")
        verbose_name_plural = _("Teams channel tabs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(programme__isnull=False, campaign__isnull=True)
                | models.Q(programme__isnull=True, campaign__isnull=False),
                name="channel_tab_one_subject",
            )
        ]

    def __str__(self) -> str:
        return str(self.programme or self.campaign)


class EmbedSignIn(BaseModel):
    """A sign-in done in a popup, waiting to be exchanged once by the framed page."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("framed sign-in")
        verbose_name_plural = _("framed sign-ins")

    def __str__(self) -> str:
        return self.nonce[:8]


class VivaRecord(BaseModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16)  # "content" or "activity"
    external_id = models.CharField(max_length=200)
    graph_id = models.CharField(max_length=200, blank=True)
    digest = models.CharField(max_length=64)
    synced_at = models.DateTimeField()

    class Meta:
        verbose_name = _("Viva Learning record")
        verbose_name_plural = _("Viva Learning records")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "external_id"], name="viva_record_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.external_id}"
