"""A learner's ritual (recurring micro-slot) and the record of each occurrence's reminder.

`next_slot_at` is the UTC start of the next reminder to consider (regular or snoozed); the
reminder job reads only rituals whose `next_slot_at` has come (one index range scan) and
moves it forward. A RitualOccurrence row per occurrence key (ritual + local date + local
slot time) makes the reminder exist at most once, whatever the job does.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.common.models import BaseModel
from ancrage.notify.models import CalendarEvent, OutboundMessage
from ancrage.tenancy.models import Membership, Organisation

MINUTE_CHOICES = (5, 10, 15, 20, 30)


class Frequency(models.TextChoices):
    DAILY = "daily", _("Several days a week")
    WEEKLY = "weekly", _("Once a week")


class RitualChannel(models.TextChoices):
    EMAIL = "email", _("Email")


class RitualState(models.TextChoices):
    ACTIVE = "active", _("Active")
    STOPPED = "stopped", _("Stopped")


class Ritual(BaseModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    learner = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="rituals")
    frequency = models.CharField(
        _("rhythm"), max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    weekdays = models.JSONField(_("days"), default=list)  # 0 = Monday … 6 = Sunday
    local_time = models.TimeField(_("time"))
    minutes = models.PositiveSmallIntegerField(_("minutes"), default=5)
    cue = models.CharField(_("cue"), max_length=200, blank=True)
    channel = models.CharField(
        _("channel"), max_length=8, choices=RitualChannel.choices, default=RitualChannel.EMAIL
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Paris")
    state = models.CharField(
        _("state"), max_length=8, choices=RitualState.choices, default=RitualState.ACTIVE
    )
    next_slot_at = models.DateTimeField(_("next reminder at"), null=True, blank=True)
    calendar_event = models.ForeignKey(
        CalendarEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)

    class Meta:
        verbose_name = _("ritual")
        verbose_name_plural = _("rituals")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["learner"],
                condition=models.Q(state="active"),
                name="habits_one_active_ritual_per_learner",
            ),
        ]
        indexes = [models.Index(fields=["state", "next_slot_at"], name="habits_ritual_due")]

    def __str__(self) -> str:
        return self.cue or str(self.pk)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.minutes)

    @property
    def is_active(self) -> bool:
        return self.state == RitualState.ACTIVE

    @property
    def calendar_uid(self) -> str:
        return f"ritual-{self.pk}@ancrage"


class OccurrenceOutcome(models.TextChoices):
    SENT = "sent", _("Reminder sent")
    LATE = "late", _("Not sent: the slot was over")
    QUIET = "quiet", _("Not sent: quiet hours")


class RitualOccurrence(BaseModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    ritual = models.ForeignKey(Ritual, on_delete=models.CASCADE, related_name="occurrences")
    key = models.CharField(max_length=200, unique=True)
    slot_at = models.DateTimeField(_("slot"))
    snoozed = models.BooleanField(_("snoozed"), default=False)
    outcome = models.CharField(_("outcome"), max_length=8, choices=OccurrenceOutcome.choices)
    message = models.ForeignKey(
        OutboundMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("ritual occurrence")
        verbose_name_plural = _("ritual occurrences")
        ordering = ("-slot_at",)

    def __str__(self) -> str:
        return self.key
