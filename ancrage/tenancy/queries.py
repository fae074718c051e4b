"""Reads of tenant data, and the access_* helpers: the one door to an organisation's rows.

Every helper takes the acting Membership and an id, scopes the lookup to the actor's
organisation and role, and raises Http404 for anything outside — the same answer for
"does not exist" and "not yours", so ids cannot be probed across organisations.
"""

import uuid
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from ancrage.tenancy.models import Membership, MembershipStatus, Organisation, Team


def membership_for_user(user: Any) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.select_related("organisation", "team")
        .exclude(status=MembershipStatus.DEACTIVATED)
        .filter(user=user)
        .first()
    )


def _uuid_or_404(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def visible_memberships(actor: Membership) -> "QuerySet[Membership]":
    """People the actor may see: everyone for L&D/admins, reports for managers, self otherwise."""
    qs = Membership.objects.filter(organisation=actor.organisation).select_related(
        "user", "team", "manager__user"
    )
    if actor.can_manage_people:
        return qs
    if actor.is_manager:
        return qs.filter(Q(manager=actor) | Q(pk=actor.pk))
    return qs.filter(pk=actor.pk)


def access_membership(actor: Membership, membership_id: Any) -> Membership:
    try:
        return visible_memberships(actor).get(pk=_uuid_or_404(membership_id))
    except Membership.DoesNotExist as exc:
        raise Http404 from exc


def teams_of(organisation: Organisation) -> "QuerySet[Team]":
    return (
        Team.objects.filter(organisation=organisation)
        .select_related("parent")
        .annotate(member_count=Count("members", filter=~Q(members__status="deactivated")))
    )


def access_team(actor: Membership, team_id: Any) -> Team:
    """Teams are visible to everyone in the organisation (names only; members are scoped)."""
    try:
        return teams_of(actor.organisation).get(pk=_uuid_or_404(team_id))
    except Team.DoesNotExist as exc:
        raise Http404 from exc


def team_path(team: Team) -> str:
    """'Direction › RH › Paie' — the team's place in the tree, for display and CSV matching."""
    names = [team.name]
    seen = {team.pk}
    node = team.parent
    while node is not None and node.pk not in seen:
        names.append(node.name)
        seen.add(node.pk)
        node = node.parent
    return " › ".join(reversed(names))
