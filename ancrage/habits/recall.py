"""Spaced recall with FSRS (PyPI `fsrs`): the bridge between our rows and fsrs's Card.

* Ratings are binary: passed → Rating.Good, failed → Rating.Again (DOMAIN.md §3: FSRS-6
  binary is as good as four grades on the open benchmark).
* Parameters are FSRS's defaults unless the organisation has optimised ones
  (`HabitSettings.recall_parameters`, set by `ancrage.habits.optimise`).
* No intra-day learning steps: the module itself was the learning, so a first recall
  answered right comes back after days, one failed the next day (see ADR 0011).

Also here: reading our module activity ids and actors back from xAPI statements, so that
modules completed in an exported package (statements that come back to our LRS) schedule
recall items like modules completed in our player.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

from ancrage.habits.models import HabitSettings, RecallItem
from ancrage.player import xapi

RECALL_CARD_TYPES = ("quiz", "flashcard")
MODULE_VERBS = (xapi.ADL + "completed", xapi.ADL + "passed")


def make_scheduler(parameters: Sequence[float] | None = None) -> Scheduler:
    """Our one FSRS configuration: no intra-day steps; `parameters` or FSRS's defaults.
    Raises ValueError when a parameter is outside fsrs's bounds."""
    if parameters:
        return Scheduler(
            parameters=[float(p) for p in parameters], learning_steps=(), relearning_steps=()
        )
    return Scheduler(learning_steps=(), relearning_steps=())


def scheduler_for(organisation_id: Any) -> Scheduler:
    """The organisation's own optimised parameters when it has some, else FSRS's defaults."""
    return make_scheduler(HabitSettings.for_organisation(organisation_id).recall_parameters)


def rating_for(passed: bool) -> Rating:
    return Rating.Good if passed else Rating.Again


def fsrs_card(item: RecallItem) -> FsrsCard:
    return FsrsCard(
        card_id=item.pk.int % (2**53),
        state=State(item.state),
        step=item.step,
        stability=item.stability,
        difficulty=item.difficulty,
        due=item.due.astimezone(UTC),
        last_review=item.last_review.astimezone(UTC) if item.last_review else None,
    )


def copy_state(item: RecallItem, card: FsrsCard) -> None:
    item.state = int(card.state)
    item.step = card.step
    item.stability = card.stability
    item.difficulty = card.difficulty
    item.due = card.due
    item.last_review = card.last_review


def retrievability(item: RecallItem, scheduler: Scheduler, now: datetime) -> float:
    return float(scheduler.get_card_retrievability(fsrs_card(item), now.astimezone(UTC)))


@dataclass(frozen=True)
class ModuleRef:
    code: str
    module_slug: str


def module_of(activity_id: str) -> ModuleRef | None:
    """`<SITE_URL>/xapi/activities/path/<code>/module/<slug>` → (code, slug); None otherwise."""
    prefix = xapi.path_id("")
    if not activity_id.startswith(prefix):
        return None
    code, sep, slug = activity_id[len(prefix) :].partition("/module/")
    if not sep or not code or not slug or "/" in code or "/" in slug:
        return None
    return ModuleRef(code=code, module_slug=slug)


@dataclass(frozen=True)
class ActorRef:
    membership_id: str = ""
    email: str = ""


def actor_of(actor_key: str) -> ActorRef | None:
    """Our account actor (membership id) or an mbox (email); None for anything else."""
    parts = actor_key.split("|")
    if len(parts) == 4 and parts[:2] == ["Agent", "account"] and parts[2] == xapi.site_url():
        return ActorRef(membership_id=parts[3])
    if len(parts) == 3 and parts[:2] == ["Agent", "mbox"] and parts[2].startswith("mailto:"):
        return ActorRef(email=parts[2].removeprefix("mailto:").strip().lower())
    return None
