"""Reads of engagement, and the access_* helpers: the one door to campaigns, events, reports.

Campaigns, their messages and reports belong to the L&D leads and organisation admins of
the organisation; the campaign's landing page (`{lien}`) is open to every member of the
organisation once the campaign is scheduled. Anything else answers Http404.

Audience resolution: everyone, or the members of the chosen teams *with their sub-teams*,
and/or of the chosen roles (both given: people in those teams with those roles); only
active members. Who has "started" or "finished" reads player enrolments on the campaign's
paths (its own paths plus its programme's).
"""

import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from ancrage.catalog.models import PathVersion, VersionStatus
from ancrage.engagement.models import (
    Campaign,
    CampaignKind,
    CampaignMessage,
    CampaignStatus,
    EventReport,
    MessageAudience,
)
from ancrage.licensing.models import ProgrammeItem
from ancrage.player.models import Enrolment, EnrolmentStatus
from ancrage.tenancy.models import Membership, MembershipStatus, Organisation, Team


def _uuid_or_404(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def campaigns_of(actor: Membership, kind: str = "") -> "QuerySet[Campaign]":
    if not actor.can_manage_people:
        return Campaign.objects.none()
    rows = Campaign.objects.filter(organisation=actor.organisation).select_related("event")
    return rows.filter(kind=kind) if kind else rows


def access_campaign(actor: Membership, campaign_id: Any) -> Campaign:
    """A campaign or themed event of the actor's organisation, for its L&D leads and admins."""
    try:
        return (
            campaigns_of(actor)
            .select_related("teams_channel", "programme", "organisation")
            .get(pk=_uuid_or_404(campaign_id))
        )
    except Campaign.DoesNotExist as exc:
        raise Http404 from exc


def access_campaign_message(
    actor: Membership, campaign: Campaign, message_id: Any
) -> CampaignMessage:
    if campaign.organisation_id != actor.organisation_id or not actor.can_manage_people:
        raise Http404
    try:
        return campaign.messages.select_related("path").get(pk=_uuid_or_404(message_id))
    except CampaignMessage.DoesNotExist as exc:
        raise Http404 from exc


def access_campaign_page(actor: Membership, campaign_id: Any) -> Campaign:
    """The campaign's landing page: any member of its organisation, once it is announced."""
    try:
        return Campaign.objects.select_related("organisation", "event", "programme").get(
            pk=_uuid_or_404(campaign_id),
            organisation=actor.organisation,
            status__in=(CampaignStatus.SCHEDULED, CampaignStatus.RUNNING, CampaignStatus.CLOSED),
        )
    except Campaign.DoesNotExist as exc:
        raise Http404 from exc


def latest_report(campaign: Campaign) -> EventReport | None:
    return campaign.reports.order_by("-generated_at").first()


# --- Audience --------------------------------------------------------------------------------


def team_with_descendants(
    organisation: Organisation, team_ids: Iterable[uuid.UUID]
) -> set[uuid.UUID]:
    """The teams and every team below them, in one query."""
    children: dict[uuid.UUID | None, list[uuid.UUID]] = {}
    for pk, parent_id in Team.objects.filter(organisation=organisation).values_list(
        "id", "parent_id"
    ):
        children.setdefault(parent_id, []).append(pk)
    found: set[uuid.UUID] = set()
    stack = list(team_ids)
    while stack:
        pk = stack.pop()
        if pk in found:
            continue
        found.add(pk)
        stack.extend(children.get(pk, []))
    return found


def has_targeting(campaign: Campaign, team_ids: Iterable[uuid.UUID] | None = None) -> bool:
    teams = (
        list(team_ids)
        if team_ids is not None
        else list(campaign.teams.values_list("pk", flat=True))
    )
    return bool(campaign.everyone or teams or campaign.roles)


def audience_of(campaign: Campaign) -> "QuerySet[Membership]":
    """Active members the campaign speaks to (empty when it targets nobody)."""
    people = Membership.objects.filter(
        organisation_id=campaign.organisation_id, status=MembershipStatus.ACTIVE
    ).select_related("user", "team")
    if campaign.everyone:
        return people
    team_ids = list(campaign.teams.values_list("pk", flat=True))
    if not team_ids and not campaign.roles:
        return people.none()
    if team_ids:
        people = people.filter(team_id__in=team_with_descendants(campaign.organisation, team_ids))
    if campaign.roles:
        people = people.filter(role__in=campaign.roles)
    return people


def campaign_path_ids(campaign: Campaign) -> list[uuid.UUID]:
    """The campaign's paths, then its programme's, without duplicates, in order."""
    ids: list[uuid.UUID] = list(campaign.paths.order_by("code").values_list("pk", flat=True))
    if campaign.programme_id:
        for pk in (
            ProgrammeItem.objects.filter(programme_id=campaign.programme_id)
            .order_by("order")
            .values_list("path_id", flat=True)
        ):
            if pk not in ids:
                ids.append(pk)
    return ids


def path_titles(path_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The published title of each path (its code when nothing is published)."""
    ids = list(path_ids)
    titles = dict(
        PathVersion.objects.filter(path_id__in=ids, status=VersionStatus.PUBLISHED).values_list(
            "path_id", "title"
        )
    )
    return {pk: titles.get(pk, "") for pk in ids}


def recipients_of(message: CampaignMessage) -> "QuerySet[Membership]":
    """Who a message goes to: the audience, less those who started (or finished) a path."""
    campaign = message.campaign
    people = audience_of(campaign)
    if message.audience == MessageAudience.ALL:
        return people
    enrolments = Enrolment.objects.filter(
        organisation_id=campaign.organisation_id, path_id__in=campaign_path_ids(campaign)
    )
    if message.audience == MessageAudience.NOT_COMPLETED:
        enrolments = enrolments.filter(status=EnrolmentStatus.COMPLETED)
    return people.exclude(pk__in=enrolments.values("membership_id"))


def sample_recipient(campaign: Campaign, actor: Membership) -> Membership:
    """Whose name fills the preview: the first person of the audience, or the author."""
    return audience_of(campaign).order_by("user__name", "user__email").first() or actor


def event_list_kind(kind: str) -> str:
    return CampaignKind.EVENT if kind == CampaignKind.EVENT else CampaignKind.CAMPAIGN
