"""Reads of notify, and the access_* helpers for Teams channels and the send log.

Teams channels and the log of sent messages belong to L&D leads and organisation admins of
the organisation; anyone else, and anyone from another organisation, gets 404.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from ancrage.notify.models import (
    DeliveryStatus,
    NotificationPreference,
    OutboundMessage,
    TeamsChannel,
)
from ancrage.tenancy.models import Membership


def _uuid_or_404(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def preference_for(membership: Membership) -> NotificationPreference:
    """The person's saved choices, or the defaults (everything on, unsaved)."""
    found = NotificationPreference.objects.filter(membership=membership).first()
    return found or NotificationPreference(
        membership=membership, organisation_id=membership.organisation_id
    )


def teams_channels_of(actor: Membership) -> "QuerySet[TeamsChannel]":
    if not actor.can_manage_people:
        return TeamsChannel.objects.none()
    return TeamsChannel.objects.filter(organisation=actor.organisation, active=True).select_related(
        "team"
    )


def access_teams_channel(actor: Membership, channel_id: Any) -> TeamsChannel:
    try:
        return teams_channels_of(actor).get(pk=_uuid_or_404(channel_id))
    except TeamsChannel.DoesNotExist as exc:
        raise Http404 from exc


def outbox_of(actor: Membership, *, status: str = "") -> "QuerySet[OutboundMessage]":
    """The organisation's send log, newest first (L&D leads and admins only)."""
    if not actor.can_manage_people:
        raise Http404
    rows = OutboundMessage.objects.filter(organisation=actor.organisation).select_related(
        "membership__user"
    )
    if status in DeliveryStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at")


def delivery_counts(organisation_id: uuid.UUID, source: str) -> dict[str, int]:
    """How many messages of one source are sent, waiting, failed or skipped, by channel."""
    counts = (
        OutboundMessage.objects.filter(organisation_id=organisation_id, source=source)
        .values("channel")
        .annotate(
            sent=Count("pk", filter=Q(status=DeliveryStatus.SENT)),
            pending=Count("pk", filter=Q(status=DeliveryStatus.PENDING)),
            failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
            skipped=Count("pk", filter=Q(status=DeliveryStatus.SKIPPED)),
        )
    )
    result: dict[str, int] = {}
    for row in counts:
        for key in ("sent", "pending", "failed", "skipped"):
            result[f"{row['channel']}_{key}"] = row[key]
    return result


def outbound_by_key(organisation_id: uuid.UUID, keys: Iterable[str]) -> dict[str, OutboundMessage]:
    """The organisation's logged sends with these idempotency keys, by key (absent: none)."""
    rows = OutboundMessage.objects.filter(
        organisation_id=organisation_id, idempotency_key__in=list(keys)
    )
    return {row.idempotency_key: row for row in rows}


@dataclass(frozen=True)
class ChannelHealth:
    """How cards to one Teams channel are doing, for the channels page (nothing is hidden)."""

    waiting: int = 0
    failed: int = 0
    last_error: str = ""
    last_failure_at: datetime | None = None
    next_attempt_at: datetime | None = None


def teams_channel_health(channels: Iterable[TeamsChannel]) -> dict[uuid.UUID, ChannelHealth]:
    """Per channel: cards waiting for a retry, cards failed for good, the latest error."""
    ids = [channel.pk for channel in channels]
    rows = OutboundMessage.objects.filter(teams_channel_id__in=ids).exclude(last_error="")
    result: dict[uuid.UUID, ChannelHealth] = {}
    for channel_id in ids:
        mine = rows.filter(teams_channel_id=channel_id)
        latest = mine.order_by("-updated_at").first()
        if latest is None:
            continue
        pending = mine.filter(status=DeliveryStatus.PENDING)
        result[channel_id] = ChannelHealth(
            waiting=pending.count(),
            failed=mine.filter(status=DeliveryStatus.FAILED).count(),
            last_error=latest.last_error,
            last_failure_at=latest.updated_at,
            next_attempt_at=pending.order_by("next_attempt_at")
            .values_list("next_attempt_at", flat=True)
            .first(),
        )
    return result
