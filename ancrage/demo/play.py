"""The demo's learners play their cards through the real player, so every figure agrees.

A generated enrolment is never marked "completed" by hand: `play` sends the tracking events
the web player sends (`started`, `card_viewed`, `answered`) to `player.actions.record_events`,
one batch per sitting, dated in the story's past. The player writes what it always writes —
card and module progress, the resume position, completion derived from the cards, and the
xAPI statements in our LRS (their `timestamp` is the learner's moment; `stored` is when the
demo was loaded, as for any statement a host forwards late) — so streaks, « % parcouru »,
L2 scores and « déclarations xAPI » read the same facts.

Deterministic: event ids are UUID5 of the enrolment and what was done, choices come from the
caller's seeded `random.Random`. Idempotent: an enrolment that already has player events is
left as it is (the ledger would refuse a replay with other content anyway).
"""

import random
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from ancrage.catalog.models import Path
from ancrage.player.actions import record_events, start_path, submit_survey
from ancrage.player.bundle import Bundle, BundleCard, bundle_for
from ancrage.player.events import parse_events
from ancrage.player.models import Enrolment, PlayerEvent, SurveyResponse
from ancrage.tenancy.models import Membership

NAMESPACE = uuid.UUID("5f0c7a52-6a8e-4d0e-9a43-0d6f3c1e2a71")
REFLECTIONS = (
    "Je reformule avant de répondre, surtout en réunion d'équipe.",
    "Je prends deux minutes pour noter ce que j'ai observé avant d'en parler.",
    "J'essaie cette semaine avec un client au téléphone.",
    "Je propose un tour de table avant de donner mon avis.",
)


def _event_id(enrolment: Enrolment, what: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{enrolment.pk}:{what}"))


def _answer(card: BundleCard, rng: random.Random, *, first_try: bool) -> dict[str, Any]:
    """What the learner answers: mostly right (always right on a second try)."""
    choices = card.payload.get("choices", [])
    if card.type == "quiz":
        right = [i for i, c in enumerate(choices) if c["correct"]]
        wrong = [i for i, c in enumerate(choices) if not c["correct"]]
        if first_try and wrong and rng.random() < 0.25:
            return {"choices": [rng.choice(wrong)]}
        return {"choices": right}
    if card.type == "scenario":
        scores = [int(c["score"]) for c in choices]
        if first_try and rng.random() < 0.3:
            return {"choice": rng.randrange(len(choices))}
        return {"choice": scores.index(max(scores))}
    return {"text": rng.choice(REFLECTIONS)}


def _sittings(keys: list[str], count: int) -> list[list[str]]:
    size = -(-len(keys) // count)
    return [keys[i : i + size] for i in range(0, len(keys), size)]


def _sitting_events(
    enrolment: Enrolment,
    bundle: Bundle,
    keys: list[str],
    at: datetime,
    number: int,
    rng: random.Random,
) -> tuple[list[dict[str, Any]], datetime]:
    events: list[dict[str, Any]] = [
        {"id": _event_id(enrolment, f"started:{number}"), "kind": "started", "at": at.isoformat()}
    ]
    for key in keys:
        at += timedelta(seconds=rng.randint(25, 70))
        events.append(
            {
                "id": _event_id(enrolment, f"viewed:{key}"),
                "kind": "card_viewed",
                "card": key,
                "at": at.isoformat(),
            }
        )
        card = bundle.cards[key]
        if card.type not in ("quiz", "scenario", "reflection_prompt", "action_plan_prompt"):
            continue
        right = _answer(card, rng, first_try=False)
        response = _answer(card, rng, first_try=True)
        answers = [response] if card.type != "quiz" or response == right else [response, right]
        for attempt, answer in enumerate(answers, start=1):
            at += timedelta(seconds=rng.randint(15, 60))
            events.append(
                {
                    "id": _event_id(enrolment, f"answered:{key}:{attempt}"),
                    "kind": "answered",
                    "card": key,
                    "at": at.isoformat(),
                    "response": answer,
                }
            )
    return events, at


def play(
    enrolment: Enrolment,
    *,
    until: datetime,
    rng: random.Random,
    cards: int | None = None,
    sittings: int | None = None,
) -> int:
    """Play the first `cards` cards (all of them: the path completes) between the start of
    the enrolment and `until`, in `sittings` batches; returns the events recorded."""
    if PlayerEvent.objects.filter(enrolment=enrolment).exists():
        return 0
    bundle = bundle_for(enrolment.path_version_id, enrolment.path_version.content_hash)
    keys = list(bundle.order if cards is None else bundle.order[: max(1, cards)])
    groups = _sittings(keys, sittings or min(len(bundle.modules), 3))
    start = enrolment.started_at + timedelta(minutes=1)
    # The first sitting right after the start, the last one ending about `until`.
    step = max(until - start - timedelta(minutes=30), timedelta(0)) / max(len(groups) - 1, 1)
    recorded = 0
    for number, group in enumerate(groups):
        at = start + step * number
        raw, end = _sitting_events(enrolment, bundle, group, at, number, rng)
        now = end + timedelta(seconds=30)
        if number == len(groups) - 1:
            now = max(now, until)
        events = parse_events({"events": raw}, bundle)
        result = record_events(
            enrolment=enrolment, events=events, bundle=bundle, now=min(now, timezone.now())
        )
        recorded += len(result.accepted)
    enrolment.refresh_from_db()
    return recorded


def enrol(member: Membership, path: Path, *, origin: str, when: datetime) -> Enrolment:
    """Start `path` through the player (seat and entitlement checked); an existing enrolment
    is returned untouched, so a second run of the demo changes nothing."""
    existing = Enrolment.objects.filter(membership=member, path=path).first()
    if existing is not None:
        return existing
    return start_path(membership=member, path=path, origin=origin, when=when)


def answer_survey(enrolment: Enrolment, answers: dict[str, str], *, when: datetime) -> None:
    """The end-of-path survey, through the player (its xAPI statement included)."""
    if SurveyResponse.objects.filter(enrolment=enrolment).exists():
        return
    bundle = bundle_for(enrolment.path_version_id, enrolment.path_version.content_hash)
    response = submit_survey(enrolment=enrolment, bundle=bundle, now=when, **answers)
    SurveyResponse.objects.filter(pk=response.pk).update(created_at=when)
