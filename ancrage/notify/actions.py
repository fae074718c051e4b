"""Asking for outbound messages, and the people's and channels' settings that govern them.

Every `send_*`/`post_*`/`queue_*` function records an OutboundMessage (unique idempotency
key: asking twice records once) inside the caller's transaction and enqueues its delivery
after commit, so nothing leaves if the caller's transaction rolls back, and a message is
never delivered twice (see `ancrage.notify.delivery`). A person who turned a topic off gets
a row in state `skipped`, so the log still says why they received nothing.
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parseaddr
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation

from ancrage.notify.calendar import CANCEL, REQUEST, calendar_invitation
from ancrage.notify.delivery import due_for_retry
from ancrage.notify.models import (
    CalendarEvent,
    Channel,
    DeliveryStatus,
    NotificationPreference,
    OutboundMessage,
    TeamsChannel,
    Topic,
)
from ancrage.notify.tasks import deliver_outbound_messages
from ancrage.notify.webhooks import adaptive_card_envelope, validate_webhook_url
from ancrage.tenancy.models import Membership, Organisation, Team

BATCH_SIZE = 200


@dataclass(frozen=True)
class EmailSpec:
    """One email to queue: to whom, built from which template and context, under which key."""

    to: Membership
    template: str
    context: dict[str, Any]
    idempotency_key: str
    language: str = ""
    topic: str = ""
    subject: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _language_for(membership: Membership, language: str) -> str:
    return language or getattr(membership.user, "language", "") or settings.LANGUAGE_CODE


def _enqueue_after_commit(ids: Sequence[uuid.UUID]) -> None:
    chunks = [
        [str(pk) for pk in ids[start : start + BATCH_SIZE]]
        for start in range(0, len(ids), BATCH_SIZE)
    ]
    for chunk in chunks:
        transaction.on_commit(partial(deliver_outbound_messages.enqueue, chunk))


def _chunks[T](values: Sequence[T], size: int = 900) -> list[Sequence[T]]:
    return [values[start : start + size] for start in range(0, len(values), size)]


def preferences_of(
    memberships: Iterable[Membership],
) -> dict[uuid.UUID, NotificationPreference]:
    ids = [m.pk for m in memberships]
    found: dict[uuid.UUID, NotificationPreference] = {}
    for chunk in _chunks(ids):
        for preference in NotificationPreference.objects.filter(membership_id__in=chunk):
            found[preference.membership_id] = preference
    return found


@transaction.atomic
def queue_emails(
    *, organisation: Organisation, specs: Sequence[EmailSpec], source: str = ""
) -> list[OutboundMessage]:
    """Record many emails at once (bulk insert) and enqueue their delivery in batches.

    Keys already recorded are left as they are (not sent again). Returns the rows that this
    call created, sent or skipped.
    """
    if not specs:
        return []
    keys = [spec.idempotency_key for spec in specs]
    existing: set[str] = set()
    for chunk in _chunks(keys):
        existing.update(
            OutboundMessage.objects.filter(idempotency_key__in=chunk).values_list(
                "idempotency_key", flat=True
            )
        )
    preferences = preferences_of(spec.to for spec in specs)
    rows: list[OutboundMessage] = []
    seen: set[str] = set()
    for spec in specs:
        if spec.idempotency_key in existing or spec.idempotency_key in seen:
            continue
        seen.add(spec.idempotency_key)
        preference = preferences.get(spec.to.pk)
        allowed = preference is None or preference.allows(spec.topic)
        payload = {
            "template": spec.template,
            "context": spec.context,
            "language": _language_for(spec.to, spec.language),
            **spec.extra,
        }
        rows.append(
            OutboundMessage(
                organisation=organisation,
                idempotency_key=spec.idempotency_key,
                channel=Channel.CALENDAR if "ics" in spec.extra else Channel.EMAIL,
                topic=spec.topic,
                recipient=spec.to.user.email,
                membership=spec.to,
                source=source,
                subject=spec.subject[:300],
                payload=payload,
                status=DeliveryStatus.PENDING if allowed else DeliveryStatus.SKIPPED,
            )
        )
    OutboundMessage.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    # Rows another transaction recorded first under the same key were not inserted: read
    # back what this call really owns (our client-side ids), in chunks (SQLite's limit).
    created: list[OutboundMessage] = []
    for ids in _chunks([r.pk for r in rows]):
        created.extend(OutboundMessage.objects.filter(pk__in=ids))
    created.sort(key=lambda row: row.created_at)
    _enqueue_after_commit([r.pk for r in created if r.status == DeliveryStatus.PENDING])
    return created


def send_email(
    *,
    to: Membership,
    template: str,
    context: dict[str, Any],
    idempotency_key: str,
    language: str = "",
    topic: str = "",
    subject: str = "",
    source: str = "",
) -> OutboundMessage:
    """Record one email and deliver it after commit; the same key returns the first record."""
    spec = EmailSpec(
        to=to,
        template=template,
        context=context,
        idempotency_key=idempotency_key,
        language=language,
        topic=topic,
        subject=subject,
    )
    queue_emails(organisation=to.organisation, specs=[spec], source=source)
    return OutboundMessage.objects.get(idempotency_key=idempotency_key)


@transaction.atomic
def post_teams_card(
    *, webhook: TeamsChannel, card: dict[str, Any], idempotency_key: str, source: str = ""
) -> OutboundMessage:
    """Record an Adaptive Card for a Teams channel and post it after commit (once per key).

    `card` is the Adaptive Card itself ({"type": "AdaptiveCard", "version": "1.4",
    "body": [...]}); it is wrapped in the message envelope Workflows expects.
    """
    outbound, created = OutboundMessage.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "organisation_id": webhook.organisation_id,
            "channel": Channel.TEAMS,
            "recipient": webhook.name,
            "teams_channel": webhook,
            "source": source,
            "subject": _card_summary(card)[:300],
            "payload": adaptive_card_envelope(card),
        },
    )
    if created:
        _enqueue_after_commit([outbound.pk])
    return outbound


def _card_summary(card: dict[str, Any]) -> str:
    for element in card.get("body", []):
        if isinstance(element, dict) and element.get("type") == "TextBlock":
            return str(element.get("text", ""))
    return ""


# --- Calendar ------------------------------------------------------------------------------

CALENDAR_FIELDS = ("summary", "description", "location", "url", "starts_at", "ends_at", "time_zone")


@transaction.atomic
def save_calendar_event(
    *,
    organisation: Organisation,
    uid: str,
    summary: str,
    starts_at: datetime,
    ends_at: datetime,
    description: str = "",
    location: str = "",
    url: str = "",
    time_zone: str = "",
    source: str = "",
) -> CalendarEvent:
    """Create or update the calendar event `uid`; a change after sending bumps SEQUENCE."""
    if ends_at <= starts_at:
        raise ValueError("A calendar event must end after it starts.")
    values: dict[str, Any] = {
        "summary": summary[:200],
        "description": description,
        "location": location[:200],
        "url": url,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "time_zone": time_zone or settings.TIME_ZONE,
    }
    event = CalendarEvent.objects.select_for_update().filter(uid=uid).first()
    if event is None:
        return CalendarEvent.objects.create(
            organisation=organisation, uid=uid, source=source, **values
        )
    if event.organisation_id != organisation.pk:
        raise ValueError("This calendar UID belongs to another organisation.")
    changed = [name for name in CALENDAR_FIELDS if getattr(event, name) != values[name]]
    if changed or event.cancelled_at is not None:
        for name, value in values.items():
            setattr(event, name, value)
        if event.sent_sequence >= event.sequence:
            event.sequence += 1
        event.cancelled_at = None
        event.save()
    return event


def _organiser() -> tuple[str, str]:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return name or "Ancrage", address


@transaction.atomic
def send_calendar_invitation(
    *,
    event: CalendarEvent,
    attendees: Sequence[Membership],
    language: str = "",
    now: datetime | None = None,
    rrule: dict[str, Any] | None = None,
) -> list[OutboundMessage]:
    """Email the event's current version (METHOD:REQUEST) to each attendee, once per SEQUENCE.

    With `rrule` the invitation is a recurring series (RRULE, same UID for every update)."""
    event = CalendarEvent.objects.select_for_update().get(pk=event.pk)
    if event.cancelled_at is not None:
        raise ValueError("A cancelled calendar event cannot be sent; save it again first.")
    rows = _send_calendar(
        event=event, attendees=attendees, method=REQUEST, language=language, now=now, rrule=rrule
    )
    event.sent_sequence = event.sequence
    event.save(update_fields=["sent_sequence", "updated_at"])
    return rows


@transaction.atomic
def cancel_calendar_event(
    *,
    event: CalendarEvent,
    attendees: Sequence[Membership],
    language: str = "",
    now: datetime | None = None,
) -> list[OutboundMessage]:
    """Cancel the event (same UID, SEQUENCE + 1, METHOD:CANCEL) for the people it was sent to."""
    event = CalendarEvent.objects.select_for_update().get(pk=event.pk)
    if event.cancelled_at is None:
        event.sequence += 1
        event.cancelled_at = now or timezone.now()
        event.save(update_fields=["sequence", "cancelled_at", "updated_at"])
    rows = _send_calendar(
        event=event, attendees=attendees, method=CANCEL, language=language, now=now
    )
    event.sent_sequence = event.sequence
    event.save(update_fields=["sent_sequence", "updated_at"])
    return rows


def describe_when(event: CalendarEvent, language: str) -> str:
    """'Monday 30 March 2026, 09:30–10:00 (Europe/Paris)' in the person's language."""
    zone = ZoneInfo(event.time_zone)
    start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    with translation.override(language):
        day = formats.date_format(start, "l j F Y")
        hours = f"{formats.time_format(start, 'H:i')}–{formats.time_format(end, 'H:i')}"
    return f"{day}, {hours} ({event.time_zone})"


