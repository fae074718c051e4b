"""Reads of invitations, and access_invitation: the one door to an organisation's invitations.

Only people who manage people (L&D leads, organisation admins) reach invitations, and only
their own organisation's; anything else is 404, whether it exists or not.
"""

import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from ancrage.accounts.models import (
    Invitation,
    InvitationQuerySet,
    User,
    hash_invitation_token,
)
from ancrage.tenancy.models import Membership, MembershipStatus, Organisation, Team

TEAM_PATH_SEPARATOR = " › "


def invitations_of(organisation: Organisation) -> InvitationQuerySet:
    return Invitation.objects.filter(organisation=organisation).select_related(
        "membership__user", "membership__team", "membership__manager__user", "invited_by"
    )


def open_invitations(actor: Membership) -> InvitationQuerySet:
    """Invitations of the actor's organisation still waiting for an answer (incl. expired)."""
    if not actor.can_manage_people:
        return Invitation.objects.none()
    return invitations_of(actor.organisation).open().order_by("-created_at")


def access_invitation(actor: Membership, invitation_id: Any) -> Invitation:
    if not actor.can_manage_people:
        raise Http404
    try:
        return invitations_of(actor.organisation).get(pk=uuid.UUID(str(invitation_id)))
    except (Invitation.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation whose link carries this token, in any state; None if unknown."""
    if not token or len(token) > 128:
        return None
    return (
        Invitation.objects.select_related("organisation", "membership__user")
        .filter(token_hash=hash_invitation_token(token))
        .first()
    )


def team_paths(organisation: Organisation) -> list[tuple[Team, list[str]]]:
    """Every team of the organisation with its path of names from the top, in one query."""
    teams = {team.pk: team for team in Team.objects.filter(organisation=organisation)}
    result: list[tuple[Team, list[str]]] = []
    for team in teams.values():
        names = [team.name]
        seen = {team.pk}
        parent_id = team.parent_id
        while parent_id is not None and parent_id not in seen and parent_id in teams:
            seen.add(parent_id)
            names.append(teams[parent_id].name)
            parent_id = teams[parent_id].parent_id
        result.append((team, list(reversed(names))))
    return sorted(result, key=lambda pair: [name.casefold() for name in pair[1]])


def team_choices(organisation: Organisation) -> list[tuple[Team, str]]:
    """The organisation's teams labelled with their full path ('Ventes › PME'), sorted."""
    return [(team, TEAM_PATH_SEPARATOR.join(names)) for team, names in team_paths(organisation)]


def active_members(organisation: Organisation) -> "QuerySet[Membership]":
    return (
        Membership.objects.filter(organisation=organisation, status=MembershipStatus.ACTIVE)
        .select_related("user")
        .order_by("user__name", "user__email")
    )


def account_acting_for(email: str, organisation: Organisation) -> User | None:
    """The active account with this address (any case) that may act for the organisation:
    platform staff, or one of its active members. How commands name the person running them
    (`--by`) in the organisation's audit log."""
    return (
        User.objects.filter(email__iexact=email.strip(), is_active=True)
        .filter(
            Q(is_staff=True)
            | Q(membership__organisation=organisation, membership__status=MembershipStatus.ACTIVE)
        )
        .distinct()
        .first()
    )
