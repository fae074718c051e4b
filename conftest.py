"""Shared pytest fixtures: the tenancy matrix every feature's privacy tests reuse.

`tenancy` builds two organisations. In organisation A: `owner` (a learner), `teammate`
(same team, same manager), `outsider` (same organisation, another team), `manager`
(owner's and teammate's manager), `ld_lead` and `admin`. In organisation B: `other`
(a learner) and `other_ld_lead`. Tests log in as one and try to reach another's rows.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.utils import translation

from ancrage.common.ratelimit import forget_counts
from ancrage.common.testing.smtp import SmtpServer, mailers_setting
from ancrage.tenancy.models import Membership, Organisation, Role, Team
from ancrage.tenancy.tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    TeamFactory,
    UserFactory,
)

pytest_plugins = ["ancrage.common.testing.browser", "ancrage.common.testing.webhook"]


@dataclass
class Tenancy:
    org_a: Organisation
    org_b: Organisation
    team_a: Team
    team_a2: Team
    team_b: Team
    owner: Membership
    teammate: Membership
    outsider: Membership
    manager: Membership
    ld_lead: Membership
    admin: Membership
    other: Membership
    other_ld_lead: Membership

    def client_for(self, membership: Membership) -> Client:
        client = Client()
        client.force_login(membership.user)
        return client


def _member(
    org: Organisation, email: str, name: str, role: str, team: Team, **extra: object
) -> Membership:
    user = UserFactory(email=email, name=name)
    return MembershipFactory(organisation=org, user=user, role=role, team=team, **extra)


@pytest.fixture
def tenancy(db: None) -> Tenancy:
    org_a = OrganisationFactory(name="Alpha SA", slug="alpha")
    org_b = OrganisationFactory(name="Bêta SARL", slug="beta")
    team_a = TeamFactory(organisation=org_a, name="Service client")
    team_a2 = TeamFactory(organisation=org_a, name="Ventes")
    team_b = TeamFactory(organisation=org_b, name="Guichet unique")
    manager = _member(org_a, "manager@alpha.test", "Karim Manager", Role.MANAGER, team_a)
    return Tenancy(
        org_a=org_a,
        org_b=org_b,
        team_a=team_a,
        team_a2=team_a2,
        team_b=team_b,
        owner=_member(
            org_a, "owner@alpha.test", "Léa Owner", Role.LEARNER, team_a, manager=manager
        ),
        teammate=_member(
            org_a, "teammate@alpha.test", "Tom Teammate", Role.LEARNER, team_a, manager=manager
        ),
        outsider=_member(org_a, "outsider@alpha.test", "Olga Outsider", Role.LEARNER, team_a2),
        manager=manager,
        ld_lead=_member(org_a, "ld@alpha.test", "Sophie Lead", Role.LD_LEAD, team_a2),
        admin=_member(org_a, "admin@alpha.test", "Nadia Admin", Role.ORG_ADMIN, team_a2),
        other=_member(org_b, "other@beta.test", "Otto Other", Role.LEARNER, team_b),
        other_ld_lead=_member(org_b, "ld@beta.test", "Bea Lead", Role.LD_LEAD, team_b),
    )


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Each test starts with empty rate-limit counters (ancrage.common.ratelimit)."""
    caches["ratelimit"].clear()
    forget_counts()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the site's default language (French): a request made in English
    by an earlier test (LocaleMiddleware activates per thread) never leaks into the next."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def smtp_server(settings) -> Iterator[SmtpServer]:  # type: ignore[no-untyped-def]
    """A real SMTP server on 127.0.0.1; Django's default mailer sends to it for this test.

    Read what arrived with `smtp_server.messages` or `smtp_server.wait_for(to=...)`.
    """
    with SmtpServer() as server:
        settings.MAILERS = mailers_setting(server)
        yield server
