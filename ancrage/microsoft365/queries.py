"""Reads of microsoft365 and its access helpers.

The settings page and the package belong to the organisation's admins; the channel tab
choices to its L&D leads, admins and managers. A Teams tab URL names the organisation by
its Teams app id: an unknown id is a 404, and a person signed in to another organisation
never sees this one's content.
"""

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from ancrage.engagement.models import Campaign, CampaignKind
from ancrage.licensing.models import Programme
from ancrage.microsoft365.models import ChannelTab, EntraIdentity, Microsoft365Settings
from ancrage.tenancy.models import Membership, Organisation, Role

TAB_CONFIGURERS = (Role.MANAGER, Role.LD_LEAD, Role.ORG_ADMIN)


def _uuid_or_404(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def settings_of(organisation: Organisation) -> Microsoft365Settings | None:
    return Microsoft365Settings.objects.filter(organisation=organisation).first()


def config_for_app(app_id: Any) -> Microsoft365Settings:
    """The settings row a Teams tab URL names (404 for an unknown app id)."""
    found = (
        Microsoft365Settings.objects.select_related("organisation")
        .filter(teams_app_id=_uuid_or_404(app_id))
        .first()
    )
    if found is None:
        raise Http404
    return found


def require_admin(actor: Membership) -> None:
    if actor.role != Role.ORG_ADMIN:
        raise PermissionDenied


def tab_programmes(actor: Membership) -> "QuerySet[Programme]":
    if actor.role not in TAB_CONFIGURERS:
        return Programme.objects.none()
    return Programme.objects.filter(organisation_id=actor.organisation_id).order_by("title")


def tab_events(actor: Membership) -> "QuerySet[Campaign]":
    if actor.role not in TAB_CONFIGURERS:
        return Campaign.objects.none()
    return Campaign.objects.filter(
        organisation_id=actor.organisation_id, kind=CampaignKind.EVENT
    ).order_by("-starts_on")


def access_tab_subject(actor: Membership, choice: str) -> Programme | Campaign:
    """What `choice` (``programme:<id>`` or ``event:<id>``, from the configuration page)
    names among what the actor may pin; 404 for anything else."""
    kind, _sep, subject_id = choice.partition(":")
    rows: QuerySet[Programme] | QuerySet[Campaign]
    if kind == "programme":
        rows = tab_programmes(actor)
    elif kind == "event":
        rows = tab_events(actor)
    else:
        raise Http404
    found = rows.filter(pk=_uuid_or_404(subject_id)).first()
    if found is None:
        raise Http404
    return found


def access_channel_tab(actor: Membership, config: Microsoft365Settings, tab_id: Any) -> ChannelTab:
    """A tab of the app's organisation, for any member of that organisation (404 otherwise)."""
    if actor.organisation_id != config.organisation_id:
        raise Http404
    found = (
        ChannelTab.objects.select_related("programme", "campaign")
        .filter(organisation_id=actor.organisation_id, pk=_uuid_or_404(tab_id))
        .first()
    )
    if found is None:
        raise Http404
    return found


def entra_object_ids(organisation_id: uuid.UUID) -> dict[uuid.UUID, str]:
    """Membership id → Entra object id, for the members who have one."""
    return {
        membership_id: str(object_id)
        for membership_id, object_id in EntraIdentity.objects.filter(
            organisation_id=organisation_id, object_id__isnull=False
        ).values_list("membership_id", "object_id")
    }
