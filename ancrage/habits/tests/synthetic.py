"""Synthetic recall histories of learners whose memory follows known FSRS parameters, for the
optimiser's tests and bench (bench/habits/recall_optimisation.py).

Each item is a module's quiz or flashcard: first recalled a day or two after the module
(passed 80 % of the time: the module was the learning), then whenever the organisation's
scheduler (FSRS defaults, as deployed) says it is due, the learner coming back 0–6 days
late; each answer passes with the retrievability that the *generating* parameters predict.
One learner in ten stops after any answer. Deterministic for a seed.
"""

import random
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from fsrs import Card, Rating, Scheduler
from fsrs.scheduler import DEFAULT_PARAMETERS

from ancrage.accounts.models import User
from ancrage.catalog.models import Card as CatalogCard
from ancrage.habits.fitting import Review
from ancrage.habits.models import RecallItem, RecallSource, ReviewLog
from ancrage.habits.recall import copy_state
from ancrage.tenancy.models import Membership, Organisation, Role

START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
SPAN_DAYS = 200  # modules are finished over this many days
END = START + timedelta(days=240)  # no review after this moment ("now")
LATE_DAYS = (0, 0, 1, 2, 3, 6)


def with_changes(changes: dict[int, float]) -> list[float]:
    """FSRS's defaults with some parameters changed, e.g. {0: 0.6, 2: 4.0, 20: 0.3}."""
    parameters = list(DEFAULT_PARAMETERS)
    for index, value in changes.items():
        parameters[index] = value
    return parameters


def synthetic_histories(
    parameters: Sequence[float], *, reviews: int, seed: int
) -> list[list[Review]]:
    rng = random.Random(seed)  # noqa: S311 — synthetic data, not security
    memory = Scheduler(parameters, learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    deployed = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    histories: list[list[Review]] = []
    count = 0
    while count < reviews:
        finished = START + timedelta(days=rng.uniform(0, SPAN_DAYS))
        truth = scheduled = Card(card_id=len(histories), due=finished)
        at = finished + timedelta(days=1, hours=rng.uniform(0, 24))
        history: list[Review] = []
        while at < END and count < reviews:
            if truth.last_review is None:
                passed = rng.random() < 0.8
            else:
                passed = rng.random() < memory.get_card_retrievability(truth, at)
            rating = Rating.Good if passed else Rating.Again
            truth, _log = memory.review_card(truth, rating, at)
            scheduled, _log = deployed.review_card(scheduled, rating, at)
            history.append((at, passed))
            count += 1
            if rng.random() < 0.1:
                break
            late = timedelta(days=rng.choice(LATE_DAYS), hours=rng.uniform(0, 10))
            at = scheduled.due + late
        if history:
            histories.append(history)
    return histories


def write_histories(
    organisation: Organisation, histories: Sequence[Sequence[Review]], cards: Sequence[CatalogCard]
) -> list[Membership]:
    """Store the histories as the organisation's recall items and reviews: item i belongs to
    learner i // len(cards) and is about card i % len(cards). Returns the learners."""
    needed = -(-len(histories) // len(cards))
    tag = uuid.uuid4().hex[:8]
    users = User.objects.bulk_create(
        [User(email=f"s{i}-{tag}@synthetic.test", name=f"Synthetic {i}") for i in range(needed)]
    )
    learners = Membership.objects.bulk_create(
        [Membership(organisation=organisation, user=u, role=Role.LEARNER) for u in users]
    )
    deployed = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    items, logs = [], []
    for index, history in enumerate(histories):
        card = cards[index % len(cards)]
        item = RecallItem(
            organisation=organisation,
            learner=learners[index // len(cards)],
            path=card.module.version.path,
            path_version=card.module.version,
            card=card,
            card_key=f"{card.module.slug}.{card.order + 1}",
            source=RecallSource.PLAYER,
            due=history[0][0],
        )
        memory = Card(card_id=index, due=history[0][0])
        for at, passed in history:  # as the deployed scheduler left it
            memory, _log = deployed.review_card(memory, Rating.Good if passed else Rating.Again, at)
        copy_state(item, memory)
        items.append(item)
        logs += [
            ReviewLog(
                organisation=organisation,
                item=item,
                learner=item.learner,
                passed=passed,
                rating=int(Rating.Good if passed else Rating.Again),
                reviewed_at=at,
            )
            for at, passed in history
        ]
    RecallItem.objects.bulk_create(items, batch_size=2000)
    ReviewLog.objects.bulk_create(logs, batch_size=5000)
    return learners
