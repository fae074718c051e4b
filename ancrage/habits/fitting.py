"""Fit FSRS parameters to review histories, and score parameters on held-out reviews.

Fitting is fsrs-rs's optimiser (PyPI `fsrs-rs-python`: the Rust FSRS-6 of the same
open-spaced-repetition project as `fsrs`; 21 parameters with the same defaults and the same
formulas, no PyTorch). Scoring is ours and runs fsrs 6.3.2's own `Scheduler` — the code that
schedules our learners — so parameters are judged by what they would do here: each item's
reviews are replayed and the log-loss of the predicted retrievability against the pass/fail
outcomes is taken (an item's first review has no prediction: it sets the initial memory).

Pure functions on plain data; `ancrage.habits.optimise` reads the reviews and keeps the result.
"""

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from fsrs import Card as FsrsCard
from fsrs.scheduler import DEFAULT_PARAMETERS
from fsrs_rs_python import FSRS, FSRSItem, FSRSReview

from ancrage.habits.recall import make_scheduler, rating_for

Review = tuple[datetime, bool]  # (reviewed_at, aware UTC; passed)
History = Sequence[Review]  # one recall item's reviews, oldest first

EPSILON = 1e-6  # predictions are clipped to [ε, 1 − ε] so a sure miss costs ~14, not ∞
DECIMALS = 4  # fsrs-rs computes in float32; every fsrs bound has at most 3 decimals


class FitFailed(Exception):
    """fsrs-rs could not fit parameters to these histories (the message says why)."""


@dataclass(frozen=True)
class Score:
    log_loss: float  # mean over `reviews`; NaN when there is none
    reviews: int


def held_out_since(histories: Sequence[History], share: float) -> datetime | None:
    """The moment from which the most recent `share` of the predicted reviews (every review
    but an item's first) are held out; None when there is no predicted review."""
    moments = sorted(at for history in histories for at, _passed in history[1:])
    if not moments:
        return None
    return moments[min(len(moments) - 1, int(len(moments) * (1 - share)))]


def log_loss(
    parameters: Sequence[float], histories: Sequence[History], *, since: datetime | None = None
) -> Score:
    """Replay each history with fsrs's Scheduler and these parameters; the mean log-loss of
    the retrievability it predicted before each review at or after `since` (all if None)."""
    scheduler = make_scheduler(parameters)
    total, count = 0.0, 0
    for history in histories:
        if not history or (since is not None and history[-1][0] < since):
            continue
        card = FsrsCard(card_id=0, due=history[0][0])
        for at, passed in history:
            if card.last_review is not None and (since is None or at >= since):
                predicted = scheduler.get_card_retrievability(card, at)
                predicted = min(max(predicted, EPSILON), 1 - EPSILON)
                total -= math.log(predicted if passed else 1 - predicted)
                count += 1
            card, _log = scheduler.review_card(card, rating_for(passed), at)
    return Score(log_loss=total / count if count else math.nan, reviews=count)


def _training_items(histories: Sequence[History], before: datetime | None) -> Iterator[FSRSItem]:
    """fsrs-rs's training rows: for each review after an item's first (and before `before`),
    the item's reviews up to it, as (rating, whole days since the previous review) — whole
    days like fsrs's Scheduler counts them. fsrs-rs refuses (panics on) a row whose reviews
    all fall on one day, so those are left out."""
    for history in histories:
        reviews: list[FSRSReview] = []
        previous: datetime | None = None
        spaced = False
        for at, passed in history:
            if before is not None and at >= before:
                break
            days = (at - previous).days if previous is not None else 0
            spaced = spaced or days > 0
            reviews.append(FSRSReview(int(rating_for(passed)), days))
            previous = at
            if len(reviews) > 1 and spaced:
                yield FSRSItem(list(reviews))


def fit(histories: Sequence[History], *, before: datetime | None = None) -> list[float]:
    """FSRS-6 parameters fitted to the reviews before `before`, starting from the defaults
    (fsrs-rs returns the defaults when there is too little to learn from). Raises FitFailed.

    Ratings are binary (Again/Good), so the Hard and Easy parameters are not learnt from
    data; intra-day parameters stay near their defaults (we have no same-day reviews)."""
    items = list(_training_items(histories, before))
    try:
        fitted = FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(items, enable_short_term=True)
    except Exception as exc:
        raise FitFailed(str(exc)) from exc
    except BaseException as exc:  # a Rust panic arrives as pyo3's PanicException
        if type(exc).__name__ != "PanicException":
            raise
        raise FitFailed(str(exc)) from exc
    return [round(float(p), DECIMALS) for p in fitted]