def _send_calendar(
    *,
    event: CalendarEvent,
    attendees: Sequence[Membership],
    method: str,
    language: str,
    now: datetime | None,
    rrule: dict[str, Any] | None = None,
) -> list[OutboundMessage]:
    stamp = now or timezone.now()
    organiser_name, organiser_email = _organiser()
    specs = []
    for person in attendees:
        person_language = _language_for(person, language)
        ics = calendar_invitation(
            event=event,
            method=method,
            attendee_email=person.user.email,
            attendee_name=person.user.get_full_name(),
            organiser_email=organiser_email,
            organiser_name=organiser_name,
            stamp=stamp,
            rrule=rrule,
        )
        specs.append(
            EmailSpec(
                to=person,
                template="notify/email/calendar_invitation",
                context={
                    "summary": event.summary,
                    "description": event.description,
                    "location": event.location,
                    "url": event.url,
                    "when": describe_when(event, person_language),
                    "cancelled": method == CANCEL,
                    "update": method == REQUEST and event.sequence > 0,
                    "name": person.user.get_full_name(),
                },
                idempotency_key=f"calendar:{event.uid}:{event.sequence}:{method}:{person.pk}",
                language=person_language,
                topic=Topic.CALENDAR,
                subject=event.summary,
                extra={"ics": ics, "method": method},
            )
        )
    return queue_emails(organisation=event.organisation, specs=specs, source=event.source)


