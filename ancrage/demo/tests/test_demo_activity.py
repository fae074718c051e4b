"""The whole demo, loaded as `make demo` loads it: its learners played their cards through
the player (so the LRS holds their statements and every page reads the same facts), the
evaluation rollups come last, and loading it again changes nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Max

from ancrage.engagement.models import Campaign, SharedTakeaway, ThemedEvent
from ancrage.evaluation.models import Figure
from ancrage.habits.streaks import streak_of
from ancrage.lrs.models import Statement
from ancrage.player.models import (
    CardProgress,
    Enrolment,
    EnrolmentStatus,
    ModuleProgress,
    PlayerEvent,
    SurveyResponse,
)
from ancrage.player.queries import progress_of, resume_entries
from ancrage.tenancy.models import Membership
from ancrage.transfer.models import ActionPlan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def counts() -> dict[str, object]:
    return {
        "statements": Statement.objects.count(),
        "events": PlayerEvent.objects.count(),
        "cards": CardProgress.objects.count(),
        "modules": ModuleProgress.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "completed": Enrolment.objects.filter(status=EnrolmentStatus.COMPLETED).count(),
        "last_activity": Enrolment.objects.aggregate(m=Max("last_activity_at"))["m"],
        "surveys": SurveyResponse.objects.count(),
        "plans": ActionPlan.objects.count(),
        "takeaways": SharedTakeaway.objects.count(),
    }


def figure(kind: str, scope_id: object, metric: str) -> float | None:
    row = Figure.objects.get(scope_kind=kind, scope_id=scope_id, metric=metric)
    return row.value


def test_the_demo_is_played_through_the_player_and_loads_once() -> None:
    call_command("load_demo", stdout=StringIO())
    first = counts()
    call_command("load_demo", stdout=StringIO())
    assert counts() == first

    # Every enrolment was played: statements in the LRS, progress that agrees with status.
    assert first["statements"] > 1000
    for enrolment in Enrolment.objects.select_related("path_version"):
        summary = progress_of(enrolment)
        assert Statement.objects.filter(registration=enrolment.pk).exists(), enrolment
        if enrolment.status == EnrolmentStatus.COMPLETED:
            assert summary.percent == 100, enrolment
        else:
            assert 0 < summary.percent < 100, enrolment

    # The rollups ran after the campaigns and themed weeks existed.
    for campaign in Campaign.objects.filter(organisation__slug="verdane", event__isnull=True):
        assert figure("campaign", campaign.pk, "statements_per_learner")
    for event in ThemedEvent.objects.filter(organisation__slug="verdane"):
        assert figure("event", event.pk, "statements_per_learner")
        assert figure("event", event.pk, "enrolled")

    # The learners of the story: a streak that agrees with their activity, a path in
    # progress whose next card the player opens.
    for email in ("marc@verdane.fr", "karim@verdane.fr", "lea@verdane.fr"):
        member = Membership.objects.get(user__email=email)
        assert streak_of(member).weeks >= 1, email
        entries = list(resume_entries(member).values())
        assert entries, email
        for entry in entries:
            assert entry.percent > 0
            assert entry.next_key == progress_of(entry.enrolment).resume_key
    lea = Membership.objects.get(user__email="lea@verdane.fr")
    assert Enrolment.objects.filter(
        membership=lea, path__code="SANTE-MENTALE-QVT", status=EnrolmentStatus.COMPLETED
    ).exists()
