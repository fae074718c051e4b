"""Delivering recorded OutboundMessages: at most once each, retried with backoff on failure.

A batch is first *claimed*: in one short transaction, the rows still `pending` and due are
switched to `sending` (`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, so two workers never
claim the same row; SQLite serialises writers). Then each claimed message is sent — no
database lock is held while the SMTP server or the webhook answers — and its row becomes
`sent` (or goes back to `pending` with its next attempt, or `failed`) in one UPDATE. A task
that runs twice, or a second worker, finds nothing pending and sends nothing.

If the process dies between the peer's acceptance and that UPDATE, the row stays `sending`;
`retry_due` hands it back after STALE_AFTER, so delivery is at least once, never silently
lost. The Message-ID is derived from the idempotency key, so a mail store can recognise
such a rare duplicate.

A failed attempt records the error and waits 1 min, 5 min, 30 min, 2 h, then 6 h; after
MAX_ATTEMPTS the message is `failed`. `retry_due` (run by the periodic tick) enqueues
messages whose next attempt is due, and messages left pending or sending too long.
"""

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.core.mail import mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from ancrage.notify.emails import render_email
from ancrage.notify.models import Channel, DeliveryStatus, OutboundMessage
from ancrage.notify.webhooks import WebhookError, post_json

MAX_ATTEMPTS = 6
BACKOFF_SECONDS = (60, 300, 1800, 7200, 21600)
STALE_AFTER = timedelta(minutes=15)


def retry_delay(attempts: int) -> timedelta:
    """Wait after the n-th failed attempt: 1 min, 5 min, 30 min, 2 h, then 6 h."""
    index = min(max(attempts, 1), len(BACKOFF_SECONDS)) - 1
    return timedelta(seconds=BACKOFF_SECONDS[index])


class _Mailer:
    """One SMTP connection opened on first use and shared by a batch."""

    def __init__(self) -> None:
        self.backend: BaseEmailBackend | None = None

    def get(self) -> BaseEmailBackend:
        if self.backend is None:
            self.backend = mailers.default
            self.backend.open()
        return self.backend

    def close(self) -> None:
        if self.backend is not None:
            try:
                self.backend.close()
            except Exception:  # noqa: BLE001, S110 — closing a broken connection may fail too
                pass
            self.backend = None


def _deliver_one(outbound: OutboundMessage, mailer: _Mailer) -> None:
    if outbound.channel in (Channel.EMAIL, Channel.CALENDAR):
        message = render_email(outbound)
        try:
            sent = mailer.get().send_messages([message])
        except Exception:
            mailer.close()  # a broken connection is not reused for the next message
            raise
        if not sent:
            raise RuntimeError("The mail server accepted no recipient.")
    elif outbound.channel == Channel.TEAMS:
        channel = outbound.teams_channel
        if channel is None or not channel.active:
            raise WebhookError("The Teams channel was removed or turned off.")
        post_json(channel.webhook_url, outbound.payload, idempotency_key=outbound.idempotency_key)
    else:
        raise ValueError(f"Unknown channel {outbound.channel!r}")


def claim(ids: Sequence[str | uuid.UUID], now: datetime) -> list[uuid.UUID]:
    """Switch the given messages that are pending and due to `sending`; return their ids."""
    with transaction.atomic():
        claimed = list(
            OutboundMessage.objects.select_for_update(skip_locked=True)
            .filter(pk__in=list(ids), status=DeliveryStatus.PENDING)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .values_list("pk", flat=True)
        )
        OutboundMessage.objects.filter(pk__in=claimed).update(
            status=DeliveryStatus.SENDING, updated_at=now
        )
    return claimed


def deliver(ids: Sequence[str | uuid.UUID], *, now: datetime | None = None) -> dict[str, int]:
    """Send each given message that is pending and due; returns counts by outcome."""
    moment = now or timezone.now()
    claimed = claim(ids, moment)
    outcome = {"sent": 0, "failed": 0, "retry": 0, "skipped": len(ids) - len(claimed)}
    rows = OutboundMessage.objects.filter(pk__in=claimed).select_related("teams_channel")
    mailer = _Mailer()
    try:
        for outbound in rows.order_by("created_at"):
            attempts = outbound.attempts + 1
            mine = OutboundMessage.objects.filter(pk=outbound.pk, status=DeliveryStatus.SENDING)
            try:
                _deliver_one(outbound, mailer)
            except Exception as exc:  # noqa: BLE001 — every failure is recorded, then retried
                error = f"{type(exc).__name__}: {exc}"[:2000]
                finished = now or timezone.now()
                if attempts >= MAX_ATTEMPTS:
                    mine.update(
                        status=DeliveryStatus.FAILED,
                        attempts=F("attempts") + 1,
                        last_error=error,
                        next_attempt_at=None,
                        updated_at=finished,
                    )
                    outcome["failed"] += 1
                else:
                    mine.update(
                        status=DeliveryStatus.PENDING,
                        attempts=F("attempts") + 1,
                        last_error=error,
                        next_attempt_at=moment + retry_delay(attempts),
                        updated_at=finished,
                    )
                    outcome["retry"] += 1
            else:
                finished = now or timezone.now()
                mine.update(
                    status=DeliveryStatus.SENT,
                    attempts=F("attempts") + 1,
                    sent_at=finished,
                    next_attempt_at=None,
                    updated_at=finished,
                )
                outcome["sent"] += 1
    finally:
        mailer.close()
    return outcome


def due_for_retry(now: datetime) -> list[uuid.UUID]:
    """Messages whose retry is due, waiting too long for a first attempt, or stuck sending.

    A message stuck in `sending` (its worker died mid-send) is handed back as pending.
    """
    stale = now - STALE_AFTER
    OutboundMessage.objects.filter(status=DeliveryStatus.SENDING, updated_at__lte=stale).update(
        status=DeliveryStatus.PENDING, next_attempt_at=now, updated_at=now
    )
    return list(
        OutboundMessage.objects.filter(status=DeliveryStatus.PENDING)
        .filter(
            Q(next_attempt_at__lte=now)
            | Q(next_attempt_at__isnull=True, attempts=0, created_at__lte=stale)
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:5000]
    )
