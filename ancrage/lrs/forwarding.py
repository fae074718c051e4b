"""Copy committed statements to an organisation's own LRS, from the outbox, with retries.

Ingest only writes an `OutboxItem` inside its transaction; sending happens later in the
worker, so a slow or absent client LRS never slows or fails ingest. Sending is idempotent:
statements keep their ids, and an LRS answers a replay of the same statement with success.
"""

import base64
import logging
import urllib.error
import urllib.request
from datetime import timedelta

import orjson
from django.db import transaction
from django.utils import timezone

from ancrage.lrs.models import ForwardingTarget, OutboxItem

logger = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(hours=1)


def _send(target: ForwardingTarget, statements: list[object]) -> None:
    token = base64.b64encode(f"{target.username}:{target.password}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 — the organisation's configured https/http URL
        target.endpoint.rstrip("/") + "/statements",
        data=orjson.dumps(statements),
        method="POST",
        headers={
            "Authorization": f"Basic {token}",
            "Content-Type": "application/json",
            "X-Experience-API-Version": "1.0.3",
        },
    )
    with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310  # nosec B310
        if response.status >= 300:
            raise urllib.error.HTTPError(
                request.full_url, response.status, "unexpected status", response.headers, None
            )


def forward_item(outbox_id: int) -> bool:
    """Try one outbox item now; True when it is (or already was) delivered."""
    with transaction.atomic():
        item = (
            OutboxItem.objects.select_for_update(skip_locked=True)
            .filter(pk=outbox_id, sent_at__isnull=True)
            .first()
        )
        if item is None:
            return True
        target = ForwardingTarget.objects.filter(
            organisation_id=item.organisation_id, enabled=True
        ).first()
        if target is None:
            item.last_error = "forwarding disabled"
            item.sent_at = timezone.now()
            item.save(update_fields=["last_error", "sent_at"])
            return True
        try:
            _send(target, list(item.statements))
        except (OSError, urllib.error.URLError) as exc:
            item.attempts += 1
            item.last_error = str(exc)[:500]
            item.next_attempt_at = timezone.now() + min(
                timedelta(seconds=2**item.attempts), MAX_BACKOFF
            )
            item.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            logger.info("LRS forwarding of outbox %s failed: %s", outbox_id, exc)
            return False
        item.sent_at = timezone.now()
        item.save(update_fields=["sent_at"])
        return True


def forward_due(limit: int = 100) -> int:
    """Retry every item whose next attempt is due; returns how many were delivered."""
    due = list(
        OutboxItem.objects.filter(sent_at__isnull=True, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in due if forward_item(pk))
