"""People and teams pages for L&D leads and organisation admins; managers see their reports."""

from typing import Any
from urllib.parse import quote

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ancrage.audit.actions import record_learner_viewed
from ancrage.tenancy.decorators import membership_required
from ancrage.tenancy.models import Role
from ancrage.tenancy.queries import (
    access_membership,
    access_team,
    team_path,
    teams_of,
    visible_memberships,
)

PEOPLE_ROLES = (Role.LD_LEAD, Role.ORG_ADMIN, Role.MANAGER)


@membership_required(*PEOPLE_ROLES)
def people(request: HttpRequest) -> HttpResponse:
    actor = request.membership  # type: ignore[attr-defined]
    qs = visible_memberships(actor).order_by("user__name", "user__email")
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(
            Q(user__name__icontains=query)
            | Q(user__email__icontains=query)
            | Q(team__name__icontains=query)
        )
    role = request.GET.get("role", "")
    if role in Role.values:
        qs = qs.filter(role=role)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "page": page,
        "query": query,
        "role": role,
        "roles": Role.choices,
        "page_query": f"q={quote(query)}&role={role}",
    }
    return render(request, "tenancy/people.html", context)


@membership_required()
def person(request: HttpRequest, membership_id: str) -> HttpResponse:
    actor = request.membership  # type: ignore[attr-defined]
    member = access_membership(actor, membership_id)
    record_learner_viewed(actor=actor, learner=member, page="person")
    reports = visible_memberships(actor).filter(manager=member).order_by("user__name")
    context = {
        "member": member,
        "team_label": team_path(member.team) if member.team else "",
        "reports": reports,
    }
    return render(request, "tenancy/person.html", context)


@membership_required(*PEOPLE_ROLES)
def teams(request: HttpRequest) -> HttpResponse:
    actor = request.membership  # type: ignore[attr-defined]
    all_teams = list(teams_of(actor.organisation))
    children: dict[Any, list[Any]] = {}
    for team in all_teams:
        children.setdefault(team.parent_id, []).append(team)
    rows: list[tuple[int, Any]] = []

    def walk(parent_id: Any, depth: int) -> None:
        for team in sorted(children.get(parent_id, []), key=lambda t: t.name):
            rows.append((depth, team))
            walk(team.pk, depth + 1)

    walk(None, 0)
    return render(request, "tenancy/teams.html", {"rows": rows})


@membership_required(*PEOPLE_ROLES)
def team(request: HttpRequest, team_id: str) -> HttpResponse:
    actor = request.membership  # type: ignore[attr-defined]
    the_team = access_team(actor, team_id)
    members = visible_memberships(actor).filter(team=the_team).order_by("user__name")
    context = {
        "team": the_team,
        "team_label": team_path(the_team),
        "members": members,
        "subteams": teams_of(actor.organisation).filter(parent=the_team).order_by("name"),
    }
    return render(request, "tenancy/team.html", context)
