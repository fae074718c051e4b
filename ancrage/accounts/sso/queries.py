"""Reads of SSO connections; access_sso_connection is the one door to an organisation's.

Only organisation admins reach their organisation's connection (403 for other roles via
the view guard, and nothing here takes an id: another organisation's row is unreachable).
"""

from django.http import Http404

from ancrage.accounts.models import User
from ancrage.accounts.sso.models import Protocol, SsoAccountLink, SsoConnection, SsoIdentity
from ancrage.tenancy.models import Membership, MembershipStatus, Role


def access_sso_connection(actor: Membership) -> SsoConnection:
    """The actor's organisation's connection (a new, unsaved one if none yet); admins only."""
    if actor.role != Role.ORG_ADMIN:
        raise Http404
    connection = SsoConnection.objects.filter(organisation=actor.organisation).first()
    return connection or SsoConnection(organisation=actor.organisation)


def usable_connection(slug: str) -> SsoConnection:
    """The enabled, complete connection of the organisation with this slug; 404 otherwise."""
    connection = (
        SsoConnection.objects.select_related("organisation")
        .filter(organisation__slug=slug, enabled=True)
        .first()
    )
    if connection is None or not connection.is_usable:
        raise Http404
    return connection


def saml_connection(slug: str) -> SsoConnection:
    """The SAML connection of the organisation with this slug, enabled or not (its SP
    metadata is public: the IdP needs it before the connection is enabled); 404 otherwise."""
    connection = (
        SsoConnection.objects.select_related("organisation")
        .filter(organisation__slug=slug, protocol=Protocol.SAML)
        .first()
    )
    if connection is None:
        raise Http404
    return connection


def find_connection(text: str) -> SsoConnection | None:
    """By an email address (its domain) or an organisation's short name; enabled ones only."""
    text = text.strip().lower()
    if not text:
        return None
    enabled = SsoConnection.objects.select_related("organisation").filter(enabled=True)
    if "@" in text:
        domain = text.rsplit("@", 1)[1]
        for connection in enabled.filter(email_domains__icontains=domain):
            if domain in connection.domains() and connection.is_usable:
                return connection
        return None
    by_slug = enabled.filter(organisation__slug=text).first()
    return by_slug if by_slug is not None and by_slug.is_usable else None


def connection_claiming_domain(domain: str, *, besides: SsoConnection) -> SsoConnection | None:
    for connection in SsoConnection.objects.filter(email_domains__icontains=domain).exclude(
        pk=besides.pk
    ):
        if domain in connection.domains():
            return connection
    return None


def _mandatory_connection(user: User) -> tuple[SsoConnection | None, str]:
    """The user's organisation's mandatory, usable connection (if any), and the user's role."""
    membership = (
        Membership.objects.filter(user=user)
        .exclude(status=MembershipStatus.DEACTIVATED)
        .select_related("organisation__sso_connection")
        .first()
    )
    if membership is None:
        return None, ""
    connection: SsoConnection | None = getattr(membership.organisation, "sso_connection", None)
    if connection is None or not (connection.mandatory and connection.is_usable):
        return None, membership.role
    return connection, membership.role


def sso_required_for(user: User) -> SsoConnection | None:
    """The connection this person must use instead of a password or a code, if any.

    Organisation admins are never held to it: their password and codes are the break-glass
    path when the identity provider is down or misconfigured.
    """
    connection, role = _mandatory_connection(user)
    return None if role == Role.ORG_ADMIN else connection


def break_glass_connection(user: User) -> SsoConnection | None:
    """The mandatory connection an organisation admin is bypassing by signing in otherwise."""
    connection, role = _mandatory_connection(user)
    return connection if role == Role.ORG_ADMIN else None


def identities_of(connection: SsoConnection) -> int:
    return SsoIdentity.objects.filter(connection=connection).count()


def pending_links(connection: SsoConnection) -> list[SsoAccountLink]:
    if connection.pk is None:
        return []
    return list(
        SsoAccountLink.objects.filter(connection=connection)
        .select_related("user")
        .order_by("user__email")
    )
