"""Invitations: bringing people into an organisation, one by one or from a CSV file.

Guarantees:
- only L&D leads and organisation admins invite; only organisation admins grant or change
  the organisation admin role; nobody changes their own role here;
- a person already in another organisation (or a publisher account) is refused with the same
  message whatever the organisation, so nothing about other tenants leaks;
- inviting someone already invited sends a new link and never duplicates them;
- a CSV import is all or nothing: any problem on any line imports no line;
- emails leave only after the transaction commits (a Django task per invitation).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ancrage.accounts.csv_import import (
    FILE,
    Column,
    CsvRow,
    LineError,
    ParsedCsv,
    normalise,
    parse_people_csv,
)
from ancrage.accounts.emails import queue_invitation_email
from ancrage.accounts.models import Invitation, InvitationState, User
from ancrage.accounts.queries import TEAM_PATH_SEPARATOR, team_paths
from ancrage.audit.actions import MembershipSnapshot, record_membership_changes
from ancrage.tenancy.models import Membership, MembershipStatus, Role, Team


class InvitationRefused(Exception):
    """The invitation cannot be made; `field` names the form field or CSV column at fault."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field, self.code, self.message = field, code, message


class InvitationUnavailable(Exception):
    """The invitation was accepted, revoked or has expired: its link no longer works."""

    def __init__(self, state: str) -> None:
        super().__init__(state)
        self.state = state


@dataclass(frozen=True)
class ImportReport:
    invited: int = 0
    updated: int = 0
    errors: tuple[LineError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        invited = ngettext("%(count)d invited", "%(count)d invited", self.invited) % {
            "count": self.invited
        }
        updated = ngettext(
            "%(count)d already a member (updated)",
            "%(count)d already members (updated)",
            self.updated,
        ) % {"count": self.updated}
        return f"{invited}, {updated}"


def _language(language: str | None) -> str:
    return language or translation.get_language() or settings.LANGUAGE_CODE


def _require_inviter(actor: Membership) -> None:
    if not actor.can_manage_people or actor.status != MembershipStatus.ACTIVE:
        raise PermissionDenied


def _membership_of(user: User | None) -> Membership | None:
    if user is None:
        return None
    try:
        return user.membership
    except ObjectDoesNotExist:
        return None


def _users_by_email(emails: Iterable[str]) -> dict[str, User]:
    wanted = sorted({email.lower() for email in emails})
    found: dict[str, User] = {}
    for start in range(0, len(wanted), 500):
        users = (
            User.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=wanted[start : start + 500])
            .select_related("membership")
        )
        found.update({user.email.lower(): user for user in users})
    return found


def _refusals(actor: Membership, user: User | None, role: str | None) -> list[tuple[str, str, str]]:
    """Why this person may not be invited (or updated) with this role by this actor."""
    existing = _membership_of(user)
    if user is not None and (
        (existing is not None and existing.organisation_id != actor.organisation_id)
        or (existing is None and user.is_publisher_staff)
    ):
        return [
            (
                Column.EMAIL,
                "other_organisation",
                _(
                    "This email address already belongs to an account outside your "
                    "organisation, so it cannot be invited."
                ),
            )
        ]
    problems: list[tuple[str, str, str]] = []
    if existing is not None and role is not None and role != existing.role:
        if existing.pk == actor.pk:
            problems.append((Column.ROLE, "own_role", _("You cannot change your own role.")))
        elif existing.role == Role.ORG_ADMIN and actor.role != Role.ORG_ADMIN:
            problems.append(
                (
                    Column.ROLE,
                    "admin_only",
                    _("Only an organisation admin can change an organisation admin's role."),
                )
            )
    already_admin = existing is not None and existing.role == Role.ORG_ADMIN
    if role == Role.ORG_ADMIN and actor.role != Role.ORG_ADMIN and not already_admin:
        problems.append(
            (
                Column.ROLE,
                "admin_only",
                _("Only an organisation admin can give the organisation admin role."),
            )
        )
    return problems


def _save_member(
    *,
    actor: Membership,
    user: User | None,
    email: str,
    name: str,
    role: str | None,
    team: Team | None,
    set_team: bool,
) -> tuple[Membership, bool]:
    """Create or update the person and their membership; True when they need an invitation."""
    if user is None:
        user = User.objects.create_user(email=email, name=name)
    elif name and user.name != name:
        user.name = name
        user.save(update_fields=["name", "updated_at"])
    membership = _membership_of(user)
    before = MembershipSnapshot.of(membership) if membership is not None else None
    if membership is None:
        membership = Membership(
            organisation=actor.organisation,
            user=user,
            role=role or Role.LEARNER,
            status=MembershipStatus.INVITED,
        )
        needs_invitation = True
    else:
        needs_invitation = membership.status != MembershipStatus.ACTIVE
        if role:
            membership.role = role
        if needs_invitation:
            membership.status = MembershipStatus.INVITED
    if set_team:
        membership.team = team
    membership.save()
    record_membership_changes(actor=actor, membership=membership, before=before)
    return membership, needs_invitation


