"""Engagement test fixtures: published paths, a Teams channel on the local receiver, and
helpers to run the scheduler at a chosen moment (time-machine: no sleeping)."""

from collections.abc import Callable
from datetime import datetime

import pytest
import time_machine
from django.utils import translation

from ancrage.catalog.models import Path
from ancrage.engagement.actions import TickReport, run_tick
from ancrage.licensing.tests.factories import make_path
from ancrage.notify.actions import add_teams_channel
from ancrage.notify.models import TeamsChannel
from ancrage.tenancy.models import Membership, Role, Team
from ancrage.tenancy.tests.factories import MembershipFactory, TeamFactory, UserFactory


@pytest.fixture
def paths(db: None) -> list[Path]:
    return [
        make_path("CLIMAT-1", title="Agir pour le climat au quotidien"),
        make_path("CLIMAT-2", title="Sobriété numérique en équipe"),
    ]


@pytest.fixture
def teams_channel(tenancy, webhook_receiver) -> TeamsChannel:
    return add_teams_channel(
        organisation=tenancy.org_a, name="Alpha — Général", webhook_url=webhook_receiver.url()
    )


@pytest.fixture
def sub_team(tenancy) -> Team:
    return TeamFactory(
        organisation=tenancy.org_a, name="Service client — Nord", parent=tenancy.team_a
    )


@pytest.fixture
def sub_member(tenancy, sub_team) -> Membership:
    user = UserFactory(email="nord@alpha.test", name="Nina Nord")
    return MembershipFactory(
        organisation=tenancy.org_a, user=user, team=sub_team, role=Role.LEARNER
    )


def add_people(tenancy, team: Team, count: int, prefix: str) -> list[Membership]:
    people = []
    for index in range(count):
        user = UserFactory(
            email=f"{prefix}{index}@alpha.test", name=f"{prefix.capitalize()} {index}"
        )
        people.append(
            MembershipFactory(organisation=tenancy.org_a, user=user, team=team, role=Role.LEARNER)
        )
    return people


@pytest.fixture
def tick(django_capture_on_commit_callbacks) -> Callable[[datetime], TickReport]:
    """Run the scheduler at `moment`, with its after-commit deliveries."""

    def run(moment: datetime) -> TickReport:
        with time_machine.travel(moment, tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                return run_tick()

    return run


@pytest.fixture(autouse=True)
def _english_messages():
    """Refusals are read in English here (msgids); French is what the site shows by default."""
    with translation.override("en"):
        yield
