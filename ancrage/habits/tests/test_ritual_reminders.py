"""Ritual reminders on a controlled clock: at the slot only, once per occurrence, in the
learner's own time zone across daylight-saving changes, never in quiet hours or late."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from ancrage.habits.actions import HabitRefused
from ancrage.habits.models import HabitSettings, OccurrenceOutcome, RitualOccurrence
from ancrage.habits.reminders import plan_reminders, send_ritual_reminders
from ancrage.habits.tests.conftest import make_ritual
from ancrage.notify.models import OutboundMessage

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def _reminders(owner):
    return list(
        OutboundMessage.objects.filter(
            membership=owner, payload__template="habits/email/ritual_reminder"
        ).order_by("created_at")
    )


def test_a_paris_monday_ritual_follows_the_march_change_to_summer_time(tenancy):
    # Wednesday 25 March 2026, winter time; the clocks move on Sunday 29 March.
    with time_machine.travel(_utc(2026, 3, 25, 12, 0), tick=False):
        ritual = make_ritual(tenancy.owner, now=_utc(2026, 3, 25, 12, 0))
    # Monday 30 March, 09:30 in Paris is 07:30 UTC (UTC+2).
    assert ritual.next_slot_at == _utc(2026, 3, 30, 7, 30)

    assert send_ritual_reminders(now=_utc(2026, 3, 30, 7, 29))["sent"] == 0
    assert send_ritual_reminders(now=_utc(2026, 3, 30, 7, 31))["sent"] == 1
    assert send_ritual_reminders(now=_utc(2026, 3, 30, 7, 36))["sent"] == 0  # once
    [message] = _reminders(tenancy.owner)
    assert message.idempotency_key == f"ritual:{ritual.pk}:2026-03-30:09:30"
    ritual.refresh_from_db()
    assert ritual.next_slot_at == _utc(2026, 4, 6, 7, 30)


def test_a_paris_ritual_follows_the_october_change_to_winter_time(tenancy):
    # Daily Mon–Fri at 9:00; the clocks go back on Sunday 25 October 2026.
    ritual = make_ritual(
        tenancy.owner, now=_utc(2026, 10, 23, 12, 0), weekdays=[0, 1, 2, 3, 4], at=time(9, 0)
    )
    assert ritual.next_slot_at == _utc(2026, 10, 26, 8, 0)  # UTC+1 after the change
    assert send_ritual_reminders(now=_utc(2026, 10, 26, 7, 5))["sent"] == 0  # 08:05 in Paris
    assert send_ritual_reminders(now=_utc(2026, 10, 26, 8, 2))["sent"] == 1
    ritual.refresh_from_db()
    assert ritual.next_slot_at == _utc(2026, 10, 27, 8, 0)


def test_a_new_york_ritual_follows_new_york_dates_not_paris_ones(tenancy):
    # New York moves to summer time on 8 March 2026, three weeks before Paris.
    ritual = make_ritual(tenancy.owner, now=_utc(2026, 3, 1, 12, 0), zone="America/New_York")
    assert ritual.next_slot_at == _utc(2026, 3, 2, 14, 30)  # 09:30 EST (UTC−5)
    assert send_ritual_reminders(now=_utc(2026, 3, 2, 14, 31))["sent"] == 1
    ritual.refresh_from_db()
    assert ritual.next_slot_at == _utc(2026, 3, 9, 13, 30)  # 09:30 EDT (UTC−4)
    assert send_ritual_reminders(now=_utc(2026, 3, 9, 13, 31))["sent"] == 1
    keys = [m.idempotency_key for m in _reminders(tenancy.owner)]
    assert [k.rsplit(":", 3)[1:] for k in keys] == [
        ["2026-03-02", "09", "30"],
        ["2026-03-09", "09", "30"],
    ]


def test_a_job_that_runs_after_the_slot_sends_nothing_stale(tenancy):
    ritual = make_ritual(tenancy.owner, now=_utc(2026, 3, 25, 12, 0), minutes=10)
    # The slot is 07:30–07:40 UTC; the job only runs at 07:45.
    counts = send_ritual_reminders(now=_utc(2026, 3, 30, 7, 45))
    assert counts == {"sent": 0, "late": 1, "quiet": 0}
    assert _reminders(tenancy.owner) == []
    occurrence = RitualOccurrence.objects.get(ritual=ritual)
    assert occurrence.outcome == OccurrenceOutcome.LATE
    ritual.refresh_from_db()
    assert ritual.next_slot_at == _utc(2026, 4, 6, 7, 30)


def test_a_slot_in_quiet_hours_is_refused_and_never_reminded(tenancy):
    with pytest.raises(HabitRefused) as refused:
        make_ritual(tenancy.owner, now=_utc(2026, 3, 25, 12, 0), at=time(7, 30))
    assert refused.value.field == "local_time"
    with pytest.raises(HabitRefused):  # 19:55 + 10 minutes runs into 20:00
        make_ritual(tenancy.owner, now=_utc(2026, 3, 25, 12, 0), at=time(19, 55))

    ritual = make_ritual(tenancy.owner, now=_utc(2026, 3, 25, 12, 0), at=time(9, 30))
    # The organisation then widens its quiet hours to 09:00: the reminder is recorded, not sent.
    HabitSettings.objects.create(
        organisation=tenancy.org_a, quiet_start=time(19, 0), quiet_end=time(9, 45)
    )
    counts = send_ritual_reminders(now=_utc(2026, 3, 30, 7, 31))
    assert counts == {"sent": 0, "late": 0, "quiet": 1}
    assert _reminders(tenancy.owner) == []
    assert RitualOccurrence.objects.get(ritual=ritual).outcome == OccurrenceOutcome.QUIET


def test_planning_twice_or_racing_sends_one_reminder_per_occurrence(tenancy):
    ritual = make_ritual(tenancy.owner, now=_utc(2026, 3, 25, 12, 0))
    now = _utc(2026, 3, 30, 7, 31)
    planned = plan_reminders(until=now, now=now)
    assert [p.key for p in planned] == [f"ritual:{ritual.pk}:2026-03-30:09:30"]
    # Another run recorded this occurrence first: this one sends nothing.
    RitualOccurrence.objects.create(
        organisation=tenancy.org_a,
        ritual=ritual,
        key=planned[0].key,
        slot_at=planned[0].slot_at,
        outcome=OccurrenceOutcome.SENT,
    )
    assert send_ritual_reminders(now=now)["sent"] == 0
    assert _reminders(tenancy.owner) == []
    ritual.refresh_from_db()
    assert ritual.next_slot_at == _utc(2026, 4, 6, 7, 30)


def test_no_reminder_outside_the_slot_over_four_days(tenancy):
    make_ritual(tenancy.owner, now=_utc(2026, 3, 25, 12, 0), weekdays=[0, 2], minutes=10)
    moment = _utc(2026, 3, 29, 0, 0)  # Sunday (the DST day) to Wednesday night, every 10 min
    sent_at = []
    while moment < _utc(2026, 4, 2, 0, 0):
        if send_ritual_reminders(now=moment)["sent"]:
            sent_at.append(moment.astimezone(PARIS))
        moment += timedelta(minutes=10)
    assert [(m.strftime("%a"), m.hour, m.minute) for m in sent_at] == [
        ("Mon", 9, 30),
        ("Wed", 9, 30),
    ]


def test_a_stopped_ritual_is_not_reminded(tenancy):
    from ancrage.habits.actions import stop_ritual

    ritual = make_ritual(tenancy.owner, now=_utc(2026, 3, 25, 12, 0))
    stop_ritual(ritual=ritual, now=_utc(2026, 3, 26, 12, 0))
    assert send_ritual_reminders(now=_utc(2026, 3, 30, 7, 31))["sent"] == 0
