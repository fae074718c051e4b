"""Spaced recall: one RecallItem per (learner, quiz or flashcard card) of a finished module,
its FSRS memory state, and one ReviewLog per answer (binary: passed or not).

Items are created from the LRS's "completed"/"passed" statements for our module activities,
whether the player was ours or an exported package's (RecallCursor remembers how far the
statements were read). Retiring a path version does not delete items; `suspended` ones are
not served. RecallOptimisation records each weekly fit of the organisation's FSRS parameters
(aggregate figures only: no learner is named).
"""

from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.catalog.models import Card, Path, PathVersion
from ancrage.common.models import BaseModel
from ancrage.tenancy.models import Membership, Organisation


class RecallSource(models.TextChoices):
    PLAYER = "player", _("Ancrage player")
    EXPORT = "export", _("Exported package (statements)")


class RecallItem(BaseModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    learner = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="recall_items")
    path = models.ForeignKey(Path, on_delete=models.PROTECT, related_name="+")
    path_version = models.ForeignKey(PathVersion, on_delete=models.PROTECT, related_name="+")
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="+")
    card_key = models.CharField(_("card"), max_length=200)
    source = models.CharField(_("source"), max_length=8, choices=RecallSource.choices)
    # FSRS memory state (fsrs.Card): state 1 learning, 2 review, 3 relearning.
    state = models.PositiveSmallIntegerField(_("FSRS state"), default=1)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField(_("due"))
    last_review = models.DateTimeField(_("last review"), null=True, blank=True)
    suspended = models.BooleanField(_("suspended"), default=False)

    class Meta:
        verbose_name = _("recall item")
        verbose_name_plural = _("recall items")
        ordering = ("due",)
        constraints = [
            models.UniqueConstraint(fields=["learner", "card"], name="habits_recall_once"),
        ]
        indexes = [models.Index(fields=["learner", "suspended", "due"], name="habits_recall_due")]

    def __str__(self) -> str:
        return self.card_key

    def is_due(self, now: datetime) -> bool:
        return not self.suspended and self.due <= now


class ReviewLog(BaseModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(RecallItem, on_delete=models.CASCADE, related_name="reviews")
    learner = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    passed = models.BooleanField(_("passed"))
    rating = models.PositiveSmallIntegerField(_("FSRS rating"))
    reviewed_at = models.DateTimeField(_("reviewed at"))
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    answer = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("recall review")
        verbose_name_plural = _("recall reviews")
        ordering = ("-reviewed_at",)
        indexes = [
            models.Index(fields=["learner", "reviewed_at"]),
            models.Index(fields=["organisation", "reviewed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.rating}"


class RecallCursor(models.Model):
    """How far the recall job has read the LRS (statement `seq`, increasing)."""

    name = models.CharField(max_length=60, unique=True)
    position = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name}@{self.position}"


class OptimisationOutcome(models.TextChoices):
    OPTIMISED = "optimised", _("Optimised parameters put in use")
    NOT_BETTER = (
        "not_better",
        _("Parameters kept: the fitted ones did not predict recent answers better"),
    )
    TOO_FEW_REVIEWS = "too_few", _("Parameters kept: not enough reviews yet")
    TOO_FEW_REPEATS = "few_repeats", _("Parameters kept: not enough repeated reviews yet")
    FAILED = "failed", _("Parameters kept: the optimiser gave no usable parameters")


class RecallOptimisation(BaseModel):
    """One run of the organisation's FSRS parameter optimisation (`habits.optimise`).

    The log-losses are measured on the held-out reviews (the most recent ones, not used for
    fitting), replayed with fsrs's Scheduler: `before` with the parameters in use at the time,
    `after` with the fitted `parameters`. Only an `optimised` run changes the parameters in use
    (`HabitSettings.recall_parameters`)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    ran_at = models.DateTimeField(_("run at"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=OptimisationOutcome.choices)
    reviews = models.PositiveIntegerField(_("reviews read"))
    held_out_reviews = models.PositiveIntegerField(_("held-out reviews"), default=0)
    log_loss_before = models.FloatField(_("held-out log-loss before"), null=True, blank=True)
    log_loss_after = models.FloatField(_("held-out log-loss after"), null=True, blank=True)
    parameters = models.JSONField(_("fitted parameters"), default=list, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("recall parameter optimisation")
        verbose_name_plural = _("recall parameter optimisations")
        ordering = ("-ran_at",)
        indexes = [models.Index(fields=["organisation", "ran_at"])]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.ran_at:%Y-%m-%d} {self.outcome}"
