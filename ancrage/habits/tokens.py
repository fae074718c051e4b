"""Signed one-tap links of a ritual reminder: snooze (+1 h, tomorrow) and stop.

Like notify's unsubscribe tokens, they are signed with SECRET_KEY and a salt of their own
and need no sign-in. A snooze link names its occurrence and expires after a week (snoozing
a months-old reminder makes no sense); a stop link never expires.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "ancrage.habits.ritual"
ACTIONS = ("hour", "tomorrow", "stop")
SNOOZE_MAX_AGE = timedelta(days=7)


@dataclass(frozen=True)
class RitualLink:
    ritual_id: uuid.UUID
    action: str
    slot_at: datetime | None


def ritual_token(ritual_id: uuid.UUID, action: str, slot_at: datetime | None = None) -> str:
    data = {"r": str(ritual_id), "a": action}
    if slot_at is not None:
        data["s"] = str(int(slot_at.timestamp()))
    return signing.dumps(data, salt=SALT, compress=True)


def read_ritual_token(token: str) -> RitualLink | None:
    """The link the token stands for; None when forged, damaged, unknown or expired."""
    try:
        data = signing.loads(token, salt=SALT)
        ritual_id = uuid.UUID(str(data["r"]))
        action = str(data["a"])
        slot = datetime.fromtimestamp(int(data["s"]), tz=UTC) if "s" in data else None
        if action != "stop":
            signing.loads(token, salt=SALT, max_age=SNOOZE_MAX_AGE)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if action not in ACTIONS:
        return None
    return RitualLink(ritual_id=ritual_id, action=action, slot_at=slot)


def ritual_link(ritual_id: uuid.UUID, action: str, slot_at: datetime | None = None) -> str:
    token = ritual_token(ritual_id, action, slot_at)
    return settings.SITE_URL + reverse("habits_ritual_link", args=[token])
