"""Bench: the weekly FSRS parameter optimisation of one organisation, for 10,000 and 50,000
reviews.

Builds, on a throw-away database (SQLite in a temporary folder unless DATABASE_URL names a
PostgreSQL one, which must be empty), one organisation per size whose learners' answers
follow known FSRS parameters (`ancrage/habits/tests/synthetic.py`: items of finished
modules, reviewed when the default scheduler says they are due, 0–6 days late). Then, in the
same run, for each size:

1. `optimise_organisation` — what the weekly job does for that organisation: read its
   reviews, fit with fsrs-rs on the older four fifths, replay the items that have held-out
   reviews with fsrs's Scheduler for the parameters in use and the fitted ones, score the
   held-out fifth, record the run. Timed (best of 3), with the fit alone beside it.
2. Baseline: read the same reviews and replay them once with FSRS's default parameters
   (`histories_of` + `log_loss`) — the floor of any optimiser that judges parameters with
   fsrs's own Scheduler.

Prints the times, the ratio optimisation / baseline, and the run's verdict and log-losses.

    .venv/bin/python bench/habits/recall_optimisation.py [REVIEWS ...]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ancrage_bench_recall \
        .venv/bin/python bench/habits/recall_optimisation.py [REVIEWS ...]
"""

import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
_tmp = tempfile.mkdtemp(prefix="ancrage-bench-recall-")
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from fsrs.scheduler import DEFAULT_PARAMETERS  # noqa: E402

from ancrage.catalog.models import Card  # noqa: E402
from ancrage.catalog.tests.published import published_path  # noqa: E402
from ancrage.habits.fitting import fit, held_out_since, log_loss  # noqa: E402
from ancrage.habits.models import HabitSettings  # noqa: E402
from ancrage.habits.optimise import (  # noqa: E402
    HELD_OUT_SHARE,
    histories_of,
    optimise_organisation,
)
from ancrage.habits.tests.synthetic import (  # noqa: E402
    synthetic_histories,
    with_changes,
    write_histories,
)
from ancrage.tenancy.models import Organisation  # noqa: E402

SIZES = [int(a) for a in sys.argv[1:]] or [10_000, 50_000]
TRUE = with_changes({0: 1.0, 2: 6.0, 8: 1.3, 20: 0.5})


def best_of(runs: int, function):  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def build(reviews: int, cards: list[Card]) -> Organisation:
    slug = f"bench-{uuid.uuid4().hex[:6]}"
    org = Organisation.objects.create(name=f"Bench recall {reviews}", slug=slug)
    HabitSettings.objects.create(organisation=org)
    write_histories(org, synthetic_histories(TRUE, reviews=reviews, seed=reviews), cards)
    return org


def main() -> None:
    print(f"Database: {connection.vendor}; sizes: {', '.join(f'{n:,}' for n in SIZES)} reviews")
    call_command("migrate", verbosity=0)
    version = published_path(
        f"BENCH-{uuid.uuid4().hex[:4].upper()}", title="Bench", promise_minutes=20
    )
    cards = list(
        Card.objects.filter(module__version=version).select_related("module__version__path")
    )
    for reviews in SIZES:
        started = time.perf_counter()
        org = build(reviews, cards)
        print(f"\n{reviews:,} reviews: built in {time.perf_counter() - started:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        def baseline(org: Organisation = org) -> int:
            return log_loss(DEFAULT_PARAMETERS, histories_of(org.pk)).reviews

        def optimise(org: Organisation = org):  # type: ignore[no-untyped-def]
            HabitSettings.objects.filter(organisation=org).update(recall_parameters=[])
            return optimise_organisation(org.pk)

        base_time, replayed = best_of(3, baseline)
        opt_time, run = best_of(3, optimise)
        read_time, histories = best_of(3, lambda org=org: histories_of(org.pk))
        since = held_out_since(histories, HELD_OUT_SHARE)
        fit_time, _fitted = best_of(3, lambda h=histories, s=since: fit(h, before=s))
        print(f"  items: {len(histories):,}; predicted reviews replayed: {replayed:,}")
        print(f"  optimise_organisation:            {opt_time * 1000:8.0f} ms")
        print(f"    of which the fsrs-rs fit:        {fit_time * 1000:8.0f} ms")
        print(f"  baseline read + replay (defaults): {base_time * 1000:8.0f} ms")
        print(f"    of which the read:               {read_time * 1000:8.0f} ms")
        print(f"  ratio optimisation / baseline: {opt_time / base_time:.1f}×")
        print(
            f"  verdict: {run.outcome}; held-out log-loss {run.log_loss_before:.4f} → "
            f"{run.log_loss_after:.4f} on {run.held_out_reviews:,} reviews"
        )


if __name__ == "__main__":
    main()
