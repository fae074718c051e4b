"""Periodic jobs: one registry, one process (`ancrage schedule`), each job run once per period.

An app declares its jobs in `<app>/jobs.py`::

    @periodic(name="transfer.ask_due_check_ins", every=timedelta(minutes=15))
    def ask_due_check_ins(now: datetime) -> str:
        return f"{len(send_check_in_reminders(now=now))} check-in(s) asked"

`run_due` claims a due job with one conditional UPDATE (its next due time moves forward before
the job runs), so two schedulers on two hosts never run the same period twice, on SQLite as on
PostgreSQL. A job runs outside any surrounding transaction and must be idempotent: a crash
mid-run is repaired by the next period, never by a retry of the same one.
"""

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from ancrage.common.models import ScheduledJob

logger = logging.getLogger(__name__)

type JobFunction = Callable[[datetime], str]


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    function: JobFunction


_REGISTRY: dict[str, PeriodicJob] = {}


def periodic(*, name: str, every: timedelta) -> Callable[[JobFunction], JobFunction]:
    """Register `function(now) -> summary` to run every `every` (at most once per period)."""
    if every <= timedelta(0):
        raise ValueError(f"periodic job {name!r}: 'every' must be positive")

    def register(function: JobFunction) -> JobFunction:
        existing = _REGISTRY.get(name)
        if existing is not None and existing.function is not function:
            qualname = f"{function.__module__}.{function.__qualname__}"
            raise ValueError(f"periodic job {name!r} is registered twice ({qualname})")
        _REGISTRY[name] = PeriodicJob(name=name, every=every, function=function)
        return function

    return register


def registered_jobs() -> list[PeriodicJob]:
    """Every job declared in an installed app's `jobs.py`, sorted by name."""
    autodiscover_modules("jobs")
    return sorted(_REGISTRY.values(), key=lambda job: job.name)


@dataclass(frozen=True)
class JobOutcome:
    name: str
    ok: bool
    summary: str


def _claim(job: PeriodicJob, now: datetime) -> bool:
    ScheduledJob.objects.get_or_create(name=job.name, defaults={"next_due_at": now})
    claimed = ScheduledJob.objects.filter(name=job.name, next_due_at__lte=now).update(
        next_due_at=now + job.every, last_started_at=now
    )
    return claimed == 1


def _record(name: str, *, ok: bool, summary: str, finished: datetime) -> None:
    ScheduledJob.objects.filter(name=name).update(
        last_finished_at=finished, last_ok=ok, last_summary=summary[:1000]
    )


def run_due(*, now: datetime | None = None, only: str = "") -> list[JobOutcome]:
    """Run every job whose period has come (or just `only`), once; return what each said."""
    now = now or timezone.now()
    outcomes: list[JobOutcome] = []
    for job in registered_jobs():
        if only and job.name != only:
            continue
        if not _claim(job, now):
            continue
        try:
            summary = job.function(now)
        except Exception as exc:  # one failing job must not stop the others
            logger.error("periodic job %s failed:\n%s", job.name, traceback.format_exc())
            outcome = JobOutcome(job.name, ok=False, summary=f"{type(exc).__name__}: {exc}")
        else:
            outcome = JobOutcome(job.name, ok=True, summary=summary)
        _record(job.name, ok=outcome.ok, summary=outcome.summary, finished=timezone.now())
        outcomes.append(outcome)
    return outcomes
