"""Signed unsubscribe tokens: who (membership id) and which topic, no database lookup needed.

The token is signed with SECRET_KEY and a salt of its own; it does not expire, because an
unsubscribe link in a months-old email must still work.
"""

import uuid
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.urls import reverse

from ancrage.notify.models import Topic

SALT = "ancrage.notify.unsubscribe"


@dataclass(frozen=True)
class UnsubscribeRequest:
    membership_id: uuid.UUID
    topic: str


def unsubscribe_token(membership_id: uuid.UUID, topic: str) -> str:
    return signing.Signer(salt=SALT).sign_object({"m": str(membership_id), "t": topic})


def read_unsubscribe_token(token: str) -> UnsubscribeRequest | None:
    """The request the token stands for, or None when it is forged, damaged or unknown."""
    try:
        data = signing.Signer(salt=SALT).unsign_object(token)
        membership_id = uuid.UUID(str(data["m"]))
        topic = str(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if topic not in Topic.values:
        return None
    return UnsubscribeRequest(membership_id=membership_id, topic=topic)


@lru_cache(maxsize=1)
def _unsubscribe_path_template() -> str:
    return reverse("notify_unsubscribe", args=["TOKEN"])


def unsubscribe_url(membership_id: uuid.UUID, topic: str) -> str:
    token = unsubscribe_token(membership_id, topic)
    return settings.SITE_URL + _unsubscribe_path_template().replace("TOKEN", token)
