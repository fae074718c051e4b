"""Per-organisation FSRS parameter optimisation (the weekly job), once enough reviews exist.

For one organisation, on its own reviews only:

1. the most recent fifth of the predicted reviews (every review but an item's first) is held
   out; the rest is the training set;
2. fsrs-rs fits FSRS-6 parameters on the training set, starting from the defaults
   (`ancrage.habits.fitting`);
3. both the parameters in use and the fitted ones are replayed with fsrs's own Scheduler on
   every item, and scored by log-loss on the held-out reviews;
4. the fitted parameters are put in use (`HabitSettings.recall_parameters`, read by
   `recall.scheduler_for`) only when they are within fsrs's bounds and their held-out
   log-loss is lower; otherwise the parameters in use stay, and the run says why.

Every run is kept as a RecallOptimisation (date, reviews read, held-out log-loss before and
after), shown to the organisation's L&D leads and admins on the habit settings page.

Thresholds: MIN_REVIEWS reviews before trying, and MIN_HELD_OUT predicted reviews in the
held-out fifth (an organisation whose answers are mostly first answers waits for repeats).
`bench/habits/recall_threshold.py` runs the optimiser on synthetic organisations whose
learners follow known parameters and scores the accepted fits on fresh answers: at 1,000
reviews a third of the accepted fits predicted fresh answers worse than the defaults; from
2,000 on, about one in ten, and the mean gain doubled (docs/habits.md).

Items already scheduled keep their memory state and due date; their next review applies the
new parameters from that state.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from fsrs.scheduler import DEFAULT_PARAMETERS

from ancrage.habits.fitting import FitFailed, History, Review, fit, held_out_since, log_loss
from ancrage.habits.models import HabitSettings, OptimisationOutcome, RecallOptimisation, ReviewLog
from ancrage.habits.recall import make_scheduler

MIN_REVIEWS = 2000
MIN_HELD_OUT = 250  # at 2,000 reviews answered a few times each, the fifth holds ~310
HELD_OUT_SHARE = 0.2


def organisations_ready() -> list[Any]:
    """Organisations with at least MIN_REVIEWS reviews."""
    return list(
        ReviewLog.objects.values("organisation_id")
        .annotate(n=Count("id"))
        .filter(n__gte=MIN_REVIEWS)
        .order_by("organisation_id")
        .values_list("organisation_id", flat=True)
    )


def histories_of(organisation_id: Any) -> list[list[Review]]:
    """The organisation's reviews, one history per recall item, oldest review first."""
    by_item: dict[Any, list[Review]] = {}
    rows = (
        ReviewLog.objects.filter(organisation_id=organisation_id)
        .order_by("reviewed_at", "created_at")
        .values_list("item_id", "reviewed_at", "passed")
    )
    for item_id, reviewed_at, passed in rows.iterator(chunk_size=5000):
        by_item.setdefault(item_id, []).append((reviewed_at.astimezone(UTC), passed))
    return list(by_item.values())


@dataclass(frozen=True)
class Verdict:
    outcome: str
    held_out: int = 0
    before: float | None = None
    after: float | None = None
    parameters: list[float] = field(default_factory=list)
    detail: str = ""


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def judge(histories: Sequence[History], in_use: Sequence[float]) -> Verdict:
    """Fit on all but the held-out reviews; keep the fitted parameters only if they predict
    the held-out reviews better than `in_use` does."""
    if sum(len(history) for history in histories) < MIN_REVIEWS:
        return Verdict(OptimisationOutcome.TOO_FEW_REVIEWS)
    since = held_out_since(histories, HELD_OUT_SHARE)
    before = log_loss(in_use, histories, since=since)
    if since is None or before.reviews < MIN_HELD_OUT:
        return Verdict(OptimisationOutcome.TOO_FEW_REPEATS, held_out=before.reviews)
    try:
        fitted = fit(histories, before=since)
        make_scheduler(fitted)  # fsrs's own check: 21 parameters within its bounds
    except (FitFailed, ValueError) as exc:
        return Verdict(
            OptimisationOutcome.FAILED,
            held_out=before.reviews,
            before=_finite(before.log_loss),
            detail=str(exc)[:300],
        )
    after = log_loss(fitted, histories, since=since)
    better = after.log_loss < before.log_loss
    return Verdict(
        OptimisationOutcome.OPTIMISED if better else OptimisationOutcome.NOT_BETTER,
        held_out=before.reviews,
        before=_finite(before.log_loss),
        after=_finite(after.log_loss),
        parameters=fitted,
    )


def optimise_organisation(
    organisation_id: Any, *, now: datetime | None = None
) -> RecallOptimisation:
    """Run the optimisation for one organisation on its own reviews and record the run; the
    fitted parameters replace those in use only when the verdict is `optimised`."""
    now = now or timezone.now()
    histories = histories_of(organisation_id)
    in_use = HabitSettings.for_organisation(organisation_id).recall_parameters
    verdict = judge(histories, in_use or DEFAULT_PARAMETERS)
    with transaction.atomic():
        settings, _created = HabitSettings.objects.select_for_update().get_or_create(
            organisation_id=organisation_id
        )
        run = RecallOptimisation.objects.create(
            organisation_id=organisation_id,
            ran_at=now,
            outcome=verdict.outcome,
            reviews=sum(len(history) for history in histories),
            held_out_reviews=verdict.held_out,
            log_loss_before=verdict.before,
            log_loss_after=verdict.after,
            parameters=verdict.parameters,
            detail=verdict.detail,
        )
        if verdict.outcome == OptimisationOutcome.OPTIMISED:
            settings.recall_parameters = verdict.parameters
            settings.parameters_optimised_at = now
            settings.save(
                update_fields=["recall_parameters", "parameters_optimised_at", "updated_at"]
            )
    return run


def optimise_recall_parameters(*, now: datetime | None = None) -> str:
    """Run the optimisation for every organisation with at least MIN_REVIEWS reviews."""
    ready = organisations_ready()
    if not ready:
        return f"no organisation has {MIN_REVIEWS} reviews yet"
    runs = [optimise_organisation(organisation_id, now=now) for organisation_id in ready]
    optimised = sum(run.outcome == OptimisationOutcome.OPTIMISED for run in runs)
    return f"{len(runs)} organisation(s): {optimised} optimised, {len(runs) - optimised} kept"
