"""Teams Workflows webhooks: which URLs we accept, and the HTTP POST of an Adaptive Card.

A Workflows "post to a channel when a webhook request is received" URL carries its own
signature, so it is a secret: only https is accepted (checked when the channel is
configured, and again before each post). Plain http is accepted for loopback hosts only
when `NOTIFY_ALLOW_LOOPBACK_WEBHOOKS` is on (tests and local development with a receiver
on 127.0.0.1).
"""

import ipaddress
import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LOOPBACK_NAMES = frozenset({"localhost"})
TIMEOUT_SECONDS = 10


class WebhookError(Exception):
    """The receiver did not accept the card (network error or a non-2xx answer)."""


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_retired_connector(host: str, path: str) -> bool:
    """Office 365 connector ("Incoming Webhook") URLs, retired by Microsoft for Workflows."""
    host = host.lower()
    return (host == "outlook.office.com" and path.lower().startswith("/webhook")) or (
        host.endswith(".webhook.office.com")
    )


def validate_webhook_url(url: str) -> None:
    """Raise ValidationError with a reason a person can act on when `url` is not acceptable."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 — raises ValueError on a malformed port
    except ValueError as exc:
        raise ValidationError(_("This is not a valid URL."), code="invalid") from exc
    if parts.username or parts.password:
        raise ValidationError(
            _("The webhook URL must not contain a user name or password."), code="credentials"
        )
    if not host:
        raise ValidationError(_("The webhook URL needs a host name."), code="host")
    if _is_retired_connector(host, parts.path):
        raise ValidationError(
            _(
                "This is an Office 365 connector URL: Microsoft retired these connectors. In "
                "the Teams channel, add the Workflows template “Post to a channel when a "
                "webhook request is received” and paste the URL it gives."
            ),
            code="retired_connector",
        )
    if parts.scheme == "https":
        return
    if (
        parts.scheme == "http"
        and _is_loopback(host)
        and getattr(settings, "NOTIFY_ALLOW_LOOPBACK_WEBHOOKS", False)
    ):
        return
    raise ValidationError(
        _(
            "The webhook URL must start with https:// — copy it from the Teams Workflows "
            "“Post to a channel when a webhook request is received” template."
        ),
        code="https",
    )


def adaptive_card_envelope(card: dict[str, Any]) -> dict[str, Any]:
    """The body a Workflows webhook expects: a message with one Adaptive Card attachment."""
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }


def post_json(url: str, body: dict[str, Any], *, idempotency_key: str) -> int:
    """POST `body` as JSON; return the HTTP status, or raise WebhookError."""
    try:
        validate_webhook_url(url)
    except ValidationError as exc:
        raise WebhookError("; ".join(str(m) for m in exc.messages)) from exc
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 — scheme checked above (https or loopback)
        url,
        data=data,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Ancrage-notify/1",
            "Idempotency-Key": idempotency_key,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310  # nosec B310
            status: int = response.status
    except urllib.error.HTTPError as exc:
        raise WebhookError(f"HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise WebhookError(f"{type(exc).__name__}: {exc}") from exc
    if not 200 <= status < 300:
        raise WebhookError(f"HTTP {status}")
    return status
