"""The learner's private reflective journal: Gibbs entries, CNV self-assessments and
behaviour self-ratings over time.

Privacy invariant: these rows are reachable only by their author (see
`ancrage.transfer.queries.access_journal_entry`); nobody else, whatever their role, gets
anything but a 404. Reports use aggregates over at least 5 people only.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.catalog.models import KeyBehaviour, Path
from ancrage.common.models import BaseModel
from ancrage.tenancy.models import Membership, Organisation

CNV_GRID = "cnv-v1"
CNV_COMPONENTS = ("observation", "feeling", "need", "request")


class SituationKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    ONE_TO_ONE = "one_to_one", _("One-to-one conversation")
    CUSTOMER = "customer", _("With a customer or user")
    TENSION = "tension", _("Tension or disagreement")
    OTHER = "other", _("Other")


class JournalEntry(BaseModel):
    """One reflection along Gibbs' six stages."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="journal_entries")
    occurred_on = models.DateField(_("when it happened"))
    title = models.CharField(_("title"), max_length=200)
    situation = models.CharField(
        _("kind of situation"), max_length=16, choices=SituationKind.choices, default="other"
    )
    path = models.ForeignKey(
        Path,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("path"),
    )
    description = models.TextField(_("description: what happened?"), blank=True)
    feelings = models.TextField(_("feelings: what did you feel?"), blank=True)
    evaluation = models.TextField(_("evaluation: what went well or badly?"), blank=True)
    analysis = models.TextField(_("analysis: what sense do you make of it?"), blank=True)
    conclusion = models.TextField(_("conclusion: what else could you have done?"), blank=True)
    action_plan = models.TextField(_("action plan: what will you do next time?"), blank=True)
    markers = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ("-occurred_on", "-created_at")

    def __str__(self) -> str:
        return self.title


class SelfAssessment(BaseModel):
    """The CNV grid (observation, feeling, need, request), each scored 0–2 by the learner."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="self_assessments"
    )
    entry = models.ForeignKey(
        JournalEntry,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="self_assessments",
    )
    grid = models.CharField(max_length=16, default=CNV_GRID)
    assessed_on = models.DateField(_("assessed on"))
    observation_text = models.TextField(_("my observation"), blank=True)
    feeling_text = models.TextField(_("my feeling"), blank=True)
    need_text = models.TextField(_("my need"), blank=True)
    request_text = models.TextField(_("my request"), blank=True)
    observation_score = models.PositiveSmallIntegerField(_("observation"))
    feeling_score = models.PositiveSmallIntegerField(_("feeling"))
    need_score = models.PositiveSmallIntegerField(_("need"))
    request_score = models.PositiveSmallIntegerField(_("request"))
    markers = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ("-assessed_on", "-created_at")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    observation_score__lte=2,
                    feeling_score__lte=2,
                    need_score__lte=2,
                    request_score__lte=2,
                ),
                name="transfer_cnv_scores_0_to_2",
            )
        ]

    def __str__(self) -> str:
        return f"{self.grid} · {self.assessed_on}"

    @property
    def total(self) -> int:
        return self.observation_score + self.feeling_score + self.need_score + self.request_score


class BehaviourSelfRating(BaseModel):
    """The learner's own BARS rating (1–5) of a key behaviour on a given day."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="behaviour_self_ratings"
    )
    path = models.ForeignKey(Path, on_delete=models.PROTECT, related_name="+")
    key_behaviour = models.ForeignKey(KeyBehaviour, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("rating"))
    rated_on = models.DateField(_("rated on"))
    entry = models.ForeignKey(
        JournalEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("behaviour self-rating")
        verbose_name_plural = _("behaviour self-ratings")
        ordering = ("rated_on", "created_at")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5),
                name="transfer_self_rating_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.key_behaviour_id} · {self.score}"