def _open_invitation(actor: Membership, membership: Membership, language: str) -> Invitation:
    """The membership's one open invitation, renewed (or created), emailed after commit."""
    invitation = Invitation.objects.select_for_update().open().filter(membership=membership).first()
    if invitation is None:
        invitation = Invitation.objects.create(
            organisation=actor.organisation,
            membership=membership,
            invited_by=actor.user,
            expires_at=Invitation.default_expiry(),
        )
    else:
        invitation.invited_by = actor.user
        invitation.expires_at = Invitation.default_expiry()
        invitation.save(update_fields=["invited_by", "expires_at", "updated_at"])
    queue_invitation_email(invitation=invitation, language=language)
    return invitation


def invite_person(
    *,
    actor: Membership,
    email: str,
    name: str,
    team: Team | None,
    manager: Membership | None,
    role: str,
    language: str | None = None,
) -> Invitation:
    """Invite one person (or send a new link to someone already invited) into the actor's organisation."""
    _require_inviter(actor)
    email = email.strip().lower()
    name = " ".join(name.split())
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvitationRefused(
            "email", "invalid_email", _("Enter a valid email address.")
        ) from exc
    if role not in Role.values:
        raise InvitationRefused("role", "bad_role", _("Choose a role from the list."))
    if team is not None and team.organisation_id != actor.organisation_id:
        raise InvitationRefused("team", "unknown_team", _("Choose a team from the list."))
    if manager is not None and (
        manager.organisation_id != actor.organisation_id
        or manager.status == MembershipStatus.DEACTIVATED
    ):
        raise InvitationRefused("manager", "unknown_manager", _("Choose a manager from the list."))
    with transaction.atomic():
        user = _users_by_email([email]).get(email)
        problems = _refusals(actor, user, role)
        if problems:
            field, code, message = problems[0]
            raise InvitationRefused(str(field), code, message)
        existing = _membership_of(user)
        if existing is not None and existing.status == MembershipStatus.ACTIVE:
            raise InvitationRefused(
                "email",
                "already_member",
                _("%(email)s is already an active member of your organisation.") % {"email": email},
            )
        if manager is not None and existing is not None and manager.pk == existing.pk:
            raise InvitationRefused(
                "manager", "own_manager", _("A person cannot be their own manager.")
            )
        membership, _invite = _save_member(
            actor=actor, user=user, email=email, name=name, role=role, team=team, set_team=True
        )
        before = MembershipSnapshot.of(membership) if existing is not None else None
        membership.manager = manager
        membership.save(update_fields=["manager", "updated_at"])
        record_membership_changes(actor=actor, membership=membership, before=before)
        return _open_invitation(actor, membership, _language(language))


class _Teams:
    """Finds a team by name or by path ('Ventes › PME', 'Ventes/PME'), ignoring case and accents."""

    def __init__(self, paths: list[tuple[Team, list[str]]]) -> None:
        self.entries = [
            (team, [normalise(name) for name in names], TEAM_PATH_SEPARATOR.join(names))
            for team, names in paths
        ]

    def find(self, text: str) -> tuple[Team | None, str, str]:
        parts = [normalise(part) for part in re.split(r"[›/>]", text) if part.strip()]
        exact = [team for team, names, _label in self.entries if names == parts]
        if len(exact) == 1:
            return exact[0], "", ""
        matches = [
            (team, label) for team, names, label in self.entries if names[-len(parts) :] == parts
        ]
        if len(matches) == 1:
            return matches[0][0], "", ""
        if not matches:
            return (
                None,
                "unknown_team",
                _("No team “%(team)s” in your organisation. Create it first or check the spelling.")
                % {"team": text},
            )
        return (
            None,
            "ambiguous_team",
            _("Several teams are called “%(team)s” (%(paths)s); write the team's full path.")
            % {"team": text, "paths": "; ".join(sorted(label for _t, label in matches))},
        )


def _check_rows(
    actor: Membership, parsed: ParsedCsv
) -> tuple[list[LineError], dict[str, User], dict[str, Membership], dict[int, Team | None]]:
    """The file's line problems plus those only the database reveals (teams, managers, people)."""
    rows, labels = parsed.rows, parsed.labels
    errors: list[LineError] = list(parsed.errors)

    def error(row: CsvRow, column: str, code: str, message: str) -> None:
        label = labels.get(Column(column), column) if column in Column else column
        errors.append(LineError(row.line, column, code, message, label))

    users = _users_by_email(row.email for row in rows)
    members = {
        member.user.email.lower(): member
        for member in Membership.objects.current()
        .filter(organisation=actor.organisation)
        .select_related("user")
    }
    teams = _Teams(team_paths(actor.organisation))
    file_emails = parsed.emails
    row_teams: dict[int, Team | None] = {}
    for row in rows:
        for column, code, message in _refusals(actor, users.get(row.email), row.role):
            error(row, column, code, message)
        if row.team:
            team, code, message = teams.find(row.team)
            if team is None:
                error(row, Column.TEAM, code, message)
            row_teams[row.line] = team
        else:
            row_teams[row.line] = None
        manager_email = row.manager_email
        if manager_email and manager_email not in file_emails and manager_email not in members:
            error(
                row,
                Column.MANAGER_EMAIL,
                "unknown_manager",
                _(
                    "No member of your organisation and no line of this file has the email "
                    "%(email)s."
                )
                % {"email": manager_email},
            )
    return errors, users, members, row_teams


