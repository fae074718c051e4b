"""Pure rules of implementation intentions: what a plan still lacks, when check-ins are
asked, and when repeated practice counts as a habit (no database access here)."""

from collections.abc import Iterable
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from ancrage.transfer.models.plans import CHECK_IN_OFFSETS, HABIT_MIN_DONE, HABIT_MIN_WEEKS

PARTS = {
    "planned_on": _("the day"),
    "planned_at": _("the time"),
    "place": _("the place"),
    "task": _("the task to accomplish"),
}


def missing_parts(*, planned_on: object, planned_at: object, place: str, task: str) -> list[str]:
    """The field names among day, time, place and task that are still empty."""
    values = {"planned_on": planned_on, "planned_at": planned_at, "place": place, "task": task}
    return [
        name
        for name, value in values.items()
        if value in (None, "") or (isinstance(value, str) and not value.strip())
    ]


def check_in_dates(
    occurrence_on: date, offsets: Iterable[int] = CHECK_IN_OFFSETS
) -> list[tuple[int, date]]:
    """(offset, day asked) for each check-in after a planned occurrence."""
    return [(offset, occurrence_on + timedelta(days=offset)) for offset in offsets]


def habit_reached(done_days: Iterable[date]) -> bool:
    """At least 8 'done' over at least 6 distinct ISO weeks (DOMAIN.md §5: habit formed)."""
    days = list(done_days)
    weeks = {day.isocalendar()[:2] for day in days}
    return len(days) >= HABIT_MIN_DONE and len(weeks) >= HABIT_MIN_WEEKS
