"""Spaced recall: one RecallItem per (learner, quiz or flashcard card) of a finished module,
its FSRS memory state, and one ReviewLog per answer (binary: passed or not).

Items are created from the LRS's "completed"/"passed" statements for our module activities,
whether the player was ours or an exported package's (RecallCursor remembers how far the
statements were read). Retiring a path version does not delete items; `suspended` ones are
not served.
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
