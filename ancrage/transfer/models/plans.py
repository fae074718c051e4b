"""Action plans written as implementation intentions, and the check-ins that follow them.

Life cycle of a plan (DOMAIN.md §5)::

    draft ─commit─▶ committed ─moment passes─▶ due ─check-in─▶ checked_in ─▶ renewed ─▶ due …
      │                 │                         │                 │    └──▶ habit_formed
      └────────────────┴───────── drop ──────────┴─────────────────┴──▶ dropped

A committed plan has all four parts (day, time, place, task) and a moment in the future.
Check-ins are asked the day after the planned moment, then 7 and 30 days after it; a
renewal plans the next occurrence and asks again the day after it. A plan whose "done"
check-ins reach `HABIT_MIN_DONE` over at least `HABIT_MIN_WEEKS` distinct weeks is a habit.
"""

from datetime import date, datetime, time

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ancrage.catalog.models import KeyBehaviour, Path
from ancrage.common.models import BaseModel
from ancrage.tenancy.models import Membership, Organisation

CHECK_IN_OFFSETS = (1, 7, 30)
RENEWAL_CHECK_IN_OFFSET = 1
LOGGED_OFFSET = 0  # a check-in the learner logged on their own ("I did it today")
HABIT_MIN_DONE = 8
HABIT_MIN_WEEKS = 6


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMMITTED = "committed", _("Committed")
    DUE = "due", _("Due")
    CHECKED_IN = "checked_in", _("Checked in")
    RENEWED = "renewed", _("Renewed")
    HABIT_FORMED = "habit_formed", _("Habit formed")
    DROPPED = "dropped", _("Dropped")


PLAN_TRANSITIONS: dict[str, frozenset[str]] = {
    PlanState.DRAFT: frozenset({PlanState.COMMITTED, PlanState.DROPPED}),
    PlanState.COMMITTED: frozenset({PlanState.COMMITTED, PlanState.DUE, PlanState.DROPPED}),
    PlanState.DUE: frozenset({PlanState.CHECKED_IN, PlanState.RENEWED, PlanState.DROPPED}),
    PlanState.CHECKED_IN: frozenset(
        {PlanState.CHECKED_IN, PlanState.RENEWED, PlanState.HABIT_FORMED, PlanState.DROPPED}
    ),
    PlanState.RENEWED: frozenset(
        {PlanState.DUE, PlanState.CHECKED_IN, PlanState.HABIT_FORMED, PlanState.DROPPED}
    ),
    PlanState.HABIT_FORMED: frozenset(),
    PlanState.DROPPED: frozenset(),
}
OPEN_PLAN_STATES = (
    PlanState.COMMITTED,
    PlanState.DUE,
    PlanState.CHECKED_IN,
    PlanState.RENEWED,
)


class ActionPlan(BaseModel):
    """'In the week after, I will apply [practice] on [day] at [time] in [place] to [task].'"""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="action_plans"
    )
    learner = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="action_plans")
    path = models.ForeignKey(
        Path,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("path"),
    )
    key_behaviour = models.ForeignKey(
        KeyBehaviour,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("key behaviour"),
    )
    practice = models.CharField(_("practice"), max_length=300, blank=True)
    planned_on = models.DateField(_("day"), null=True, blank=True)
    planned_at = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    task = models.CharField(_("task"), max_length=300, blank=True)
    anchor_habit = models.CharField(_("anchor habit"), max_length=200, blank=True)
    manager_visible = models.BooleanField(_("my manager may see this plan"), default=False)
    state = models.CharField(
        _("state"), max_length=16, choices=PlanState.choices, default=PlanState.DRAFT
    )
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    calendar_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ("-created_at",)
        indexes = [
            models.Index(fields=["organisation", "state"]),
            models.Index(fields=["learner", "state"]),
        ]

    def __str__(self) -> str:
        return self.task or self.practice or str(self.pk)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_PLAN_STATES

    def moment(self) -> datetime | None:
        """The planned occurrence as an aware datetime in the site's time zone."""
        if self.planned_on is None or self.planned_at is None:
            return None
        return timezone.make_aware(datetime.combine(self.planned_on, self.planned_at))

    @property
    def calendar_uid(self) -> str:
        return f"action-plan-{self.pk}@ancrage"

    def can_move_to(self, state: str) -> bool:
        return state in PLAN_TRANSITIONS[self.state]


class Outcome(models.TextChoices):
    DONE = "done", _("Done")
    PARTIAL = "partial", _("Partly")
    NOT_DONE = "not_done", _("Not done")


class CheckInState(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")
    CANCELLED = "cancelled", _("Cancelled")


class ActionCheckIn(BaseModel):
    """One follow-up question about a plan, asked on `due_on` (or logged by the learner)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="check_ins")
    occurrence_on = models.DateField(_("planned day it follows"))
    offset_days = models.PositiveSmallIntegerField(_("days after the planned day"))
    due_on = models.DateField(_("asked on"))
    state = models.CharField(
        _("state"), max_length=16, choices=CheckInState.choices, default=CheckInState.PENDING
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    obstacle = models.TextField(_("obstacle"), blank=True)
    adjustment = models.TextField(_("adjustment"), blank=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ("due_on", "offset_days")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "occurrence_on", "offset_days"],
                condition=~models.Q(offset_days=0),
                name="transfer_one_check_in_per_offset",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="answered") | ~models.Q(outcome=""),
                name="transfer_answered_check_in_has_outcome",
            ),
        ]
        indexes = [models.Index(fields=["state", "due_on"])]

    def __str__(self) -> str:
        return f"{self.plan_id} +{self.offset_days}"

    def is_due(self, today: date) -> bool:
        return self.state == CheckInState.PENDING and self.due_on <= today


def plan_moment(on: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(on, at))
