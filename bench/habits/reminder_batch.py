"""Bench: compute the daily ritual-reminder batch for 100,000 learners.

Builds, on a throw-away database (SQLite in a temporary folder unless DATABASE_URL names a
PostgreSQL one, which must be empty), one organisation with LEARNERS learners, each with an
active ritual: 1 to 5 weekdays, a local time between 08:00 and 19:30, 5–15 minutes, in one
of ten time zones (Paris, London, New York, Montréal, Dakar, Réunion, Nouméa, …), its next
slot computed like `save_ritual` does. Then, in the same run:

1. `plan_reminders(until=now + 24 h)` — the day's batch: every occurrence due in the next
   24 hours, each with its key (ritual + local date + slot), late and quiet-hours verdicts,
   in its learner's time zone. Timed (best of 3).
2. `plan_reminders` for the first 5-minute tick of the reminder job (what runs every 5
   minutes; at 05:00 UTC on a Monday, when Europe/Dakar and Paris' early slots start).
3. Baseline: the raw SQL that reads the same rows (`SELECT … WHERE state = 'active' AND
   next_slot_at <= %s`, all rows fetched) — the floor any computation over them pays.

Prints the times and the ratio batch / baseline.

    .venv/bin/python bench/habits/reminder_batch.py [LEARNERS]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ancrage_bench_habits \
        .venv/bin/python bench/habits/reminder_batch.py [LEARNERS]
"""

import os
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
_tmp = tempfile.mkdtemp(prefix="ancrage-bench-habits-")
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from ancrage.accounts.models import User  # noqa: E402
from ancrage.habits import slots  # noqa: E402
from ancrage.habits.models import HabitSettings, Ritual, RitualState  # noqa: E402
from ancrage.habits.reminders import plan_reminders  # noqa: E402
from ancrage.tenancy.models import Membership, Organisation, Role  # noqa: E402

LEARNERS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
ZONES = (
    "Europe/Paris",
    "Europe/Paris",
    "Europe/Paris",
    "Europe/London",
    "Europe/Brussels",
    "America/New_York",
    "America/Montreal",
    "Africa/Dakar",
    "Indian/Reunion",
    "Pacific/Noumea",
)


def build(now: datetime) -> int:
    rng = random.Random(11)  # noqa: S311
    slug = f"bench-{uuid.uuid4().hex[:6]}"
    org = Organisation.objects.create(name="Bench habits", slug=slug)
    HabitSettings.objects.create(organisation=org)
    users = User.objects.bulk_create(
        [User(email=f"l{i}@{slug}.test", name=f"Learner {i}") for i in range(LEARNERS)],
        batch_size=5000,
    )
    members = Membership.objects.bulk_create(
        [Membership(organisation=org, user=u, role=Role.LEARNER) for u in users],
        batch_size=5000,
    )
    rituals = []
    for member in members:
        zone_name = rng.choice(ZONES)
        days = sorted(rng.sample(range(5), rng.randint(1, 5)))
        at = clock(rng.randint(8, 19), rng.choice((0, 15, 30)))
        rituals.append(
            Ritual(
                organisation=org,
                learner=member,
                frequency="weekly" if len(days) == 1 else "daily",
                weekdays=days,
                local_time=at,
                minutes=rng.choice((5, 10, 15)),
                cue="après le stand-up",
                time_zone=zone_name,
                state=RitualState.ACTIVE,
                next_slot_at=slots.next_slot(
                    weekdays=days, at=at, zone=ZoneInfo(zone_name), after=now
                ),
            )
        )
    Ritual.objects.bulk_create(rituals, batch_size=5000)
    return len(rituals)


def best_of(runs: int, function):  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    engine = connection.vendor
    print(f"Database: {engine}; building {LEARNERS:,} learners with a ritual…", flush=True)
    call_command("migrate", verbosity=0)
    now = datetime(2026, 3, 30, 5, 0, tzinfo=UTC)  # a Monday, the week Europe changes time
    started = time.perf_counter()
    count = build(now - timedelta(minutes=1))
    print(f"  built {count:,} rituals in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    until = now + timedelta(hours=24)
    batch_time, batch = best_of(3, lambda: plan_reminders(until=until, now=now))

    def raw() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, next_slot_at, minutes, time_zone, organisation_id "
                "FROM habits_ritual WHERE state = %s AND next_slot_at <= %s",
                ["active", until],
            )
            return len(cursor.fetchall())

    raw_time, raw_rows = best_of(3, raw)
    tick_now = now + timedelta(minutes=5)
    tick_time, tick = best_of(3, lambda: plan_reminders(until=tick_now, now=tick_now))
    sendable = sum(1 for p in batch if p.sendable)
    keys = len({p.key for p in batch})
    assert raw_rows == len(batch), (raw_rows, len(batch))
    print(
        f"  daily batch: {len(batch):,} reminders ({sendable:,} sendable, {keys:,} distinct keys)"
    )
    print(f"  plan_reminders(24 h):  {batch_time * 1000:8.1f} ms")
    print(f"  baseline raw SQL read: {raw_time * 1000:8.1f} ms  ({raw_rows:,} rows)")
    print(f"  ratio batch / baseline: {batch_time / raw_time:.1f}×")
    print(f"  one 5-minute tick: {len(tick):,} reminders planned in {tick_time * 1000:.1f} ms")


if __name__ == "__main__":
    main()
