"""Deployment: campaigns, themed events and their reports (bilans).

A `Campaign` ties paths (or a programme) to a strategic stake and speaks to an audience
(everyone, or teams with their sub-teams and/or roles) through a sequence of scheduled
`CampaignMessage`s on chosen channels (email, Teams). A `ThemedEvent` is a campaign with
dates that matter (a themed week), featured paths, a participation target, a team
challenge, a kick-off message, a daily Teams card, a kick-off session sent as a calendar
invitation and a printable QR poster: it extends its campaign one-to-one, so the audience,
scheduler, preview and report are the same code.

Life cycle::

    draft ──schedule──▶ scheduled ──first send──▶ running ──end date passed──▶ closed
              ▲  │ pause            │ pause
              │  ▼                  ▼
              └─ paused ◀───────────┘          (any but closed) ──cancel──▶ cancelled

An `EventReport` is a frozen snapshot of the figures (JSON), generated automatically when
the campaign closes and on demand; the web page and the PDF render the same snapshot.
"""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.catalog.models import Path
from ancrage.common.models import BaseModel
from ancrage.licensing.models import Programme
from ancrage.notify.models import TeamsChannel
from ancrage.tenancy.models import Membership, Organisation, Team


class CampaignKind(models.TextChoices):
    CAMPAIGN = "campaign", _("Campaign")
    EVENT = "event", _("Themed event")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class MessageChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    TEAMS = "teams", _("Teams channel")


class Campaign(BaseModel):
    EDITABLE_STATUSES: ClassVar[tuple[str, ...]] = (CampaignStatus.DRAFT, CampaignStatus.PAUSED)
    LIVE_STATUSES: ClassVar[tuple[str, ...]] = (CampaignStatus.SCHEDULED, CampaignStatus.RUNNING)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="campaigns"
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=CampaignKind.choices, default=CampaignKind.CAMPAIGN
    )
    title = models.CharField(_("title"), max_length=200)
    strategic_stake = models.CharField(_("strategic stake"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    everyone = models.BooleanField(_("everyone in the organisation"), default=False)
    teams = models.ManyToManyField(Team, blank=True, related_name="+", verbose_name=_("teams"))
    roles = models.JSONField(_("roles"), default=list, blank=True)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme"),
    )
    paths = models.ManyToManyField(Path, blank=True, related_name="+", verbose_name=_("paths"))
    channels = models.JSONField(_("channels"), default=list)
    teams_channel = models.ForeignKey(
        TeamsChannel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Teams channel"),
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    status = models.CharField(
        _("status"), max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    language = models.CharField(_("language of the messages"), max_length=8, default="fr")
    created_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scheduled_at = models.DateTimeField(_("scheduled at"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ("-starts_on", "title")
        indexes = [models.Index(fields=["organisation", "kind", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_event(self) -> bool:
        return self.kind == CampaignKind.EVENT

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def source(self) -> str:
        """The tag written on every OutboundMessage this campaign asks for."""
        return f"campaign:{self.pk}"


class MessageKind(models.TextChoices):
    ANNOUNCE = "announce", _("Announcement")
    LAUNCH = "launch", _("Launch")
    REMINDER = "reminder", _("Reminder")
    LAST_CALL = "last_call", _("Last call")
    MYTH = "myth", _("Myth-busting")
    KICKOFF = "kickoff", _("Kick-off")
    DAILY_CARD = "daily_card", _("Daily card")
    CUSTOM = "custom", _("Message")


class MessageAudience(models.TextChoices):
    ALL = "all", _("Everyone in the audience")
    NOT_STARTED = "not_started", _("Those who have not started a path yet")
    NOT_COMPLETED = "not_completed", _("Those who have not finished a path yet")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("To send")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Not sent")


class CampaignMessage(BaseModel):
    """One scheduled message of a campaign; `subject` and `body` may hold placeholders."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("kind"), max_length=16, choices=MessageKind.choices)
    send_at = models.DateTimeField(_("send at"))
    audience = models.CharField(
        _("to whom"), max_length=16, choices=MessageAudience.choices, default=MessageAudience.ALL
    )
    channels = models.JSONField(_("channels"), default=list)
    path = models.ForeignKey(
        Path,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("path of the day"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=16, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    skip_reason = models.CharField(_("why it was not sent"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("campaign message")
        verbose_name_plural = _("campaign messages")
        ordering = ("send_at", "created_at")
        indexes = [models.Index(fields=["status", "send_at"])]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.get_kind_display()}"


class EventTheme(models.TextChoices):
    QVT = "qvt", _("Quality of work life")
    COLLECTIVE_INTELLIGENCE = "collective_intelligence", _("Collective intelligence")
    ECOLOGICAL = "ecological", _("Ecological emergency in practice")
    MENTAL_HEALTH = "mental_health", _("Positive mental health")
    OTHER = "other", _("Another theme")


class ThemedEvent(BaseModel):
    """A themed week: the campaign's dates, featured paths (`campaign.paths`) and more."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="themed_events"
    )
    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="event")
    theme = models.CharField(_("theme"), max_length=32, choices=EventTheme.choices)
    participation_target = models.PositiveSmallIntegerField(
        _("participation target (%)"), default=30
    )
    daily_card_time = models.TimeField(_("time of the daily Teams card"), null=True, blank=True)
    kickoff_starts_at = models.DateTimeField(_("kick-off session"), null=True, blank=True)
    kickoff_minutes = models.PositiveSmallIntegerField(_("kick-off length (minutes)"), default=30)
    kickoff_location = models.CharField(_("kick-off place or link"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("themed event")
        verbose_name_plural = _("themed events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(participation_target__gte=1, participation_target__lte=100),
                name="event_target_is_a_percentage",
            )
        ]

    def __str__(self) -> str:
        return str(self.campaign)

    @property
    def calendar_uid(self) -> str:
        return f"event-{self.pk}-kickoff@ancrage"


class EventReport(BaseModel):
    """A frozen snapshot of a campaign's or event's figures (see engagement.report)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reports")
    generated_at = models.DateTimeField(_("generated at"))
    final = models.BooleanField(_("final report"), default=False)
    figures = models.JSONField(_("figures"), default=dict)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ("-generated_at",)
        get_latest_by = "generated_at"

    def __str__(self) -> str:
        return f"{self.campaign} · {self.generated_at:%Y-%m-%d}"


class SharedTakeaway(BaseModel):
    """What a learner took away from a campaign's path, shared on its page.

    Quoted in the report only when `quote_allowed`, and never with the author's name.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="takeaways")
    author = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("what I take away"), max_length=600)
    quote_allowed = models.BooleanField(
        _("the report may quote it, without my name"), default=False
    )

    class Meta:
        verbose_name = _("shared takeaway")
        verbose_name_plural = _("shared takeaways")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.text[:60]