def import_invitations_csv(
    *, actor: Membership, data: bytes, language: str | None = None
) -> ImportReport:
    """Invite or update everyone in a people CSV; on any error import nothing and report every line."""
    _require_inviter(actor)
    parsed = parse_people_csv(data)
    if parsed.fatal:
        return ImportReport(errors=tuple(parsed.errors))
    rows = parsed.rows
    errors, users, members, row_teams = _check_rows(actor, parsed)
    if errors:
        return ImportReport(errors=tuple(sorted(errors, key=lambda error: error.line or 0)))
    language = _language(language)
    invited = updated = 0
    try:
        with transaction.atomic():
            saved: dict[str, Membership] = {}
            to_invite: list[Membership] = []
            for row in rows:
                membership, needs_invitation = _save_member(
                    actor=actor,
                    user=users.get(row.email),
                    email=row.email,
                    name=row.name,
                    role=row.role,
                    team=row_teams[row.line],
                    set_team=row.team is not None,
                )
                saved[row.email] = membership
                if needs_invitation:
                    to_invite.append(membership)
                    invited += 1
                else:
                    updated += 1
            for row in rows:
                if row.manager_email is None:
                    continue  # no manager column: reporting lines stay as they are
                membership = saved[row.email]
                manager = (
                    saved.get(row.manager_email) or members.get(row.manager_email)
                    if row.manager_email
                    else None
                )
                if membership.manager_id != (manager.pk if manager else None):
                    before = MembershipSnapshot.of(membership) if row.email in members else None
                    membership.manager = manager
                    membership.save(update_fields=["manager", "updated_at"])
                    record_membership_changes(actor=actor, membership=membership, before=before)
            for membership in to_invite:
                _open_invitation(actor, membership, language)
    except IntegrityError:
        return ImportReport(
            errors=(
                LineError(
                    None,
                    FILE,
                    "conflict",
                    _(
                        "Someone changed the same people while this file was being imported; "
                        "nothing was imported. Please try again."
                    ),
                    FILE,
                ),
            )
        )
    return ImportReport(invited=invited, updated=updated)


def resend_invitation(
    *, actor: Membership, invitation: Invitation, language: str | None = None
) -> Invitation:
    """Email a new link (valid 14 days) for an open invitation; the previous link stops working."""
    _require_inviter(actor)
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(
            pk=invitation.pk, organisation=actor.organisation
        )
        if locked.accepted_at is not None or locked.revoked_at is not None:
            raise InvitationUnavailable(locked.state)
        locked.invited_by = actor.user
        locked.expires_at = Invitation.default_expiry()
        locked.save(update_fields=["invited_by", "expires_at", "updated_at"])
        language = _language(language)
        queue_invitation_email(invitation=locked, language=language)
    return locked


def revoke_invitation(*, actor: Membership, invitation: Invitation) -> Invitation:
    """Withdraw an open invitation: its link stops working and the invited membership is closed."""
    _require_inviter(actor)
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(
            pk=invitation.pk, organisation=actor.organisation
        )
        if locked.accepted_at is not None or locked.revoked_at is not None:
            raise InvitationUnavailable(locked.state)
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at", "updated_at"])
        Membership.objects.filter(pk=locked.membership_id, status=MembershipStatus.INVITED).update(
            status=MembershipStatus.DEACTIVATED, updated_at=locked.revoked_at
        )
    return locked


def _verify_primary_email(user: User) -> None:
    email = user.email.lower()
    EmailAddress.objects.filter(user=user).exclude(email=email).update(primary=False)
    address, _created = EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])


def accept_invitation(*, invitation: Invitation, password: str) -> User:
    """Set the invited person's password and make them an active member; the link is then used."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_usable:
            raise InvitationUnavailable(locked.state)
        membership = Membership.objects.select_for_update().get(pk=locked.membership_id)
        if membership.status == MembershipStatus.DEACTIVATED:
            raise InvitationUnavailable(InvitationState.REVOKED)
        user = User.objects.get(pk=membership.user_id)
        user.set_password(password)
        user.save(update_fields=["password", "updated_at"])
        membership.status = MembershipStatus.ACTIVE
        membership.save(update_fields=["status", "updated_at"])
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["accepted_at", "updated_at"])
        _verify_primary_email(user)
    return user


def activate_invited_membership(*, user: User) -> bool:
    """An invited person who signs in (e.g. by an emailed code) becomes an active member."""
    now = timezone.now()
    with transaction.atomic():
        activated = Membership.objects.filter(user=user, status=MembershipStatus.INVITED).update(
            status=MembershipStatus.ACTIVE, updated_at=now
        )
        if activated:
            Invitation.objects.open().filter(membership__user=user).update(
                accepted_at=now, updated_at=now
            )
    return bool(activated)
