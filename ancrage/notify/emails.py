"""Building the email of an OutboundMessage: subject, plain text and HTML from templates.

The generic "notify/email/message" template takes `subject`, `paragraphs` (a list of
strings), `link` and `link_label`. A feature may instead name its own template prefix, e.g. "engagement/email/campaign_message", and ships
`<prefix>_subject.txt`, `<prefix>.txt` and `<prefix>.html` (the HTML extends
"notify/email/base.html", which carries the footer and the unsubscribe link). Optional
messages (with a topic) carry one-click unsubscribe headers (RFC 2369 and RFC 8058).

A message carrying a secret link (an invitation) names a `secret_context` function instead of
storing the link: `payload["secret_context"] = "ancrage.accounts.emails.invitation_secrets"`
is called with the OutboundMessage at each delivery attempt and returns the context items that
must never sit in the database (it mints a fresh token, so only the delivered link works).
"""

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.module_loading import import_string

from ancrage.notify.models import OutboundMessage
from ancrage.notify.tokens import unsubscribe_url


def mail_folder() -> Path | None:
    """The folder the default mailer writes emails to (development), relative when it can be."""
    mailer: dict[str, Any] = dict(settings.MAILERS["default"])
    if not str(mailer["BACKEND"]).endswith(".filebased.EmailBackend"):
        return None
    folder = Path(mailer["OPTIONS"]["file_path"]).resolve()
    return folder.relative_to(Path.cwd()) if folder.is_relative_to(Path.cwd()) else folder


class CalendarEmail(EmailMultiAlternatives):
    """An email whose text/calendar alternative carries the iTIP method Outlook looks for."""

    def __init__(self, *args: Any, method: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.itip_method = method

    def message(self, *args: Any, **kwargs: Any) -> Any:
        msg = super().message(*args, **kwargs)
        for part in msg.walk():
            if part.get_content_type() == "text/calendar":
                part.set_param("method", self.itip_method)
        return msg


@lru_cache(maxsize=1)
def _preferences_path() -> str:
    return reverse("notify_preferences")


def message_id(outbound: OutboundMessage) -> str:
    """A Message-ID derived from the idempotency key: a duplicate would be recognisable."""
    digest = hashlib.sha256(outbound.idempotency_key.encode("utf-8")).hexdigest()[:32]
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return f"<{digest}@{domain or 'ancrage.localhost'}>"


def render_email(outbound: OutboundMessage) -> EmailMultiAlternatives:
    payload = outbound.payload
    prefix = str(payload["template"])
    language = str(payload.get("language") or settings.LANGUAGE_CODE)
    context: dict[str, Any] = dict(payload.get("context") or {})
    headers = {"Auto-Submitted": "auto-generated", "Message-ID": message_id(outbound)}
    context["site_url"] = settings.SITE_URL
    secret_context = str(payload.get("secret_context") or "")
    if secret_context:
        if not secret_context.startswith("ancrage."):
            raise ValueError(
                f"secret_context must be one of Ancrage's functions: {secret_context!r}"
            )
        context.update(import_string(secret_context)(outbound))
    if outbound.topic and outbound.membership_id is not None:
        link = unsubscribe_url(outbound.membership_id, outbound.topic)
        context["unsubscribe_url"] = link
        context["preferences_url"] = settings.SITE_URL + _preferences_path()
        headers["List-Unsubscribe"] = f"<{link}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    with translation.override(language):
        subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
        text = render_to_string(f"{prefix}.txt", context)
        html = render_to_string(f"{prefix}.html", context)
    ics = payload.get("ics")
    message: EmailMultiAlternatives
    if ics:
        method = str(payload.get("method") or "REQUEST")
        message = CalendarEmail(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[outbound.recipient],
            headers=headers,
            method=method,
        )
        message.attach_alternative(html, "text/html")
        message.attach_alternative(str(ics), "text/calendar")
        message.attach("invitation.ics", str(ics), "application/ics")
    else:
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[outbound.recipient],
            headers=headers,
        )
        message.attach_alternative(html, "text/html")
    reply_to = payload.get("reply_to")
    if reply_to:
        message.reply_to = [str(reply_to)]
    return message
