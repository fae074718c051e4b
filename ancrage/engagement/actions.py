"""Writing campaigns and themed events, scheduling them, and the tick that sends what is due.

Every refusal is a `CampaignError` naming the field and a reason a person can act on, raised
before anything is recorded or sent: a campaign with no audience, a message scheduled in
the past, a placeholder the templates do not know, a Teams channel missing.

`run_tick(now=…)` is the scheduler (command `ancrage engagement_tick`, every minute from cron
or the worker host): it sends every due message of live campaigns, closes campaigns whose
last day has passed (and freezes their final report), and re-enqueues notify retries. It is
idempotent: a message is marked sent in the same transaction that records its outbound
messages, and every outbound message has a unique key, so running it twice sends nothing
twice.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ancrage.catalog.models import Path
from ancrage.engagement import message_templates as templates
from ancrage.engagement.models import (
    Campaign,
    CampaignKind,
    CampaignMessage,
    CampaignStatus,
    EventReport,
    EventTheme,
    MessageAudience,
    MessageChannel,
    MessageKind,
    MessageStatus,
    SharedTakeaway,
    ThemedEvent,
)
from ancrage.engagement.placeholders import problems
from ancrage.engagement.queries import (
    audience_of,
    campaign_path_ids,
    has_targeting,
    path_titles,
    recipients_of,
)
from ancrage.engagement.rendering import (
    EMAIL_TEMPLATE,
    CampaignFacts,
    campaign_link,
    email_context,
    teams_card,
)
from ancrage.engagement.report import build_figures
from ancrage.engagement.sharing import actions as sharing
from ancrage.licensing.models import Programme
from ancrage.notify import actions as notify
from ancrage.notify.models import CalendarEvent, DeliveryStatus, TeamsChannel, Topic
from ancrage.tenancy.models import Membership, Role, Team

REMINDER_KINDS = (MessageKind.REMINDER, MessageKind.LAST_CALL)


class CampaignError(Exception):
    """A refusal with the form field it concerns ("" for the whole campaign)."""

    def __init__(self, message: str, field: str = "", reasons: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.reasons = list(reasons) or [message]


@dataclass
class CampaignInput:
    """What the L&D lead writes; events add `event`."""

    title: str
    strategic_stake: str
    starts_on: date
    ends_on: date
    description: str = ""
    everyone: bool = False
    teams: Sequence[Team] = ()
    roles: Sequence[str] = ()
    programme: Programme | None = None
    paths: Sequence[Path] = ()
    channels: Sequence[str] = (MessageChannel.EMAIL,)
    teams_channel: TeamsChannel | None = None
    language: str = "fr"
    event: "EventInput | None" = None


@dataclass
class EventInput:
    theme: str
    participation_target: int = 30
    daily_card_time: time | None = None
    kickoff_starts_at: datetime | None = None
    kickoff_minutes: int = 30
    kickoff_location: str = ""


@dataclass
class TickReport:
    messages_sent: int = 0
    recipients: int = 0
    campaigns_closed: int = 0
    retries: int = 0
    details: list[str] = field(default_factory=list)


# --- Writing a campaign ------------------------------------------------------------------------


def _no_audience(*, is_event: bool) -> str:
    if is_event:
        return _("This event has no audience: choose everyone, some teams or some roles.")
    return _("This campaign has no audience: choose everyone, some teams or some roles.")


def check_input(organisation_id: uuid.UUID, data: CampaignInput) -> None:
    """Raise CampaignError on the first thing that cannot be saved."""
    if not data.title.strip():
        raise CampaignError(
            _("Give the event a title.") if data.event else _("Give the campaign a title."),
            "title",
        )
    if not data.strategic_stake.strip():
        raise CampaignError(
            _("Name the strategic stake the paths serve, e.g. “Climate plan 2030”."),
            "strategic_stake",
        )
    if data.ends_on < data.starts_on:
        raise CampaignError(_("The last day must be on or after the first day."), "ends_on")
    if not (data.everyone or data.teams or data.roles):
        raise CampaignError(_no_audience(is_event=data.event is not None), "everyone")
    if any(team.organisation_id != organisation_id for team in data.teams):
        raise CampaignError(_("Choose teams of your organisation."), "teams")
    if any(role not in Role.values for role in data.roles):
        raise CampaignError(_("Choose roles from the list."), "roles")
    if not data.channels or any(c not in MessageChannel.values for c in data.channels):
        raise CampaignError(_("Choose at least one channel: email or Teams."), "channels")
    if MessageChannel.TEAMS in data.channels and data.teams_channel is None:
        raise CampaignError(
            _("Choose the Teams channel to post to, or configure one first."), "teams_channel"
        )
    if data.teams_channel is not None and data.teams_channel.organisation_id != organisation_id:
        raise CampaignError(_("Choose a Teams channel of your organisation."), "teams_channel")
    if data.programme is not None and data.programme.organisation_id != organisation_id:
        raise CampaignError(_("Choose a programme of your organisation."), "programme")
    if not data.paths and data.programme is None:
        raise CampaignError(_("Choose at least one path or a programme."), "paths")
    if data.event is not None:
        if data.event.theme not in EventTheme.values:
            raise CampaignError(_("Choose a theme from the list."), "theme")
        if not 1 <= data.event.participation_target <= 100:
            raise CampaignError(
                _("The participation target is a percentage between 1 and 100."),
                "participation_target",
            )


def _featured_paths(campaign: Campaign) -> list[Path]:
    ids = campaign_path_ids(campaign)
    paths = {p.pk: p for p in Path.objects.filter(pk__in=ids)}
    return [paths[pk] for pk in ids if pk in paths]


def _message(
    campaign: Campaign, template: templates.MessageTemplate, send_at: datetime, **extra: Any
) -> CampaignMessage:
    return CampaignMessage(
        organisation_id=campaign.organisation_id,
        campaign=campaign,
        kind=template.kind,
        send_at=send_at,
        audience=template.audience,
        channels=extra.pop("channels", list(campaign.channels)),
        subject=template.subject,
        body=template.body,
        **extra,
    )


def _daily_cards(campaign: Campaign, event: ThemedEvent) -> list[CampaignMessage]:
    if event.daily_card_time is None or MessageChannel.TEAMS not in campaign.channels:
        return []
    featured = _featured_paths(campaign)
    cards = []
    for index, day in enumerate(templates.event_days(campaign.starts_on, campaign.ends_on)):
        send_at = timezone.make_aware(datetime.combine(day, event.daily_card_time))
        path = featured[index % len(featured)] if featured else None
        cards.append(
            _message(
                campaign,
                templates.DAILY_CARD,
                send_at,
                channels=[MessageChannel.TEAMS],
                path=path,
            )
        )
    return cards


def _default_messages(campaign: Campaign) -> list[CampaignMessage]:
    if campaign.is_event:
        planned = templates.event_sequence(campaign.starts_on, campaign.ends_on)
    else:
        planned = templates.campaign_sequence(campaign.starts_on, campaign.ends_on)
    everywhere = list(campaign.channels)
    # Reminders speak to the people who have not started or finished: by email when the
    # campaign has email, since a channel post cannot single them out.
    personal = [MessageChannel.EMAIL.value] if MessageChannel.EMAIL in everywhere else everywhere
    messages = [
        _message(
            campaign,
            p.template,
            p.send_at,
            channels=personal if p.template.audience != MessageAudience.ALL else everywhere,
        )
        for p in planned
    ]
    if campaign.is_event:
        messages.extend(_daily_cards(campaign, campaign.event))
    return messages


@transaction.atomic
def create_campaign(*, actor: Membership, data: CampaignInput) -> Campaign:
    """Create a campaign (or themed event) as a draft, with the shipped French messages."""
    check_input(actor.organisation_id, data)
    campaign = Campaign.objects.create(
        organisation_id=actor.organisation_id,
        kind=CampaignKind.EVENT if data.event else CampaignKind.CAMPAIGN,
        title=data.title.strip(),
        strategic_stake=data.strategic_stake.strip(),
        description=data.description.strip(),
        everyone=data.everyone,
        roles=list(data.roles),
        programme=data.programme,
        channels=list(data.channels),
        teams_channel=data.teams_channel,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        language=data.language,
        created_by=actor,
    )
    campaign.teams.set(data.teams)
    campaign.paths.set(data.paths)
    if data.event is not None:
        ThemedEvent.objects.create(
            organisation_id=actor.organisation_id,
            campaign=campaign,
            theme=data.event.theme,
            participation_target=data.event.participation_target,
            daily_card_time=data.event.daily_card_time,
            kickoff_starts_at=data.event.kickoff_starts_at,
            kickoff_minutes=data.event.kickoff_minutes,
            kickoff_location=data.event.kickoff_location,
        )
    CampaignMessage.objects.bulk_create(_default_messages(campaign))
    return campaign


def _require_editable(campaign: Campaign) -> None:
    if not campaign.is_editable:
        raise CampaignError(
            (
                _("Pause the event before changing it (it is %(status)s).")
                if campaign.is_event
                else _("Pause the campaign before changing it (it is %(status)s).")
            )
            % {"status": campaign.get_status_display().lower()}
        )


@transaction.atomic
def update_campaign(*, campaign: Campaign, data: CampaignInput) -> Campaign:
    """Change a draft or paused campaign; the daily cards follow new dates and paths."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _require_editable(campaign)
    check_input(campaign.organisation_id, data)
    if campaign.is_event != (data.event is not None):
        raise CampaignError(_("A campaign cannot become a themed event, nor the reverse."))
    for name in ("title", "strategic_stake", "description"):
        setattr(campaign, name, str(getattr(data, name)).strip())
    campaign.everyone = data.everyone
    campaign.roles = list(data.roles)
    campaign.programme = data.programme
    campaign.channels = list(data.channels)
    campaign.teams_channel = data.teams_channel
    campaign.starts_on, campaign.ends_on = data.starts_on, data.ends_on
    campaign.language = data.language
    campaign.save()
    campaign.teams.set(data.teams)
    campaign.paths.set(data.paths)
    if data.event is not None:
        event = ThemedEvent.objects.select_for_update().get(campaign=campaign)
        for name in (
            "theme",
            "participation_target",
            "daily_card_time",
            "kickoff_starts_at",
            "kickoff_minutes",
            "kickoff_location",
        ):
            setattr(event, name, getattr(data.event, name))
        event.save()
        campaign.messages.filter(kind=MessageKind.DAILY_CARD, status=MessageStatus.PENDING).delete()
        CampaignMessage.objects.bulk_create(_daily_cards(campaign, event))
    return campaign


