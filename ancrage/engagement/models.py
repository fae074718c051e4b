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

The learning culture lives here too (docs/recognition-and-sharing.md): `SharedTakeaway`
(« partage », from a campaign page, a card or an action plan, seen by the author's team) and
its `TakeawayReaction`s; `RecognitionRule` (what the organisation values) and
`Recognition` (proposed → validated | declined).
"""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.catalog.models import Card, Path
from ancrage.common.models import BaseModel
from ancrage.licensing.models import Programme
from ancrage.notify.models import TeamsChannel
from ancrage.tenancy.models import Membership, Organisation, Team
from ancrage.transfer.models import ActionPlan


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

    @property
    def teams_post_key(self) -> str:
        """The idempotency key of this message's Teams card (one post per message)."""
        return f"campaign-message:{self.pk}:teams"


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
    """What a learner took away, shared with their team (knowledge sharing, « partage »).

    Shared from a campaign's page (`campaign`), from a card in the player (`path` + `card`)
    or from an action plan (`action_plan`); `team` is the author's team when they shared it,
    and decides who sees it: that team's members, the author, and the organisation's L&D
    leads and admins. A featured takeaway (`featured_at`) is shown to the whole organisation.
    A campaign's report quotes it only when `quote_allowed`, and never with the author's name.
    """

    MAX_LENGTH: ClassVar[int] = 600

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, null=True, blank=True, related_name="takeaways"
    )
    author = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    path = models.ForeignKey(
        Path, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    card = models.ForeignKey(
        Card, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    card_key = models.CharField(_("card"), max_length=200, blank=True)
    action_plan = models.ForeignKey(
        ActionPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("what I take away"), max_length=600)
    quote_allowed = models.BooleanField(
        _("the report may quote it, without my name"), default=False
    )
    featured_at = models.DateTimeField(_("featured at"), null=True, blank=True)
    featured_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    posted_to_teams_at = models.DateTimeField(_("posted to Teams at"), null=True, blank=True)

    class Meta:
        verbose_name = _("shared takeaway")
        verbose_name_plural = _("shared takeaways")
        ordering = ("-created_at",)
        indexes = [
            models.Index(fields=["organisation", "team", "created_at"]),
            models.Index(fields=["organisation", "featured_at"]),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_featured(self) -> bool:
        return self.featured_at is not None


class ReactionKind(models.TextChoices):
    USEFUL = "useful", _("Useful")
    INSPIRING = "inspiring", _("Inspiring")
    THANKS = "thanks", _("Thanks")


REACTION_EMOJI: dict[str, str] = {
    ReactionKind.USEFUL: "👍",
    ReactionKind.INSPIRING: "💡",
    ReactionKind.THANKS: "🙏",
}


class TakeawayReaction(BaseModel):
    """A colleague's reaction to a takeaway: one per person and kind (a toggle)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    takeaway = models.ForeignKey(SharedTakeaway, on_delete=models.CASCADE, related_name="reactions")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("reaction"), max_length=16, choices=ReactionKind.choices)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        constraints = [
            models.UniqueConstraint(
                fields=["takeaway", "member", "kind"], name="takeaway_reaction_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.takeaway_id}"


class RecognitionPeriod(models.TextChoices):
    QUARTER = "quarter", _("In a calendar quarter")
    EVENT = "event", _("During a themed event")


class RecognitionRule(BaseModel):
    """What the organisation values, as a rule the scheduler can check (« reconnaissance »).

    Over one period — a calendar quarter in the site's time zone, or the dates of a themed
    event — a person meets the rule when they finished at least `min_paths` paths (for an
    event: of its featured paths), shared at least `min_takeaways` takeaways and committed
    at least `min_action_plans` action plans. Zero means "not required"; at least one
    threshold is positive.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="recognition_rules"
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("what it values"), max_length=300, blank=True)
    period = models.CharField(
        _("period"), max_length=16, choices=RecognitionPeriod.choices, default="quarter"
    )
    min_paths = models.PositiveSmallIntegerField(_("paths finished"), default=0)
    min_takeaways = models.PositiveSmallIntegerField(_("takeaways shared"), default=0)
    min_action_plans = models.PositiveSmallIntegerField(_("action plans committed"), default=0)
    active = models.BooleanField(_("proposed automatically"), default=True)
    created_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("recognition rule")
        verbose_name_plural = _("recognition rules")
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="recognition_rule_unique_name"
            ),
            models.CheckConstraint(
                condition=models.Q(min_paths__gt=0)
                | models.Q(min_takeaways__gt=0)
                | models.Q(min_action_plans__gt=0),
                name="recognition_rule_asks_something",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RecognitionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    VALIDATED = "validated", _("Validated")
    DECLINED = "declined", _("Declined")


class Recognition(BaseModel):
    """A recognition of one person: proposed (by the scheduler or a manager), then decided.

    Automatic proposals carry their `rule` and `period_key` ("2026-Q4", "event:<uuid>"),
    unique per person × rule × period, so the scheduler never proposes the same twice. A
    manager's nomination has `proposed_by` and a free `period_key` ("nomination:<uuid>").
    Once validated it shows on the learner's home and the learner is told; it goes to the
    team's Teams channel only when the learner asks for it (`posted_to_teams_at`).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    learner = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(
        RecognitionRule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recognitions",
    )
    period_key = models.CharField(_("period"), max_length=80)
    period_label = models.CharField(_("period"), max_length=200, blank=True)
    title = models.CharField(_("recognition"), max_length=120)
    reason = models.CharField(_("why"), max_length=600)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RecognitionStatus.choices,
        default=RecognitionStatus.PROPOSED,
    )
    proposed_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    posted_to_teams_at = models.DateTimeField(_("posted to Teams at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "learner", "period_key"],
                condition=models.Q(rule__isnull=False),
                name="recognition_once_per_rule_and_period",
            )
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.title} · {self.period_label}"

    @property
    def is_automatic(self) -> bool:
        return self.proposed_by_id is None
