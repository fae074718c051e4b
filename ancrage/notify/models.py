"""Outbound messages: one log row per email, Teams card or calendar invitation sent.

Every send goes through `ancrage.notify.actions`, which records an `OutboundMessage` first
(its `idempotency_key` is unique, so asking twice for the same send records it once) and
delivers it from a task after commit. The row says who, what, when and with what result;
a retried task finds the row already `sent` and sends nothing.

People choose which optional messages they get (`NotificationPreference`); a Teams channel
(`TeamsChannel`) holds a Workflows webhook URL, https only.
"""

from urllib.parse import urlsplit

from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.common.models import BaseModel
from ancrage.notify.webhooks import validate_webhook_url
from ancrage.tenancy.models import Membership, Organisation, Team


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    TEAMS = "teams", _("Teams card")
    CALENDAR = "calendar", _("Calendar invitation")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent (unsubscribed)")


class Topic(models.TextChoices):
    """Optional kinds of message a person can turn off; transactional mail has no topic."""

    CAMPAIGNS = "campaigns", _("Campaign and themed-event announcements")
    REMINDERS = "reminders", _("Reminders about paths I have not finished")
    CALENDAR = "calendar", _("Calendar invitations to sessions")


class OutboundMessage(BaseModel):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="outbound_messages"
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices, blank=True)
    recipient = models.CharField(_("recipient"), max_length=320)
    membership = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    teams_channel = models.ForeignKey(
        "TeamsChannel", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What asked for the send, e.g. "campaign:<uuid>", to count sends per campaign.
    source = models.CharField(_("source"), max_length=120, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    # Everything needed to build the message again at each attempt (template, context,
    # language, card, calendar text): a retry sends exactly what was first asked.
    payload = models.JSONField(_("content"), default=dict)
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        ordering = ("-created_at",)
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["organisation", "source"]),
            models.Index(fields=["organisation", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient} ({self.status})"


class NotificationPreference(BaseModel):
    """A person's choices; no row means every topic is on."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="notification_preference"
    )
    campaigns = models.BooleanField(_("campaign and themed-event announcements"), default=True)
    reminders = models.BooleanField(_("reminders about paths I have not finished"), default=True)
    calendar = models.BooleanField(_("calendar invitations to sessions"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.membership)

    def allows(self, topic: str) -> bool:
        return bool(getattr(self, topic, True)) if topic else True


class TeamsChannel(BaseModel):
    """A Microsoft Teams channel reached through a Workflows webhook (“Post to a channel”)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="teams_channels"
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="teams_channels",
        verbose_name=_("team"),
        help_text=_("Leave empty for a channel that speaks to the whole organisation."),
    )
    name = models.CharField(_("name"), max_length=120)
    webhook_url = models.URLField(
        _("Workflows webhook URL"), max_length=2000, validators=[validate_webhook_url]
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("Teams channel")
        verbose_name_plural = _("Teams channels")
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="teams_channel_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def webhook_host(self) -> str:
        """Where the cards go, without the URL's signature (the URL itself is a secret)."""
        return urlsplit(self.webhook_url).hostname or ""


class CalendarEvent(BaseModel):
    """A calendar entry sent as invitations; its UID is stable and SEQUENCE grows per change."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="calendar_events"
    )
    uid = models.CharField(_("UID"), max_length=200, unique=True)
    sequence = models.PositiveIntegerField(_("sequence"), default=0)
    summary = models.CharField(_("summary"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Paris")
    source = models.CharField(_("source"), max_length=120, blank=True)
    sent_sequence = models.IntegerField(_("last sent sequence"), default=-1)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar event")
        verbose_name_plural = _("calendar events")
        ordering = ("starts_at",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="calendar_event_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.summary