@transaction.atomic
def save_message(
    *,
    campaign: Campaign,
    message: CampaignMessage | None,
    kind: str,
    send_at: datetime,
    audience: str,
    channels: Sequence[str],
    subject: str,
    body: str,
    path: Path | None = None,
) -> CampaignMessage:
    """Add or change one message; placeholders are checked here, not at sending time."""
    _require_editable(campaign)
    if message is not None and message.status != MessageStatus.PENDING:
        raise CampaignError(_("This message is already sent; it cannot change."))
    for name, text in (("subject", subject), ("body", body)):
        found = problems(text)
        if found:
            raise CampaignError(found[0], name, found)
    if not subject.strip():
        raise CampaignError(_("Write a subject."), "subject")
    if not body.strip():
        raise CampaignError(_("Write the text of the message."), "body")
    if not channels or any(c not in campaign.channels for c in channels):
        raise CampaignError(
            (
                _("Choose among the event's channels: %(channels)s.")
                if campaign.is_event
                else _("Choose among the campaign's channels: %(channels)s.")
            )
            % {"channels": ", ".join(str(MessageChannel(c).label) for c in campaign.channels)},
            "channels",
        )
    if kind not in MessageKind.values:
        raise CampaignError(_("Choose a kind of message from the list."), "kind")
    if audience not in MessageAudience.values:
        raise CampaignError(_("Choose who receives the message."), "audience")
    if path is not None and path.pk not in campaign_path_ids(campaign):
        raise CampaignError(
            _("Choose one of the event's paths.")
            if campaign.is_event
            else _("Choose one of the campaign's paths."),
            "path",
        )
    row = message or CampaignMessage(organisation_id=campaign.organisation_id, campaign=campaign)
    row.kind, row.send_at, row.audience = kind, send_at, audience
    row.channels, row.subject, row.body, row.path = (
        list(channels),
        subject.strip(),
        body.strip(),
        path,
    )
    row.save()
    return row


