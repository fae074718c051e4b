"""Weekly streaks: computed from the acts, ISO weeks in the learner's time zone, a target of
1–3 active days, free freezes earned every 4 counted weeks and spent on a missed week."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from ancrage.habits.actions import answer_recall, create_recall_items, set_weekly_target
from ancrage.habits.models import HabitProfile
from ancrage.habits.streaks import compute_streak, streak_of
from ancrage.habits.tests.conftest import MODULE
from ancrage.transfer.models import JournalEntry

MONDAY = date(2026, 3, 2)


def _weeks(*offsets: int, days_per_week: int = 1) -> set[date]:
    """Active days: `days_per_week` days (Mon, Tue, …) in each week at `offsets`."""
    return {MONDAY + timedelta(weeks=w, days=d) for w in offsets for d in range(days_per_week)}


def test_consecutive_weeks_count_and_the_week_in_progress_does_not_break_it():
    today = MONDAY + timedelta(weeks=3, days=2)  # Wednesday of week 3, nothing yet
    streak = compute_streak(_weeks(0, 1, 2), today=today, target=1)
    assert streak.weeks == 3
    assert streak.this_week_days == 0
    assert [w.status for w in streak.history] == ["counted"] * 3 + ["in_progress"]


def test_a_missed_week_without_a_freeze_starts_over():
    today = MONDAY + timedelta(weeks=4)
    streak = compute_streak(_weeks(0, 1, 3, 4), today=today, target=1)
    assert streak.weeks == 2
    assert [w.status for w in streak.history] == [
        "counted",
        "counted",
        "missed",
        "counted",
        "counted",
    ]


def test_four_counted_weeks_earn_a_freeze_spent_automatically_on_a_missed_week():
    # Weeks 0–3 active (a freeze earned), week 4 missed (the freeze is spent), week 5 active.
    today = MONDAY + timedelta(weeks=5, days=1)
    streak = compute_streak(_weeks(0, 1, 2, 3, 5), today=today, target=1)
    assert streak.weeks == 5
    assert streak.freezes == 0
    assert streak.freezes_used == 1
    assert [w.status for w in streak.history][-2:] == ["frozen", "counted"]


def test_freezes_are_capped_at_two():
    today = MONDAY + timedelta(weeks=12)
    streak = compute_streak(_weeks(*range(12)), today=today, target=1)
    assert streak.weeks == 12
    assert streak.freezes == 2


def test_the_target_asks_for_more_active_days():
    today = MONDAY + timedelta(weeks=2)
    one_day = compute_streak(_weeks(0, 1), today=today, target=2)
    assert one_day.weeks == 0
    two_days = compute_streak(_weeks(0, 1, days_per_week=2), today=today, target=2)
    assert two_days.weeks == 2


@pytest.mark.django_db
def test_the_streak_is_read_from_the_acts_in_the_learner_time_zone(tenancy, licensed, demo_path):
    learner = tenancy.owner
    HabitProfile.objects.create(
        organisation=tenancy.org_a, membership=learner, time_zone="Europe/Paris"
    )
    # Sunday 8 March 2026 at 23:30 in Paris (22:30 UTC): still week 10 locally.
    with time_machine.travel(datetime(2026, 3, 8, 22, 30, tzinfo=UTC), tick=False):
        JournalEntry.objects.create(
            organisation=tenancy.org_a,
            author=learner,
            occurred_on=date(2026, 3, 8),
            title="Réunion",
        )
    # A recall answered in week 11.
    create_recall_items(
        learner=learner,
        path=demo_path,
        module_slug=MODULE,
        completed_at=datetime(2026, 3, 9, 8, 0, tzinfo=UTC),
    )
    item = learner.recall_items.first()
    answer_recall(item=item, passed=True, now=datetime(2026, 3, 10, 8, 0, tzinfo=UTC))

    streak = streak_of(learner, now=datetime(2026, 3, 11, 12, 0, tzinfo=UTC))
    assert streak.weeks == 2
    assert [(w.monday, w.status) for w in streak.history] == [
        (date(2026, 3, 2), "counted"),
        (date(2026, 3, 9), "counted"),
    ]
    # With a goal of 2 active days a week, neither week counts.
    set_weekly_target(learner=learner, target=2)
    assert streak_of(learner, now=datetime(2026, 3, 11, 12, 0, tzinfo=UTC)).weeks == 0


@pytest.mark.django_db
def test_the_home_card_shows_my_own_streak(tenancy):
    JournalEntry.objects.create(
        organisation=tenancy.org_a, author=tenancy.owner, occurred_on=date.today(), title="Note"
    )
    page = tenancy.client_for(tenancy.owner).get("/")
    assert page.status_code == 200
    assert 'id="habits-card-title"' in page.content.decode()
