"""Study: from how many reviews is the per-organisation FSRS optimisation worth running?

For each size, ORGS synthetic organisations, each with its own "true" parameters (FSRS's
defaults with 7 long-term parameters scaled by e^N(0, 0.35), within fsrs's bounds), generate
that many reviews (`ancrage/habits/tests/synthetic.py`), run the optimiser's verdict
(`habits.optimise.judge`: fit on the older four fifths, accept on a lower held-out log-loss)
with the thresholds switched off, then score the accepted parameters on 20,000 fresh reviews
of the same learners-to-be. Prints, per size: how many were accepted, how many of those
predict fresh answers worse than the defaults, and the mean gain in log-loss on fresh answers
(0 for a rejected fit). No database. The baseline of each gain is the defaults in the same run.

    .venv/bin/python bench/habits/recall_threshold.py [ORGS]
"""

import math
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from fsrs.scheduler import (  # noqa: E402
    DEFAULT_PARAMETERS,
    LOWER_BOUNDS_PARAMETERS,
    UPPER_BOUNDS_PARAMETERS,
)

from ancrage.habits import optimise  # noqa: E402
from ancrage.habits.fitting import log_loss  # noqa: E402
from ancrage.habits.models import OptimisationOutcome  # noqa: E402
from ancrage.habits.tests.synthetic import synthetic_histories  # noqa: E402

ORGS = int(sys.argv[1]) if len(sys.argv) > 1 else 20
SIZES = (300, 600, 1000, 2000, 3000, 5000)
VARIED = (0, 2, 8, 10, 11, 14, 20)


def true_parameters(rng: random.Random) -> list[float]:
    parameters = list(DEFAULT_PARAMETERS)
    for i in VARIED:
        scaled = parameters[i] * math.exp(rng.gauss(0, 0.35))
        parameters[i] = min(max(scaled, LOWER_BOUNDS_PARAMETERS[i]), UPPER_BOUNDS_PARAMETERS[i])
    return parameters


def main() -> None:
    optimise.MIN_REVIEWS = 0  # the study is about where these thresholds should be
    optimise.MIN_HELD_OUT = 1
    defaults = list(DEFAULT_PARAMETERS)
    print(f"{ORGS} synthetic organisations per size; gains are log-loss on fresh answers")
    print("reviews  held-out  accepted  accepted-but-worse  mean gain (fresh)")
    for size in SIZES:
        started = time.perf_counter()
        accepted = worse = 0
        gains, held_out = [], []
        for org in range(ORGS):
            truth = true_parameters(random.Random(org))  # noqa: S311 — synthetic data
            verdict = optimise.judge(synthetic_histories(truth, reviews=size, seed=org), defaults)
            held_out.append(verdict.held_out)
            if verdict.outcome != OptimisationOutcome.OPTIMISED:
                gains.append(0.0)
                continue
            fresh = synthetic_histories(truth, reviews=20_000, seed=10_000 + org)
            gain = log_loss(defaults, fresh).log_loss - log_loss(verdict.parameters, fresh).log_loss
            accepted += 1
            worse += gain < 0
            gains.append(gain)
        print(
            f"{size:7,}  {statistics.mean(held_out):8.0f}  {accepted:4}/{ORGS:<3}  "
            f"{worse:18}  {statistics.mean(gains):+.4f}   ({time.perf_counter() - started:.0f} s)",
            flush=True,
        )


if __name__ == "__main__":
    main()
