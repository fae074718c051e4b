"""The demo's Microsoft 365 set-up for Verdane.

- its Teams app (stable app id), ready to download by Nadia (organisation admin) once
  SITE_URL is https — on the local demo the page explains why it is not;
- its LMS and intranet allowed to frame the tab pages, the player and path pages;
- the « Verdane — Général » Teams channel (Workflows webhook) the campaigns post to;
- a channel tab for the Service client team showing the managers' programme;
- Microsoft Entra object ids for Léa and Karim (placeholders), and the Viva Learning
  provider recorded but not switched on (that needs a real tenant).

Idempotent: re-running updates the same rows.
"""

import uuid

from django.db import transaction

from ancrage.demo.engagement import DEMO_WEBHOOK
from ancrage.licensing.models import Programme
from ancrage.microsoft365.actions import (
    configure_viva,
    ensure_microsoft365_settings,
    save_embed_hosts,
    set_entra_object_id,
)
from ancrage.microsoft365.models import ChannelTab
from ancrage.notify.models import TeamsChannel
from ancrage.tenancy.models import Membership, Organisation

EMBED_HOSTS = ["formation.verdane.fr", "*.intranet.verdane.fr"]
# Placeholders in Entra's format; a real tenant gives its own.
ENTRA_IDS = {
    "lea@verdane.fr": "3f1c2a9e-6b7d-4e21-9c0a-5d8e7f6a1b01",
    "karim@verdane.fr": "8a4e1b2c-9d3f-4a5b-8e6c-7f0a1b2c3d02",
}
DEMO_PROVIDER_ID = "7d1e4c2a-0b9f-4e3d-a5c6-1f2e3d4c5b6a"
DEMO_TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47"  # Microsoft's documentation example


@transaction.atomic
def load_microsoft365() -> list[str]:
    verdane = Organisation.objects.get(slug="verdane")
    config = ensure_microsoft365_settings(organisation=verdane)
    save_embed_hosts(config=config, hosts=EMBED_HOSTS)
    configure_viva(
        config=config, provider_id=DEMO_PROVIDER_ID, tenant_id=DEMO_TENANT_ID, enabled=False
    )
    channel, _ = TeamsChannel.objects.update_or_create(
        organisation=verdane,
        name="Verdane — Général",
        defaults={"webhook_url": DEMO_WEBHOOK, "active": True},
    )
    for email, object_id in ENTRA_IDS.items():
        member = Membership.objects.filter(organisation=verdane, user__email=email).first()
        if member is not None:
            set_entra_object_id(membership=member, object_id=uuid.UUID(object_id))
    lines = [
        f"Verdane : application Teams {config.teams_app_id} (version {config.package_version}), "
        f"onglets personnel et d'équipe",
        f"Verdane : intégration autorisée depuis {', '.join(EMBED_HOSTS)} et Microsoft 365",
        f"Verdane : canal Teams « {channel.name} » relié par un webhook Workflows",
    ]
    programme = Programme.objects.filter(organisation=verdane).order_by("title").first()
    karim = Membership.objects.filter(organisation=verdane, user__email="karim@verdane.fr").first()
    if programme is not None:
        ChannelTab.objects.get_or_create(
            organisation=verdane, programme=programme, defaults={"created_by": karim}
        )
        lines.append(f"Verdane : onglet d'équipe « {programme.title} »")
    lines.append(
        "Verdane : Viva Learning enregistré, synchronisation désactivée (locataire réel requis)"
    )
    return lines
