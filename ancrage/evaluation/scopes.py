"""What a dashboard is about: a path, a programme, a team (with its sub-teams), a campaign
or a themed event — each resolved to the enrolments it covers, within one organisation."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from ancrage.catalog.models import Path
from ancrage.engagement.models import Campaign, ThemedEvent
from ancrage.licensing.models import Programme
from ancrage.player.models import Enrolment
from ancrage.tenancy.models import Team
from ancrage.tenancy.queries import _uuid_or_404

KINDS = {
    "path": _("Path"),
    "programme": _("Programme"),
    "team": _("Team"),
    "campaign": _("Campaign"),
    "event": _("Themed event"),
}


@dataclass(frozen=True)
class Scope:
    kind: str
    id: str
    title: str
    team_ids: tuple[Any, ...] = ()

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])


def descendants(organisation_id: Any, root_ids: list[Any]) -> list[Any]:
    teams = list(
        Team.objects.filter(organisation_id=organisation_id).values_list("pk", "parent_id")
    )
    found, frontier = set(root_ids), set(root_ids)
    while frontier:
        frontier = {pk for pk, parent in teams if parent in frontier and pk not in found}
        found |= frontier
    return list(found)


def _campaign_enrolments(campaign: Campaign) -> "QuerySet[Enrolment]":
    path_ids = set(campaign.paths.values_list("pk", flat=True))
    programme = campaign.programme
    if programme is not None:
        path_ids |= set(programme.items.values_list("path_id", flat=True))
    qs = Enrolment.objects.filter(
        organisation_id=campaign.organisation_id,
        path_id__in=path_ids,
        started_at__date__gte=campaign.starts_on,
    )
    if not campaign.everyone:
        roots = list(campaign.teams.values_list("pk", flat=True))
        qs = qs.filter(membership__team_id__in=descendants(campaign.organisation_id, roots))
    if campaign.roles:
        qs = qs.filter(membership__role__in=campaign.roles)
    return qs


def resolve(organisation_id: Any, kind: str, scope_id: Any) -> tuple[Scope, "QuerySet[Enrolment]"]:
    """The scope and its enrolments; Http404 for an unknown kind or another organisation's id."""
    base = Enrolment.objects.filter(organisation_id=organisation_id)
    if kind == "path":
        path = Path.objects.filter(pk=_uuid_or_404(scope_id)).first()
        if path is None:
            raise Http404
        version = path.versions.order_by("-number").first()
        return Scope(kind, str(path.pk), version.title if version else path.code), base.filter(
            path=path
        )
    if kind == "programme":
        programme = Programme.objects.filter(
            organisation_id=organisation_id, pk=_uuid_or_404(scope_id)
        ).first()
        if programme is None:
            raise Http404
        path_ids = programme.items.values_list("path_id", flat=True)
        return Scope(kind, str(programme.pk), programme.title), base.filter(path_id__in=path_ids)
    if kind == "team":
        team = Team.objects.filter(
            organisation_id=organisation_id, pk=_uuid_or_404(scope_id)
        ).first()
        if team is None:
            raise Http404
        ids = descendants(organisation_id, [team.pk])
        return Scope(kind, str(team.pk), team.name, tuple(ids)), base.filter(
            membership__team_id__in=ids
        )
    if kind == "campaign":
        campaign = Campaign.objects.filter(
            organisation_id=organisation_id, pk=_uuid_or_404(scope_id)
        ).first()
        if campaign is None:
            raise Http404
        roots = [] if campaign.everyone else list(campaign.teams.values_list("pk", flat=True))
        teams = tuple(descendants(organisation_id, roots)) if roots else ()
        return Scope(kind, str(campaign.pk), campaign.title, teams), _campaign_enrolments(campaign)
    if kind == "event":
        event = (
            ThemedEvent.objects.filter(organisation_id=organisation_id, pk=_uuid_or_404(scope_id))
            .select_related("campaign")
            .first()
        )
        if event is None:
            raise Http404
        roots = (
            []
            if event.campaign.everyone
            else list(event.campaign.teams.values_list("pk", flat=True))
        )
        teams = tuple(descendants(organisation_id, roots)) if roots else ()
        return Scope(kind, str(event.pk), event.campaign.title, teams), _campaign_enrolments(
            event.campaign
        )
    raise Http404


def all_scopes(organisation_id: Any) -> list[tuple[str, str, str]]:
    """(kind, id, title) of every scope the organisation can report on."""
    rows: list[tuple[str, str, str]] = []
    path_ids = set(
        Enrolment.objects.filter(organisation_id=organisation_id).values_list("path_id", flat=True)
    )
    for path in Path.objects.filter(pk__in=path_ids).prefetch_related("versions"):
        versions = sorted(path.versions.all(), key=lambda v: -v.number)
        rows.append(("path", str(path.pk), versions[0].title if versions else path.code))
    for programme in Programme.objects.filter(organisation_id=organisation_id):
        rows.append(("programme", str(programme.pk), programme.title))
    for team in Team.objects.filter(organisation_id=organisation_id):
        rows.append(("team", str(team.pk), team.name))
    for campaign in Campaign.objects.filter(organisation_id=organisation_id).filter(
        Q(event__isnull=True)
    ):
        rows.append(("campaign", str(campaign.pk), campaign.title))
    for event in ThemedEvent.objects.filter(organisation_id=organisation_id).select_related(
        "campaign"
    ):
        rows.append(("event", str(event.pk), event.campaign.title))
    return rows
