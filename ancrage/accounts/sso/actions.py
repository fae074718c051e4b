"""SSO writes: configuring a connection, linking an account, signing a person in.

Guarantees:
- a person is found by (issuer, subject) only; an email is never enough: a first sign-in
  whose email belongs to an existing account is refused unless an organisation admin linked
  that account beforehand (SsoAccountLink, single use, 14 days) or the account is a pending
  invitation to this organisation never used yet (no password);
- a new person is provisioned just in time into the connection's organisation with its
  default role (learner or manager, never more) and, optionally, the team named by a claim;
- an identity of one organisation's connection never opens an account of another;
- a SAML response or assertion id is accepted once.
"""

import logging
from datetime import UTC, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.actions import activate_invited_membership
from ancrage.accounts.models import User
from ancrage.accounts.sso.crypto import encrypt_secret
from ancrage.accounts.sso.identity import SsoClaims, SsoRefused
from ancrage.accounts.sso.models import (
    SsoAccountLink,
    SsoConnection,
    SsoIdentity,
    SsoUsedMessageId,
)
from ancrage.audit.actions import record
from ancrage.audit.models import Action
from ancrage.tenancy.models import Membership, MembershipStatus, Role, Team

logger = logging.getLogger("ancrage.sso")

USED_ID_GRACE = timedelta(days=1)


class LinkRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# What the audit log names when they change (names only: values may be long, and the secret
# and certificate never enter the log).
AUDITED_GENERAL = (
    "protocol",
    "enabled",
    "mandatory",
    "email_domains",
    "default_role",
    "team_claim",
)
AUDITED_PROVIDER = (
    "entra_tenant_id",
    "oidc_issuer",
    "oidc_client_id",
    "saml_idp_entity_id",
    "saml_idp_sso_url",
    "saml_idp_certificate",
)


def _changed(before: SsoConnection | None, after: SsoConnection, names: tuple[str, ...]) -> str:
    return ",".join(
        name for name in names if before is None or getattr(before, name) != getattr(after, name)
    )


def save_sso_connection(
    *, actor: Membership, connection: SsoConnection, client_secret: str = ""
) -> SsoConnection:
    """Save the organisation admin's settings; a non-empty secret replaces the stored one.
    A save that changes anything is recorded in the audit log (field names, never values of
    the secret or the certificate)."""
    if actor.role != Role.ORG_ADMIN or connection.organisation_id != actor.organisation_id:
        raise PermissionDenied
    with transaction.atomic():
        before = (
            SsoConnection.objects.select_for_update().filter(pk=connection.pk).first()
            if connection.pk is not None
            else None
        )
        if client_secret:
            connection.oidc_client_secret_encrypted = encrypt_secret(client_secret)
        connection.updated_by = actor.user
        if not connection.is_usable:
            connection.mandatory = False
        connection.save()
        general = _changed(before, connection, AUDITED_GENERAL)
        provider = _changed(before, connection, AUDITED_PROVIDER)
        if general or provider or client_secret:
            record(
                action=Action.SSO_CHANGED,
                actor=actor,
                target=connection,
                details={
                    "created": before is None,
                    "protocol": connection.protocol,
                    "enabled": connection.enabled,
                    "mandatory": connection.mandatory,
                    "settings_changed": general,
                    "provider_changed": provider,
                    "secret_replaced": bool(client_secret),
                },
            )
    logger.info(
        "sso connection saved organisation=%s protocol=%s enabled=%s mandatory=%s by=%s",
        connection.organisation_id,
        connection.protocol,
        connection.enabled,
        connection.mandatory,
        actor.user_id,
    )
    return connection


def link_existing_account(*, actor: Membership, email: str) -> SsoAccountLink:
    """Let the member with this email claim their account at their first SSO sign-in."""
    connection = SsoConnection.objects.filter(organisation=actor.organisation).first()
    if actor.role != Role.ORG_ADMIN or connection is None:
        raise PermissionDenied
    member = (
        Membership.objects.filter(organisation=actor.organisation, user__email__iexact=email)
        .exclude(status=MembershipStatus.DEACTIVATED)
        .select_related("user")
        .first()
    )
    if member is None:
        raise LinkRefused(_("Nobody in your organisation has this email address."))
    if SsoIdentity.objects.filter(connection=connection, user=member.user).exists():
        raise LinkRefused(_("This person already signs in with SSO."))
    with transaction.atomic():
        link, _created = SsoAccountLink.objects.update_or_create(
            connection=connection,
            user=member.user,
            defaults={"created_by": actor.user, "expires_at": SsoAccountLink.default_expiry()},
        )
        record(action=Action.SSO_ACCOUNT_LINKED, actor=actor, target=member)
    logger.info("sso account link organisation=%s user=%s", actor.organisation_id, member.user_id)
    return link


