from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from ancrage.common import schedule
from ancrage.common.models import ScheduledJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Two test jobs beside the real ones: one that counts its runs, one that always fails."""
    seen: list[str] = []
    registry = dict(schedule._REGISTRY)
    monkeypatch.setattr(schedule, "_REGISTRY", registry)

    @schedule.periodic(name="test.count", every=timedelta(minutes=10))
    def count(now):  # type: ignore[no-untyped-def]
        seen.append(now.isoformat())
        return "counted"

    @schedule.periodic(name="test.broken", every=timedelta(minutes=10))
    def broken(now):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    return seen


def test_every_app_job_is_registered() -> None:
    names = {job.name for job in schedule.registered_jobs()}
    assert {
        "engagement.tick",
        "transfer.ask_due_check_ins",
        "evaluation.refresh_rollups",
        "evaluation.ask_follow_up_surveys",
        "licensing.expire_licences",
        "lrs.forward_statements",
    } <= names


def test_a_job_runs_once_per_period(calls: list[str]) -> None:
    start = timezone.now()
    schedule.run_due(now=start, only="test.count")
    schedule.run_due(now=start + timedelta(minutes=9), only="test.count")
    assert len(calls) == 1
    schedule.run_due(now=start + timedelta(minutes=10), only="test.count")
    assert len(calls) == 2
    row = ScheduledJob.objects.get(name="test.count")
    assert row.next_due_at == start + timedelta(minutes=20)
    assert row.last_ok is True
    assert row.last_summary == "counted"


def test_a_failing_job_is_recorded_and_does_not_stop_the_others(calls: list[str]) -> None:
    now = timezone.now()
    outcomes = {o.name: o for o in schedule.run_due(now=now)}
    assert outcomes["test.broken"].ok is False
    assert "boom" in outcomes["test.broken"].summary
    assert outcomes["test.count"].ok is True
    assert ScheduledJob.objects.get(name="test.broken").last_ok is False
    # The failed period is not retried in a loop: the next try is the next period.
    assert "test.broken" not in {o.name for o in schedule.run_due(now=now + timedelta(minutes=1))}


def test_a_period_claimed_by_another_scheduler_is_not_run_twice(calls: list[str]) -> None:
    now = timezone.now()
    ScheduledJob.objects.create(name="test.count", next_due_at=now - timedelta(seconds=1))
    # Another host claimed the period first: it moved next_due_at forward.
    ScheduledJob.objects.filter(name="test.count").update(next_due_at=now + timedelta(minutes=10))
    schedule.run_due(now=now, only="test.count")
    assert calls == []


def test_registering_two_functions_under_one_name_is_refused(calls: list[str]) -> None:
    with pytest.raises(ValueError, match="registered twice"):
        schedule.periodic(name="test.count", every=timedelta(minutes=1))(lambda now: "")


def test_schedule_command_lists_and_runs_once(calls: list[str]) -> None:
    out = StringIO()
    call_command("schedule", "--list", stdout=out)
    assert "engagement.tick" in out.getvalue()
    out = StringIO()
    call_command("schedule", "--once", "--job", "test.count", stdout=out)
    assert "test.count: counted" in out.getvalue()


def test_schedule_command_refuses_an_unknown_job_with_exit_2() -> None:
    with pytest.raises(CommandError, match="no periodic job named 'nope'") as caught:
        call_command("schedule", "--once", "--job", "nope")
    assert caught.value.returncode == 2


def test_every_real_job_runs_on_an_empty_database() -> None:
    outcomes = schedule.run_due(now=timezone.now())
    failed = [f"{o.name}: {o.summary}" for o in outcomes if not o.ok]
    assert failed == []
    assert len(outcomes) >= 6
