"""Per-organisation FSRS parameter optimisation, once enough reviews exist.

fsrs 6.3.2's `Optimizer` needs PyTorch (the `fsrs[optimizer]` extra), which Ancrage does not
install: when it is missing the organisation keeps FSRS's default parameters and the reason
is recorded in `HabitSettings.optimiser_note` (shown nowhere to learners). When PyTorch is
present the optimiser runs on the organisation's own review logs and the result is stored in
`HabitSettings.recall_parameters`, which `recall.scheduler_for` then uses.
"""

import importlib.util
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from fsrs import Rating
from fsrs import ReviewLog as FsrsReviewLog

from ancrage.habits.models import HabitSettings, ReviewLog

MIN_REVIEWS = 1000
NOT_AVAILABLE = "FSRS optimiser not available: it needs PyTorch (fsrs[optimizer]); defaults kept."


def optimiser_available() -> bool:
    return importlib.util.find_spec("torch") is not None


def organisations_ready(minimum: int | None = None) -> list[Any]:
    minimum = minimum or MIN_REVIEWS
    return list(
        ReviewLog.objects.values("organisation_id")
        .annotate(n=Count("id"))
        .filter(n__gte=minimum)
        .values_list("organisation_id", flat=True)
    )


def _fsrs_logs(organisation_id: Any) -> list[FsrsReviewLog]:
    return [
        FsrsReviewLog(
            card_id=item_id.int % (2**53),
            rating=Rating(rating),
            review_datetime=at.astimezone(UTC),
            review_duration=duration,
        )
        for item_id, rating, at, duration in ReviewLog.objects.filter(
            organisation_id=organisation_id
        )
        .order_by("reviewed_at")
        .values_list("item_id", "rating", "reviewed_at", "duration_ms")
    ]


def optimise_organisation(organisation_id: Any, *, now: datetime | None = None) -> str:
    """Optimise one organisation's parameters (or record why not); idempotent."""
    now = now or timezone.now()
    if not optimiser_available():
        note, parameters = NOT_AVAILABLE, None
    else:  # pragma: no cover — PyTorch is not installed in Ancrage's environment
        import fsrs

        optimizer = fsrs.Optimizer(_fsrs_logs(organisation_id))
        parameters = [float(p) for p in optimizer.compute_optimal_parameters()]
        note = f"Optimised on {now:%Y-%m-%d}."
    with transaction.atomic():
        settings, _ = HabitSettings.objects.select_for_update().get_or_create(
            organisation_id=organisation_id
        )
        settings.optimiser_note = note
        if parameters is not None:
            settings.recall_parameters = parameters
            settings.parameters_optimised_at = now
        settings.save()
    return note


def optimise_recall_parameters(*, now: datetime | None = None) -> str:
    """Run the optimisation for every organisation with at least MIN_REVIEWS reviews."""
    ready = organisations_ready()
    notes = [optimise_organisation(org, now=now) for org in ready]
    if not ready:
        return f"no organisation has {MIN_REVIEWS} reviews yet"
    return f"{len(ready)} organisation(s): {notes[-1]}"
