"""Manager observations of key behaviours (BARS) and manager–learner conversations.

Only the learner's own manager (Membership.manager) records either; the learner always
sees what is recorded about them. Observation life cycle::

    scheduled ─record─▶ recorded ─share─▶ shared_with_learner ─discuss─▶ discussed

Recording shares with the learner in the same step (the learner is told after commit),
so "recorded" only lasts while the notification is on its way.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.catalog.models import KeyBehaviour, Path
from ancrage.common.models import BaseModel
from ancrage.tenancy.models import Membership, Organisation


class Moment(models.TextChoices):
    BEFORE = "before", _("Before the path")
    AFTER = "after", _("After the path")
    FOLLOW_UP = "follow_up", _("Follow-up")


class ObservationState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    RECORDED = "recorded", _("Recorded")
    SHARED = "shared_with_learner", _("Shared with the learner")
    DISCUSSED = "discussed", _("Discussed")


OBSERVATION_TRANSITIONS: dict[str, frozenset[str]] = {
    ObservationState.SCHEDULED: frozenset({ObservationState.RECORDED}),
    ObservationState.RECORDED: frozenset({ObservationState.SHARED}),
    ObservationState.SHARED: frozenset({ObservationState.DISCUSSED}),
    ObservationState.DISCUSSED: frozenset(),
}


class Frequency(models.TextChoices):
    ONCE = "once", _("Once")
    SEVERAL = "several", _("Several times")
    OFTEN = "often", _("Often")
    EVERY_TIME = "every_time", _("Every time the situation arose")


class Observation(BaseModel):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="observations"
    )
    observer = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="observations_made"
    )
    learner = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="observations_received"
    )
    path = models.ForeignKey(Path, on_delete=models.PROTECT, related_name="+")
    key_behaviour = models.ForeignKey(
        KeyBehaviour, on_delete=models.PROTECT, related_name="+", verbose_name=_("key behaviour")
    )
    moment = models.CharField(_("moment"), max_length=16, choices=Moment.choices)
    state = models.CharField(
        _("state"),
        max_length=24,
        choices=ObservationState.choices,
        default=ObservationState.SCHEDULED,
    )
    scheduled_for = models.DateField(_("planned for"), null=True, blank=True)
    observed_on = models.DateField(_("observed on"), null=True, blank=True)
    bars_score = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    frequency = models.CharField(
        _("how often it was seen"), max_length=16, choices=Frequency.choices, blank=True
    )
    context = models.CharField(_("context"), max_length=300, blank=True)
    example = models.TextField(_("one factual example"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    shared_at = models.DateTimeField(_("shared at"), null=True, blank=True)
    discussed_at = models.DateTimeField(_("discussed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ("-observed_on", "-created_at")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(bars_score__isnull=True)
                | models.Q(bars_score__gte=1, bars_score__lte=5),
                name="transfer_observation_bars_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(state="scheduled") | models.Q(bars_score__isnull=False),
                name="transfer_recorded_observation_has_score",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "path", "moment"]),
            models.Index(fields=["learner", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.key_behaviour_id} · {self.bars_score}"

    @property
    def is_visible_to_learner(self) -> bool:
        return self.state != ObservationState.SCHEDULED


class ConversationKind(models.TextChoices):
    PRE = "pre", _("Before the path (expectations)")
    POST = "post", _("After the path")
    FOLLOW_UP = "follow_up", _("Follow-up")


class ManagerConversation(BaseModel):
    """A short record of a manager–learner talk; its notes are visible to the learner."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="manager_conversations"
    )
    manager = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="conversations_led"
    )
    learner = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="conversations_received"
    )
    path = models.ForeignKey(
        Path,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("path"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ConversationKind.choices)
    held_on = models.DateField(_("held on"))
    notes = models.TextField(_("notes (the learner sees them)"), blank=True)

    class Meta:
        verbose_name = _("manager conversation")
        verbose_name_plural = _("manager conversations")
        ordering = ("-held_on",)
        indexes = [models.Index(fields=["organisation", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} · {self.held_on}"
