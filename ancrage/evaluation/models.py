"""Evaluation data: follow-up surveys (L3 self-report at +30 days, success case at +90),
imported leading indicators (L4), and the rollup tables dashboards read.

Dashboards never scan raw statements or transfer rows on a page view: `refresh_rollups`
(a task) aggregates statements per enrolment into `EnrolmentActivity`, then writes one
`Figure` row per (scope, metric) with its population, so a page is one indexed read.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.common.models import BaseModel
from ancrage.player.models import Enrolment
from ancrage.tenancy.models import Membership, Organisation, Team


class SurveyRequest(BaseModel):
    """A follow-up survey asked of one learner about one enrolment, on `due_on`."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    learner = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    instrument = models.CharField(_("instrument"), max_length=40)
    due_on = models.DateField(_("asked on"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)

    class Meta:
        verbose_name = _("survey request")
        verbose_name_plural = _("survey requests")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "instrument"], name="evaluation_one_request_per_instrument"
            )
        ]
        indexes = [models.Index(fields=["organisation", "instrument", "answered_at"])]

    def __str__(self) -> str:
        return f"{self.instrument} · {self.enrolment_id}"


class Indicator(BaseModel):
    """A leading indicator the organisation tracks (L4), e.g. "pulse of meetings"."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="evaluation_indicator_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(BaseModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    measured_on = models.DateField(_("date"))
    value = models.FloatField(_("value"))

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ("measured_on",)
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "team", "measured_on"], name="evaluation_one_value_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.measured_on} {self.value}"


class EnrolmentActivity(models.Model):
    """Statements aggregated per enrolment (xAPI context.registration): rollup level 1."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    statements = models.PositiveIntegerField(default=0)
    last_stored = models.DateTimeField(null=True)
    score_sum = models.FloatField(default=0)
    score_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("enrolment activity")
        verbose_name_plural = _("enrolment activities")
        indexes = [models.Index(fields=["organisation"])]

    def __str__(self) -> str:
        return str(self.enrolment_id)


class Figure(models.Model):
    """One dashboard figure: (scope, metric) → value, its population and its level."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    scope_kind = models.CharField(max_length=16)
    scope_id = models.CharField(max_length=64)
    metric = models.CharField(max_length=64)  # "indicator:<uuid>" is 46
    position = models.PositiveSmallIntegerField(default=0)
    value = models.FloatField(null=True)
    population = models.PositiveIntegerField(default=0)
    series = models.JSONField(default=list, blank=True)  # [[label, value, population], …]
    refreshed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "scope_kind", "scope_id", "metric"],
                name="evaluation_one_figure_per_scope_metric",
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope_kind}:{self.scope_id}:{self.metric}"
