"""Fixtures for transfer tests: a published path with key behaviours, enrolments, a clock."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from ancrage.accounts.models import PublisherRole
from ancrage.catalog.models import KeyBehaviour, PathVersion
from ancrage.catalog.tests.published import published_path
from ancrage.player.models import Enrolment, EnrolmentOrigin, EnrolmentStatus
from ancrage.tenancy.models import Membership
from ancrage.tenancy.tests.factories import UserFactory

# Monday 2 March 2026, 10:00 in Paris: the controlled clock of these tests.
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def version(db: None) -> PathVersion:
    return published_path("ECOUTE", title="Écoute active")


@pytest.fixture
def behaviours(version: PathVersion) -> list[KeyBehaviour]:
    return list(
        KeyBehaviour.objects.filter(version=version).select_related("version").order_by("order")
    )


def enrol(member: Membership, version: PathVersion, *, completed: bool = False) -> Enrolment:
    now = timezone.now()
    return Enrolment.objects.create(
        organisation_id=member.organisation_id,
        membership=member,
        path_id=version.path_id,
        path_version=version,
        origin=EnrolmentOrigin.ASSIGNMENT,
        status=EnrolmentStatus.COMPLETED if completed else EnrolmentStatus.STARTED,
        started_at=now,
        completed_at=now if completed else None,
        last_activity_at=now,
    )


@pytest.fixture
def publisher_staff(db: None):  # type: ignore[no-untyped-def]
    return UserFactory(
        email="claire@editeur.test",
        name="Claire Éditrice",
        publisher_role=PublisherRole.EDITOR,
        is_staff=True,
    )
