"""An organisation's habit settings (default time zone, quiet hours, FSRS parameters) and a
learner's own choices (time zone, weekly streak target). No row means the defaults."""

from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings as django_settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.common.models import BaseModel
from ancrage.tenancy.models import Membership, Organisation

DEFAULT_QUIET_START = time(20, 0)
DEFAULT_QUIET_END = time(8, 0)


class HabitSettings(BaseModel):
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="habit_settings"
    )
    time_zone = models.CharField(_("default time zone"), max_length=64, default="Europe/Paris")
    quiet_start = models.TimeField(_("quiet hours start"), default=DEFAULT_QUIET_START)
    quiet_end = models.TimeField(_("quiet hours end"), default=DEFAULT_QUIET_END)
    # The organisation's optimised FSRS parameters (21 floats, from the RecallOptimisation
    # run that put them in use); empty means FSRS's defaults.
    recall_parameters = models.JSONField(_("recall parameters"), default=list, blank=True)
    parameters_optimised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("habit settings")
        verbose_name_plural = _("habit settings")

    def __str__(self) -> str:
        return str(self.organisation_id)

    @classmethod
    def for_organisation(cls, organisation_id: Any) -> "HabitSettings":
        """The stored row, or an unsaved one holding the defaults."""
        found = cls.objects.filter(organisation_id=organisation_id).first()
        if found is not None:
            return found
        return cls(
            organisation_id=organisation_id,
            time_zone=getattr(django_settings, "TIME_ZONE", "Europe/Paris") or "Europe/Paris",
        )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


class HabitProfile(BaseModel):
    """A learner's own habit choices: their time zone and their weekly target."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="habit_profile"
    )
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    weekly_target = models.PositiveSmallIntegerField(
        _("active days per week"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
    )

    class Meta:
        verbose_name = _("habit profile")
        verbose_name_plural = _("habit profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekly_target__gte=1, weekly_target__lte=3),
                name="habits_weekly_target_1_to_3",
            )
        ]

    def __str__(self) -> str:
        return str(self.membership_id)
