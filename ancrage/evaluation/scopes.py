"""What a dashboard is about: a path, a programme, a team (with its sub-teams), a campaign
or a themed event — each resolved to the enrolments it covers, within one organisation.

* a programme covers the people it is assigned to (directly, through their team, or through
  a team above theirs when assigned with sub-teams) and their enrolments on its paths;
* a campaign or themed event covers the same people and enrolments as its report (bilan,
  `ancrage.engagement.report`): its audience (`audience_of`), on its paths and its
  programme's, for enrolments started or completed between its first day and the end of its
  last day.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ancrage.catalog.models import Path
from ancrage.engagement.models import Campaign, ThemedEvent
from ancrage.engagement.queries import audience_of, campaign_path_ids
from ancrage.licensing.models import Assignment, Programme
from ancrage.player.models import Enrolment
from ancrage.tenancy.models import Membership, Team
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
    # A programme's steps, (path id, module slug or ""): "finished" means every step done.
    steps: tuple[tuple[Any, str], ...] = ()

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


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _campaign_enrolments(campaign: Campaign) -> "QuerySet[Enrolment]":
    """The enrolments its report counts: audience, paths, started or completed in the window."""
    start = _start_of(campaign.starts_on)
    end = _start_of(campaign.ends_on + timedelta(days=1))
    return Enrolment.objects.filter(
        organisation_id=campaign.organisation_id,
        path_id__in=campaign_path_ids(campaign),
        membership_id__in=audience_of(campaign).values("pk"),
    ).filter(
        Q(started_at__gte=start, started_at__lt=end)
        | Q(completed_at__gte=start, completed_at__lt=end)
    )


def programme_people(programme: Programme) -> list[Any]:
    """Ids of the people the programme is assigned to now (as `assignments_for` resolves it)."""
    people: set[Any] = set()
    roots: list[Any] = []
    direct: list[Any] = []
    for membership_id, team_id, subteams in Assignment.objects.filter(
        organisation_id=programme.organisation_id, programme=programme
    ).values_list("membership_id", "team_id", "include_subteams"):
        if membership_id is not None:
            people.add(membership_id)
        elif subteams:
            roots.append(team_id)
        else:
            direct.append(team_id)
    team_ids = set(direct) | set(descendants(programme.organisation_id, roots) if roots else ())
    if team_ids:
        people |= set(
            Membership.objects.filter(
                organisation_id=programme.organisation_id, team_id__in=team_ids
            ).values_list("pk", flat=True)
        )
    return list(people)


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
        steps = tuple(programme.items.order_by("order").values_list("path_id", "module_slug"))
        return Scope(kind, str(programme.pk), programme.title, steps=steps), base.filter(
            path_id__in={path_id for path_id, _slug in steps},
            membership_id__in=programme_people(programme),
        )
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