# --- Preferences and unsubscribe -----------------------------------------------------------


@transaction.atomic
def set_preferences(
    *, membership: Membership, campaigns: bool, reminders: bool, calendar: bool
) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.update_or_create(
        membership=membership,
        defaults={
            "organisation_id": membership.organisation_id,
            "campaigns": campaigns,
            "reminders": reminders,
            "calendar": calendar,
        },
    )
    return preference


@transaction.atomic
def unsubscribe(*, membership: Membership, topic: str) -> NotificationPreference:
    """Turn one topic off for this person (what an unsubscribe link does)."""
    if topic not in Topic.values:
        raise ValueError(f"Unknown topic: {topic}")
    preference, _ = NotificationPreference.objects.select_for_update().get_or_create(
        membership=membership, defaults={"organisation_id": membership.organisation_id}
    )
    setattr(preference, topic, False)
    preference.save()
    # Messages of that topic still waiting for this person are not sent any more.
    OutboundMessage.objects.filter(
        membership=membership, topic=topic, status=DeliveryStatus.PENDING
    ).update(status=DeliveryStatus.SKIPPED, updated_at=timezone.now())
    return preference


# --- Teams channels ------------------------------------------------------------------------


@transaction.atomic
def add_teams_channel(
    *, organisation: Organisation, name: str, webhook_url: str, team: Team | None = None
) -> TeamsChannel:
    """Configure a channel; raises ValidationError when the URL is not an https webhook."""
    validate_webhook_url(webhook_url)
    if team is not None and team.organisation_id != organisation.pk:
        raise ValueError("The team belongs to another organisation.")
    return TeamsChannel.objects.create(
        organisation=organisation, name=name.strip(), webhook_url=webhook_url.strip(), team=team
    )


@transaction.atomic
def remove_teams_channel(*, channel: TeamsChannel) -> None:
    channel.active = False
    channel.save(update_fields=["active", "updated_at"])


def retry_due(*, now: datetime | None = None) -> int:
    """Enqueue delivery of messages whose retry is due (run by the periodic tick)."""
    ids = due_for_retry(now or timezone.now())
    with transaction.atomic():
        _enqueue_after_commit(ids)
    return len(ids)
