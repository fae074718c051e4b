"""Enrolments and the learner's progress in the player: cards, modules, answers, survey.

Every player entry point goes through `ancrage.player.actions.start_path` (or
`ancrage.licensing.entitlements.check_entitlement` for a plain "may I open this?").

Shape::

    Enrolment ─< CardProgress      one row per card seen (monotonic: a seen card stays seen)
              ─< ModuleProgress    optional (placement check) and completed modules
              ─< PlayerEvent       the ledger of client events: id = xAPI statement id
              ── PlacementCheck    the short check at the start of a path (0..1)
              ── SurveyResponse    the reaction survey at the end (Kirkpatrick L1, 0..1)

Cards are named by a *card key*, `<module slug>.<n>` (n counts from 1 in the module): stable
within a pinned version, readable in statements and URLs, identical in exported packages.

An enrolment exists from the first start: an assignment nobody started yet is not an
enrolment (it is read from `licensing.Assignment`). The version is pinned at start and never
changes afterwards, so a newer version, or the retirement of this one, does not disturb a
learner in progress. Enrolments are never deleted when a licence ends: access is refused
while it is not effective, and everything comes back when the licence is renewed.
"""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.catalog.models import Path, PathVersion
from ancrage.common.models import BaseModel
from ancrage.tenancy.models import Membership, Organisation


class EnrolmentOrigin(models.TextChoices):
    SELF = "self", _("Chosen by the learner")
    ASSIGNMENT = "assignment", _("Assignment")
    CAMPAIGN = "campaign", _("Campaign")
    EVENT = "event", _("Themed event")


class EnrolmentStatus(models.TextChoices):
    STARTED = "started", _("Started")
    COMPLETED = "completed", _("Completed")
    ABANDONED = "abandoned", _("Abandoned")


class Enrolment(BaseModel):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="enrolments"
    )
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="enrolments")
    path = models.ForeignKey(
        Path, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("path")
    )
    path_version = models.ForeignKey(
        PathVersion, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("version")
    )
    origin = models.CharField(_("origin"), max_length=16, choices=EnrolmentOrigin.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.STARTED,
    )
    started_at = models.DateTimeField(_("started at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity at"))
    # Resume point: the card of the latest event (by the learner's clock, see player.actions).
    position = models.CharField(_("current card"), max_length=200, blank=True)
    position_at = models.DateTimeField(_("current card since"), null=True, blank=True)
    # Host-agnostic suspend state written by the player (small JSON, e.g. an open flashcard).
    suspend_data = models.JSONField(_("suspend data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ("-last_activity_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "path"], name="enrolment_one_per_person_and_path"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="completed") | models.Q(completed_at__isnull=False),
                name="enrolment_completed_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["organisation", "path"]),
            models.Index(fields=["organisation", "last_activity_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.membership} · {self.path}"


class CardProgress(BaseModel):
    """What the learner did on one card: seen (always, once a row exists) and answers.

    Scores are 0..1 (a scenario's 0/1/2 is stored halved). `answer` keeps the latest response:
    the chosen indexes, or the text of a reflection or action-plan prompt (the learner's own,
    never sent to the LRS).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="card_progress")
    card_key = models.CharField(_("card"), max_length=200)
    module_slug = models.SlugField(_("module"), max_length=80)
    first_seen_at = models.DateTimeField(_("first seen at"))
    last_seen_at = models.DateTimeField(_("last seen at"))
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    first_score = models.FloatField(_("first score"), null=True, blank=True)
    best_score = models.FloatField(_("best score"), null=True, blank=True)
    last_score = models.FloatField(_("last score"), null=True, blank=True)
    answer = models.JSONField(_("latest answer"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("card progress")
        verbose_name_plural = _("card progress")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "card_key"], name="player_card_once"),
        ]

    def __str__(self) -> str:
        return self.card_key


class ModuleProgress(BaseModel):
    """A module made optional by the placement check, and/or completed (cards + mastery)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="module_progress"
    )
    module_slug = models.SlugField(_("module"), max_length=80)
    optional = models.BooleanField(_("optional (already mastered)"), default=False)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    score = models.FloatField(_("quiz score"), null=True, blank=True)

    class Meta:
        verbose_name = _("module progress")
        verbose_name_plural = _("module progress")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "module_slug"], name="player_module_once"),
        ]

    def __str__(self) -> str:
        return self.module_slug


class EventKind(models.TextChoices):
    STARTED = "started", _("Started")
    CARD_VIEWED = "card_viewed", _("Card viewed")
    ANSWERED = "answered", _("Answered")
    SUSPEND = "suspend", _("Suspended")


class PlayerEvent(models.Model):
    """The ledger of client events. The client's UUID is the primary key and the id of the
    xAPI statement the event produced, so a retried event is recognised and never applied or
    stored twice; `digest` tells a replay (same content) from tampering (other content)."""

    id = models.UUIDField(primary_key=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    card_key = models.CharField(_("card"), max_length=200, blank=True)
    digest = models.CharField(max_length=64)
    occurred_at = models.DateTimeField(_("occurred at"))
    received_at = models.DateTimeField(_("received at"))
    outcome = models.JSONField(_("outcome"), null=True, blank=True)

    class Meta:
        verbose_name = _("player event")
        verbose_name_plural = _("player events")
        indexes = [models.Index(fields=["enrolment", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.card_key}"


class PlacementCheck(BaseModel):
    """The short check (3–5 questions) at the start of a path, or the learner's choice to
    skip it. Modules whose question was answered right become optional (ModuleProgress)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="placement_check"
    )
    skipped = models.BooleanField(_("skipped"), default=False)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    mastered = models.JSONField(_("modules already mastered"), default=list, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)

    class Meta:
        verbose_name = _("placement check")
        verbose_name_plural = _("placement checks")

    def __str__(self) -> str:
        return f"{self.enrolment_id}"


class SurveyResponse(BaseModel):
    """The reaction survey at the end of a path: Kirkpatrick level 1, LTEM tier 3.

    Performance-focused items with concrete answer choices (see player.survey for the items
    and their choices); reports read these columns.
    """

    KIRKPATRICK_LEVEL: ClassVar[int] = 1
    LTEM_TIER: ClassVar[int] = 3

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="survey_response"
    )
    instrument = models.CharField(_("instrument"), max_length=40, default="l1-performance-v1")
    kirkpatrick_level = models.PositiveSmallIntegerField(_("Kirkpatrick level"), default=1)
    ltem_tier = models.PositiveSmallIntegerField(_("LTEM tier"), default=3)
    relevance = models.CharField(_("relevance to my job"), max_length=32)
    intention = models.CharField(_("intention to apply"), max_length=32)
    support = models.CharField(_("expected support"), max_length=32)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        indexes = [models.Index(fields=["organisation", "created_at"])]

    def __str__(self) -> str:
        return f"{self.enrolment_id}"
