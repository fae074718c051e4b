"""Writes of microsoft365: the organisation's settings, channel tabs, Entra identities.

Every function is keyword-only and transactional; refusals are ValidationError with a
message the admin can act on (the same text the settings page shows).
"""

import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ancrage.engagement.models import Campaign
from ancrage.licensing.models import Programme
from ancrage.microsoft365.embedding.hosts import clean_embed_hosts
from ancrage.microsoft365.models import ChannelTab, EntraIdentity, Microsoft365Settings
from ancrage.tenancy.models import Membership, Organisation


@transaction.atomic
def ensure_microsoft365_settings(*, organisation: Organisation) -> Microsoft365Settings:
    """The organisation's row, created with a fresh Teams app id the first time."""
    config, _created = Microsoft365Settings.objects.get_or_create(organisation=organisation)
    return config


@transaction.atomic
def save_embed_hosts(*, config: Microsoft365Settings, hosts: Iterable[str]) -> list[str]:
    """Replace the hosts allowed to frame Ancrage; ValidationError names each bad host."""
    cleaned = clean_embed_hosts(hosts)
    config.embed_hosts = cleaned
    config.save(update_fields=["embed_hosts", "updated_at"])
    return cleaned


@transaction.atomic
def configure_viva(
    *, config: Microsoft365Settings, provider_id: str, tenant_id: str, enabled: bool
) -> Microsoft365Settings:
    provider_id, tenant_id = provider_id.strip(), tenant_id.strip()
    if enabled and not (provider_id and tenant_id):
        raise ValidationError(
            _(
                "To sync with Viva Learning, enter the provider registration id and the "
                "Microsoft Entra tenant id given when the provider was registered."
            ),
            code="viva_incomplete",
        )
    config.viva_provider_id = provider_id
    config.viva_tenant_id = tenant_id
    config.viva_enabled = enabled
    config.save(update_fields=["viva_provider_id", "viva_tenant_id", "viva_enabled", "updated_at"])
    return config


@transaction.atomic
def create_channel_tab(
    *,
    actor: Membership,
    programme: Programme | None = None,
    campaign: Campaign | None = None,
) -> ChannelTab:
    """Record what a team pins in its channel tab (exactly one programme or one event)."""
    if (programme is None) == (campaign is None):
        raise ValidationError(_("Choose one programme or one themed event."), code="subject")
    subject = programme or campaign
    assert subject is not None
    if subject.organisation_id != actor.organisation_id:
        raise ValidationError(_("Choose one programme or one themed event."), code="subject")
    return ChannelTab.objects.create(
        organisation_id=actor.organisation_id,
        programme=programme,
        campaign=campaign,
        created_by=actor,
    )


@transaction.atomic
def set_entra_object_id(*, membership: Membership, object_id: uuid.UUID | str | None) -> None:
    """Store (or clear) the person's Microsoft Entra object id, used by Viva Learning."""
    value = uuid.UUID(str(object_id)) if object_id else None
    EntraIdentity.objects.update_or_create(
        membership=membership,
        defaults={"organisation_id": membership.organisation_id, "object_id": value},
    )