@transaction.atomic
def delete_message(*, message: CampaignMessage) -> None:
    _require_editable(message.campaign)
    if message.status != MessageStatus.PENDING:
        raise CampaignError(_("This message is already sent; it stays in the history."))
    message.delete()


# --- Scheduling, pausing, cancelling ---------------------------------------------------------


def _when(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def schedule_problems(campaign: Campaign, now: datetime) -> list[str]:
    """Every reason the campaign cannot be scheduled now (empty when it can)."""
    found: list[str] = []
    if not has_targeting(campaign):
        found.append(_no_audience(is_event=campaign.is_event))
    elif not audience_of(campaign).exists():
        found.append(
            _("Nobody is in this audience: the chosen teams and roles have no active member.")
        )
    if not campaign_path_ids(campaign):
        found.append(_("Choose at least one path or a programme."))
    if campaign.ends_on < timezone.localdate(now):
        found.append(
            _("The event's last day has passed: choose new dates.")
            if campaign.is_event
            else _("The campaign's last day has passed: choose new dates.")
        )
    if MessageChannel.TEAMS in campaign.channels and (
        campaign.teams_channel is None or not campaign.teams_channel.active
    ):
        found.append(_("Choose the Teams channel to post to, or configure one first."))
    pending = list(campaign.messages.filter(status=MessageStatus.PENDING).order_by("send_at"))
    if not pending:
        found.append(_("There is no message to send: add at least one."))
    for message in pending:
        label = f"{message.get_kind_display()} « {message.subject} »"
        if message.send_at <= now:
            found.append(
                _("%(message)s is scheduled in the past (%(when)s): move it later or remove it.")
                % {"message": label, "when": _when(message.send_at)}
            )
        for problem in problems(message.subject) + problems(message.body):
            found.append(f"{label} : {problem}")
        if not message.channels or any(c not in campaign.channels for c in message.channels):
            found.append(
                (
                    _("%(message)s uses a channel the event does not have.")
                    if campaign.is_event
                    else _("%(message)s uses a channel the campaign does not have.")
                )
                % {"message": label}
            )
    if campaign.is_event:
        kickoff = campaign.event.kickoff_starts_at
        if kickoff is not None and kickoff <= now:
            found.append(
                _("The kick-off session is in the past (%(when)s): move it later or remove it.")
                % {"when": _when(kickoff)}
            )
    return found


@transaction.atomic
def schedule_campaign(*, campaign: Campaign, now: datetime | None = None) -> Campaign:
    """Schedule a draft (or resume a paused campaign) after checking everything can be sent."""
    now = now or timezone.now()
    campaign = (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("teams_channel")
        .get(pk=campaign.pk)
    )
    if campaign.status not in Campaign.EDITABLE_STATUSES:
        raise CampaignError(_("Only a draft or a paused campaign can be scheduled."))
    found = schedule_problems(campaign, now)
    if found:
        raise CampaignError(found[0], "", found)
    already_sent = campaign.messages.filter(status=MessageStatus.SENT).exists()
    campaign.status = CampaignStatus.RUNNING if already_sent else CampaignStatus.SCHEDULED
    campaign.scheduled_at = now
    campaign.paused_at = None
    campaign.save(update_fields=["status", "scheduled_at", "paused_at", "updated_at"])
    if campaign.is_event:
        _sync_kickoff_invitation(campaign, now)
    return campaign


def _kickoff_calendar_event(campaign: Campaign) -> CalendarEvent | None:
    return CalendarEvent.objects.filter(uid=campaign.event.calendar_uid).first()


def _sync_kickoff_invitation(campaign: Campaign, now: datetime) -> None:
    """Send the kick-off session as a calendar invitation, an update, or a cancellation."""
    event = campaign.event
    existing = _kickoff_calendar_event(campaign)
    people = list(audience_of(campaign))
    if event.kickoff_starts_at is None:
        if existing is not None and existing.cancelled_at is None and existing.sent_sequence >= 0:
            notify.cancel_calendar_event(
                event=existing, attendees=people, language=campaign.language, now=now
            )
        return
    link = campaign_link(campaign)
    calendar_event = notify.save_calendar_event(
        organisation=campaign.organisation,
        uid=event.calendar_uid,
        summary=f"{campaign.title} — lancement",
        description=f"{campaign.strategic_stake}\n\n{campaign.description}\n\n{link}".strip(),
        starts_at=event.kickoff_starts_at,
        ends_at=event.kickoff_starts_at + timedelta(minutes=event.kickoff_minutes),
        location=event.kickoff_location,
        url=link,
        source=campaign.source,
    )
    notify.send_calendar_invitation(
        event=calendar_event, attendees=people, language=campaign.language, now=now
    )


@transaction.atomic
def pause_campaign(*, campaign: Campaign, now: datetime | None = None) -> Campaign:
    """Stop sending until the campaign is scheduled again; nothing already sent is undone."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status not in Campaign.LIVE_STATUSES:
        raise CampaignError(_("Only a scheduled or running campaign can be paused."))
    campaign.status = CampaignStatus.PAUSED
    campaign.paused_at = now or timezone.now()
    campaign.save(update_fields=["status", "paused_at", "updated_at"])
    return campaign


@transaction.atomic
def cancel_campaign(*, campaign: Campaign, now: datetime | None = None) -> Campaign:
    """Cancel for good: pending messages are not sent; a kick-off invitation is cancelled."""
    now = now or timezone.now()
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status in (CampaignStatus.CLOSED, CampaignStatus.CANCELLED):
        raise CampaignError(
            _("This event is already over.")
            if campaign.is_event
            else _("This campaign is already over.")
        )
    campaign.status = CampaignStatus.CANCELLED
    campaign.closed_at = now
    campaign.save(update_fields=["status", "closed_at", "updated_at"])
    campaign.messages.filter(status=MessageStatus.PENDING).update(
        status=MessageStatus.SKIPPED, skip_reason=_("The campaign was cancelled."), updated_at=now
    )
    if campaign.is_event:
        existing = _kickoff_calendar_event(campaign)
        if existing is not None and existing.cancelled_at is None and existing.sent_sequence >= 0:
            notify.cancel_calendar_event(
                event=existing,
                attendees=list(audience_of(campaign)),
                language=campaign.language,
                now=now,
            )
    return campaign


# --- Sending (the tick) ----------------------------------------------------------------------


def campaign_facts(campaign: Campaign) -> CampaignFacts:
    return CampaignFacts(
        campaign=campaign,
        titles=path_titles(campaign_path_ids(campaign)),
        link=campaign_link(campaign),
        target=campaign.event.participation_target if campaign.is_event else None,
    )


@transaction.atomic
def dispatch_message(*, message_id: uuid.UUID, now: datetime) -> int:
    """Send one due message to its recipients and channel; returns how many people it reached.

    Idempotent: a message not pending, or of a campaign not live, sends nothing.
    """
    message = (
        CampaignMessage.objects.select_for_update(of=("self",))
        .select_related("campaign__organisation", "campaign__teams_channel")
        .filter(pk=message_id)
        .first()
    )
    if message is None or message.status != MessageStatus.PENDING:
        return 0
    campaign = message.campaign
    if campaign.status not in Campaign.LIVE_STATUSES or message.send_at > now:
        return 0
    facts = campaign_facts(campaign)
    reached = 0
    if MessageChannel.EMAIL in message.channels:
        topic = Topic.REMINDERS if message.kind in REMINDER_KINDS else Topic.CAMPAIGNS
        specs = []
        for person in recipients_of(message):
            context = email_context(facts, message, person)
            specs.append(
                notify.EmailSpec(
                    to=person,
                    template=EMAIL_TEMPLATE,
                    context=context,
                    idempotency_key=f"campaign-message:{message.pk}:email:{person.pk}",
                    language=campaign.language,
                    topic=topic,
                    subject=str(context["subject"]),
                )
            )
        rows = notify.queue_emails(
            organisation=campaign.organisation, specs=specs, source=campaign.source
        )
        # People who turned this topic off are recorded as skipped, not counted as reached.
        reached = sum(1 for row in rows if row.status == DeliveryStatus.PENDING)
    channel = campaign.teams_channel
    if MessageChannel.TEAMS in message.channels and channel is not None and channel.active:
        notify.post_teams_card(
            webhook=channel,
            card=teams_card(facts, message),
            idempotency_key=message.teams_post_key,
            source=campaign.source,
        )
    message.status = MessageStatus.SENT
    message.sent_at = now
    message.recipient_count = reached
    message.save(update_fields=["status", "sent_at", "recipient_count", "updated_at"])
    if campaign.status == CampaignStatus.SCHEDULED:
        Campaign.objects.filter(pk=campaign.pk).update(
            status=CampaignStatus.RUNNING, updated_at=now
        )
    return reached


@transaction.atomic
def generate_report(
    *, campaign: Campaign, now: datetime | None = None, final: bool = False
) -> EventReport:
    """Freeze the campaign's figures now into a report (the bilan)."""
    now = now or timezone.now()
    return EventReport.objects.create(
        organisation_id=campaign.organisation_id,
        campaign=campaign,
        generated_at=now,
        final=final,
        figures=build_figures(campaign, now=now, final=final),
    )


def close_finished_campaigns(*, now: datetime) -> list[Campaign]:
    """Close live campaigns whose last day has passed, and freeze their final report."""
    today = timezone.localdate(now)
    closed = []
    for pk in Campaign.objects.filter(
        status__in=Campaign.LIVE_STATUSES, ends_on__lt=today
    ).values_list("pk", flat=True):
        with transaction.atomic():
            campaign = (
                Campaign.objects.select_for_update()
                .filter(pk=pk, status__in=Campaign.LIVE_STATUSES)
                .first()
            )
            if campaign is None:
                continue
            campaign.status = CampaignStatus.CLOSED
            campaign.closed_at = now
            campaign.save(update_fields=["status", "closed_at", "updated_at"])
            campaign.messages.filter(status=MessageStatus.PENDING).update(
                status=MessageStatus.SKIPPED,
                skip_reason=_("The campaign ended before this message's time."),
                updated_at=now,
            )
            generate_report(campaign=campaign, now=now, final=True)
            closed.append(campaign)
    return closed


def run_tick(*, now: datetime | None = None) -> TickReport:
    """The scheduler: retries, due messages, closing. Safe to run often and concurrently."""
    now = now or timezone.now()
    report = TickReport()
    report.retries = notify.retry_due(now=now)
    due = list(
        CampaignMessage.objects.filter(
            status=MessageStatus.PENDING,
            send_at__lte=now,
            campaign__status__in=Campaign.LIVE_STATUSES,
        )
        .order_by("send_at", "created_at")
        .values_list("pk", flat=True)
    )
    for message_id in due:
        reached = dispatch_message(message_id=message_id, now=now)
        report.messages_sent += 1
        report.recipients += reached
    for campaign in close_finished_campaigns(now=now):
        report.campaigns_closed += 1
        report.details.append(str(campaign))
    return report


@transaction.atomic
def share_takeaway(
    *, campaign: Campaign, author: Membership, text: str, quote_allowed: bool
) -> SharedTakeaway:
    """A learner shares what they take away on a campaign's page (with their team too).

    The report quotes it only if they allow it. See `engagement.sharing.actions`.
    """
    try:
        return sharing.share_takeaway(
            author=author, text=text, campaign=campaign, quote_allowed=quote_allowed
        )
    except sharing.SharingError as exc:
        raise CampaignError(exc.message, exc.field) from exc