def _refuse(connection: SsoConnection, reason: str, message: str) -> SsoRefused:
    return SsoRefused(reason, f"organisation={connection.organisation_id}", message=message)


def _team(connection: SsoConnection, name: str) -> Team | None:
    if not name:
        return None
    return Team.objects.filter(
        organisation_id=connection.organisation_id, name__iexact=name.strip()
    ).first()


def sign_in_with_sso(*, connection: SsoConnection, claims: SsoClaims) -> User:
    """The user these verified claims belong to, provisioned or linked if need be."""
    try:
        return _sign_in_with_sso(connection=connection, claims=claims)
    except IntegrityError as exc:
        # Two first sign-ins of the same person at once: the other one won; retrying finds it.
        raise SsoRefused("provisioning_conflict", str(exc)[:200]) from exc


def _sign_in_with_sso(*, connection: SsoConnection, claims: SsoClaims) -> User:
    now = timezone.now()
    with transaction.atomic():
        identity = (
            SsoIdentity.objects.select_for_update()
            .select_related("user")
            .filter(issuer=claims.issuer, subject=claims.subject)
            .first()
        )
        if identity is not None:
            if identity.connection_id != connection.pk:
                raise _refuse(
                    connection,
                    "identity_of_another_connection",
                    _("This account belongs to another organisation."),
                )
            user = identity.user
            membership = Membership.objects.filter(
                user=user, organisation_id=connection.organisation_id
            ).first()
            if (
                not user.is_active
                or membership is None
                or membership.status == MembershipStatus.DEACTIVATED
            ):
                raise _refuse(
                    connection,
                    "account_deactivated",
                    _("Your access to Ancrage was closed; ask your L&D lead."),
                )
            identity.last_login_at = now
            identity.save(update_fields=["last_login_at", "updated_at"])
            activate_invited_membership(user=user)
            return user
        if not claims.email or "@" not in claims.email:
            raise _refuse(
                connection,
                "no_email_claim",
                _("Your identity provider did not send an email address; ask your IT team."),
            )
        existing = User.objects.filter(email__iexact=claims.email).first()
        if existing is not None:
            user = _claim_linked_account(connection, existing, now)
        else:
            user = User.objects.create_user(claims.email, name=claims.name)
            Membership.objects.create(
                organisation_id=connection.organisation_id,
                user=user,
                role=connection.default_role,
                status=MembershipStatus.ACTIVE,
                team=_team(connection, claims.team),
            )
            logger.info(
                "sso provisioned organisation=%s user=%s", connection.organisation_id, user.pk
            )
        SsoIdentity.objects.create(
            connection=connection,
            user=user,
            issuer=claims.issuer,
            subject=claims.subject,
            last_login_at=now,
        )
    return user


def _claim_linked_account(connection: SsoConnection, existing: User, now: datetime) -> User:
    link = SsoAccountLink.objects.filter(
        connection=connection, user=existing, expires_at__gt=now
    ).first()
    membership = Membership.objects.filter(
        user=existing, organisation_id=connection.organisation_id
    ).first()
    # An invitation to this organisation whose account was never used (no password set) is
    # the organisation's own word that this address is theirs: it counts as a link.
    invited = (
        membership is not None
        and membership.status == MembershipStatus.INVITED
        and not existing.has_usable_password()
    )
    if (
        (link is None and not invited)
        or not existing.is_active
        or membership is None
        or membership.status == MembershipStatus.DEACTIVATED
    ):
        raise _refuse(
            connection,
            "email_belongs_to_existing_account",
            _(
                "An Ancrage account already uses this email address. Sign in as usual, or ask "
                "your organisation admin to link that account to your organisation's sign-in."
            ),
        )
    if link is not None:
        link.delete()
    activate_invited_membership(user=existing)
    logger.info("sso linked organisation=%s user=%s", connection.organisation_id, existing.pk)
    return existing


def record_saml_message_ids(
    *, connection: SsoConnection, message_ids: tuple[str, ...], not_on_or_after: int | None
) -> None:
    """Remember accepted SAML ids until they expire; an id seen before raises SsoRefused."""
    now = timezone.now()
    expires = (
        datetime.fromtimestamp(not_on_or_after, tz=UTC) if not_on_or_after else now
    ) + USED_ID_GRACE
    if not message_ids:
        raise SsoRefused("saml_no_ids")
    try:
        with transaction.atomic():
            SsoUsedMessageId.objects.filter(connection=connection, expires_at__lt=now).delete()
            for message_id in message_ids:
                SsoUsedMessageId.objects.create(
                    connection=connection, message_id=message_id[:255], expires_at=expires
                )
    except IntegrityError as exc:
        raise SsoRefused("saml_replayed_id", ",".join(message_ids)) from exc
