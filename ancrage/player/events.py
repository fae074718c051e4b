"""The player's tracking events as hosts send them, parsed and checked against the bundle.

Wire shape (JSON), the same for every host adapter::

    {"id": "<uuid>", "kind": "card_viewed", "card": "<card key>", "at": "<ISO 8601>",
     "response": {...}   # answered only: {"choices": [0, 2]} | {"choice": 1} | {"text": "…"}
     "data": {...}}      # suspend only: small host-agnostic state (≤ 4 KB)

`parse_events` refuses the whole batch with `BadEvent` (a reason code and a sentence) when any
event is malformed or names a card that is not in the enrolment's pinned version: nothing of
a tampered batch is recorded. The digest identifies an event's content, so that a retry (same
id, same digest) is told apart from tampering (same id, other digest).
"""

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ancrage.catalog.models import CardType
from ancrage.player.bundle import Bundle
from ancrage.player.models import EventKind

MAX_EVENTS = 100
MAX_TEXT = 4000
MAX_SUSPEND_BYTES = 4096


class PlayerError(Exception):
    """A refused request: HTTP `status`, a stable `reason` code and a sentence for people."""

    status = 400

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


class BadEvent(PlayerError):
    status = 400


class EventConflict(PlayerError):
    status = 409


@dataclass(frozen=True)
class IncomingEvent:
    id: uuid.UUID
    kind: str
    card: str
    at: datetime
    response: Any
    data: dict[str, Any]
    digest: str


def _digest(raw: dict[str, Any]) -> str:
    content = {k: raw.get(k) for k in ("kind", "card", "at", "response", "data")}
    blob = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def _bad(index: int, message: str, reason: str = "invalid_event") -> BadEvent:
    return BadEvent(reason, _("Event %(n)d: %(problem)s") % {"n": index + 1, "problem": message})


def _response(card_type: str, raw: Any, bundle: Bundle, key: str, index: int) -> Any:
    card = bundle.cards[key]
    if not isinstance(raw, dict):
        raise _bad(index, _("an answer needs a response object"))
    if card_type == CardType.QUIZ:
        choices = raw.get("choices")
        count = len(card.payload["choices"])
        if (
            not isinstance(choices, list)
            or not choices
            or any(type(c) is not int or not 0 <= c < count for c in choices)
            or len(set(choices)) != len(choices)
        ):
            raise _bad(index, _("choose at least one of the answers offered"))
        if not card.payload.get("multiple") and len(choices) != 1:
            raise _bad(index, _("this question takes exactly one answer"))
        return {"choices": sorted(choices)}
    if card_type == CardType.SCENARIO:
        choice = raw.get("choice")
        if type(choice) is not int or not 0 <= choice < len(card.payload["choices"]):
            raise _bad(index, _("choose one of the options offered"))
        return {"choice": choice}
    if card_type in (CardType.REFLECTION_PROMPT, CardType.ACTION_PLAN_PROMPT):
        text = raw.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _bad(index, _("write a few words before saving"))
        if len(text) > MAX_TEXT:
            raise _bad(index, _("keep it under %(n)d characters") % {"n": MAX_TEXT})
        return {"text": text.strip()}
    raise _bad(index, _("this card takes no answer"), "not_answerable")


def parse_event(raw: Any, bundle: Bundle, index: int = 0) -> IncomingEvent:
    if not isinstance(raw, dict):
        raise _bad(index, _("expected an object"))
    try:
        event_id = uuid.UUID(str(raw.get("id")))
    except ValueError as exc:
        raise _bad(index, _("the id must be a UUID")) from exc
    kind = raw.get("kind")
    if kind not in EventKind.values:
        raise _bad(index, _("unknown kind “%(kind)s”") % {"kind": kind})
    at_raw = raw.get("at")
    at = parse_datetime(at_raw) if isinstance(at_raw, str) else None
    if at is None or at.tzinfo is None:
        raise _bad(index, _("“at” must be an ISO 8601 date and time with a time zone"))
    card = raw.get("card") or ""
    if not isinstance(card, str):
        raise _bad(index, _("the card must be a card key"))
    if card and card not in bundle.cards:
        raise _bad(
            index,
            _("card “%(card)s” is not part of this version of the path") % {"card": card[:80]},
            "card_not_in_version",
        )
    if kind in (EventKind.CARD_VIEWED, EventKind.ANSWERED) and not card:
        raise _bad(index, _("this event needs a card"))
    response: Any = None
    if kind == EventKind.ANSWERED:
        response = _response(bundle.cards[card].type, raw.get("response"), bundle, card, index)
    data: dict[str, Any] = {}
    if kind == EventKind.SUSPEND and raw.get("data") is not None:
        if not isinstance(raw["data"], dict):
            raise _bad(index, _("suspend data must be an object"))
        if len(json.dumps(raw["data"])) > MAX_SUSPEND_BYTES:
            raise _bad(index, _("suspend data is too large"))
        data = raw["data"]
    return IncomingEvent(
        id=event_id,
        kind=str(kind),
        card=card,
        at=at,
        response=response,
        data=data,
        digest=_digest(raw),
    )


def parse_events(body: Any, bundle: Bundle) -> list[IncomingEvent]:
    """Check a batch `{"events": [...]}`; raises BadEvent naming the first problem."""
    events = body.get("events") if isinstance(body, dict) else None
    if not isinstance(events, list) or not events:
        raise BadEvent("no_events", _("Send a JSON object with a non-empty “events” list."))
    if len(events) > MAX_EVENTS:
        raise BadEvent(
            "too_many_events", _("Send at most %(n)d events at a time.") % {"n": MAX_EVENTS}
        )
    parsed = [parse_event(raw, bundle, i) for i, raw in enumerate(events)]
    if len({e.id for e in parsed}) != len(parsed):
        raise BadEvent("duplicate_ids", _("Two events of the batch have the same id."))
    return parsed
