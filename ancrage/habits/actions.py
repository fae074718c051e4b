"""Writes of habits: rituals (save/move, snooze, stop), the weekly target, recall items and
their reviews.

Every action is keyword-only and atomic; calendar invitations and emails go through
`ancrage.notify.actions` (recorded in the caller's transaction, delivered after commit).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ancrage.catalog.models import Card, Path, PathVersion, VersionStatus
from ancrage.habits import slots
from ancrage.habits.models import (
    Frequency,
    HabitProfile,
    HabitSettings,
    RecallItem,
    RecallSource,
    ReviewLog,
    Ritual,
    RitualState,
)
from ancrage.habits.models.rituals import MINUTE_CHOICES
from ancrage.habits.recall import RECALL_CARD_TYPES, copy_state, fsrs_card, rating_for
from ancrage.habits.recall import scheduler_for as recall_scheduler
from ancrage.notify.actions import (
    cancel_calendar_event,
    save_calendar_event,
    send_calendar_invitation,
)
from ancrage.player.models import Enrolment
from ancrage.tenancy.models import Membership


class HabitRefused(Exception):
    """A request the learner can fix; `message` says how (shown as is, translated)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --- Rituals --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RitualInput:
    frequency: str
    weekdays: list[int]
    local_time: time
    minutes: int
    cue: str
    time_zone: str


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise HabitRefused(_("Choose a time zone from the list."), "time_zone") from exc


def check_ritual_input(data: RitualInput, habit_settings: HabitSettings) -> None:
    """Raise HabitRefused naming the field when the ritual cannot be kept as asked."""
    days = sorted(set(data.weekdays))
    if not days or any(not 0 <= d <= 6 for d in days):
        raise HabitRefused(_("Choose at least one day."), "weekdays")
    if data.frequency == Frequency.WEEKLY and len(days) != 1:
        raise HabitRefused(_("A weekly ritual happens on exactly one day."), "weekdays")
    if data.frequency not in Frequency.values:
        raise HabitRefused(_("Choose a rhythm."), "frequency")
    if data.minutes not in MINUTE_CHOICES:
        raise HabitRefused(_("Choose a duration from the list."), "minutes")
    _zone(data.time_zone)
    if slots.slot_touches_quiet_hours(
        data.local_time, data.minutes, habit_settings.quiet_start, habit_settings.quiet_end
    ):
        raise HabitRefused(
            _(
                "This slot falls in your organisation's quiet hours (%(start)s–%(end)s): "
                "choose another time."
            )
            % {
                "start": habit_settings.quiet_start.strftime("%H:%M"),
                "end": habit_settings.quiet_end.strftime("%H:%M"),
            },
            "local_time",
        )


def describe_rhythm(ritual: Ritual) -> str:
    """'every Monday at 09:30 (5 min)' in the active language."""
    names = [str(formats.date_format(date(2024, 1, 1 + d), "l")) for d in ritual.weekdays]
    when = ritual.local_time.strftime("%H:%M")
    if len(ritual.weekdays) == 7:
        days = _("every day")
    else:
        days = _("every %(days)s") % {"days": ", ".join(names)}
    return _("%(days)s at %(time)s (%(minutes)d min)") % {
        "days": days,
        "time": when,
        "minutes": ritual.minutes,
    }


def habits_url() -> str:
    return settings.SITE_URL + reverse("habits_home")


def _send_invitation(ritual: Ritual, now: datetime) -> None:
    assert ritual.next_slot_at is not None
    learner = ritual.learner
    language = getattr(learner.user, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        summary = (
            _("Ancrage ritual: %(cue)s") % {"cue": ritual.cue}
            if ritual.cue
            else _("Ancrage ritual")
        )
        description = "\n".join(
            [
                describe_rhythm(ritual),
                _("A few minutes to continue your path or answer your recall questions."),
                habits_url(),
            ]
        )
    event = save_calendar_event(
        organisation=ritual.organisation,
        uid=ritual.calendar_uid,
        summary=summary,
        description=description,
        starts_at=ritual.next_slot_at,
        ends_at=ritual.next_slot_at + ritual.duration,
        url=habits_url(),
        time_zone=ritual.time_zone,
        source=f"ritual:{ritual.pk}",
    )
    if ritual.calendar_event_id != event.pk:
        ritual.calendar_event = event
        ritual.save(update_fields=["calendar_event", "updated_at"])
    send_calendar_invitation(
        event=event,
        attendees=[learner],
        language=language,
        now=now,
        rrule=slots.rrule_for(ritual.weekdays),
    )


@transaction.atomic
def save_ritual(*, learner: Membership, data: RitualInput, now: datetime | None = None) -> Ritual:
    """Create the learner's ritual or move it (same calendar UID, SEQUENCE + 1); one
    invitation per version of the series. Raises HabitRefused naming the field."""
    now = now or timezone.now()
    habit_settings = HabitSettings.for_organisation(learner.organisation_id)
    check_ritual_input(data, habit_settings)
    ritual = (
        Ritual.objects.select_for_update().filter(learner=learner, state=RitualState.ACTIVE).first()
    ) or Ritual(organisation_id=learner.organisation_id, learner=learner)
    ritual.frequency = data.frequency
    ritual.weekdays = sorted(set(data.weekdays))
    ritual.local_time = data.local_time.replace(second=0, microsecond=0)
    ritual.minutes = data.minutes
    ritual.cue = data.cue.strip()[:200]
    ritual.time_zone = data.time_zone
    ritual.state = RitualState.ACTIVE
    ritual.stopped_at = None
    ritual.next_slot_at = slots.next_slot(
        weekdays=ritual.weekdays, at=ritual.local_time, zone=ritual.zone, after=now
    )
    ritual.save()
    HabitProfile.objects.update_or_create(
        membership=learner,
        defaults={"organisation_id": learner.organisation_id, "time_zone": data.time_zone},
    )
    _send_invitation(ritual, now)
    return ritual


@transaction.atomic
def stop_ritual(*, ritual: Ritual, now: datetime | None = None) -> Ritual:
    """Stop reminders and cancel the calendar series (same UID, METHOD:CANCEL). Idempotent."""
    now = now or timezone.now()
    locked = Ritual.objects.select_for_update().select_related("learner__user").get(pk=ritual.pk)
    if locked.state == RitualState.STOPPED:
        return locked
    locked.state = RitualState.STOPPED
    locked.stopped_at = now
    locked.next_slot_at = None
    locked.save(update_fields=["state", "stopped_at", "next_slot_at", "updated_at"])
    if locked.calendar_event is not None:
        cancel_calendar_event(event=locked.calendar_event, attendees=[locked.learner], now=now)
    return locked


SNOOZE_HOUR = "hour"
SNOOZE_TOMORROW = "tomorrow"


@transaction.atomic
def snooze_ritual(
    *, ritual: Ritual, until: str, slot_at: datetime | None = None, now: datetime | None = None
) -> Ritual:
    """Move one occurrence: +1 hour, or to the same time tomorrow.

    `slot_at` names the occurrence (from a reminder link); without it, the next one. The new
    time must be outside quiet hours; the regular rhythm resumes after it.
    """
    now = now or timezone.now()
    locked = Ritual.objects.select_for_update().get(pk=ritual.pk)
    if locked.state != RitualState.ACTIVE or locked.next_slot_at is None:
        raise HabitRefused(_("This ritual is stopped."))
    base = slot_at or locked.next_slot_at
    zone = locked.zone
    if until == SNOOZE_HOUR:
        moved = (max(base, now) + timedelta(hours=1)).replace(second=0, microsecond=0)
    elif until == SNOOZE_TOMORROW:
        day = base.astimezone(zone).date() + timedelta(days=1)
        moved = slots.local_slot(day, locked.local_time, zone)
    else:
        raise HabitRefused(_("Choose how long to snooze."))
    habit_settings = HabitSettings.for_organisation(locked.organisation_id)
    local = moved.astimezone(zone).time()
    if slots.slot_touches_quiet_hours(
        local, locked.minutes, habit_settings.quiet_start, habit_settings.quiet_end
    ):
        raise HabitRefused(
            _("That would fall in quiet hours; snooze to tomorrow instead.")
            if until == SNOOZE_HOUR
            else _("That would fall in quiet hours.")
        )
    locked.next_slot_at = moved
    locked.save(update_fields=["next_slot_at", "updated_at"])
    return locked


@transaction.atomic
def set_weekly_target(*, learner: Membership, target: int) -> HabitProfile:
    if not 1 <= target <= 3:
        raise HabitRefused(_("Choose between 1 and 3 active days a week."), "weekly_target")
    profile, _created = HabitProfile.objects.update_or_create(
        membership=learner,
        defaults={"organisation_id": learner.organisation_id, "weekly_target": target},
    )
    return profile


@transaction.atomic
def save_habit_settings(
    *, organisation_id: Any, time_zone: str, quiet_start: time, quiet_end: time
) -> HabitSettings:
    """Set the organisation's default time zone and quiet hours (existing rituals keep their
    own zone; reminders already planned inside the new quiet hours are not sent)."""
    _zone(time_zone)
    habit_settings, _created = HabitSettings.objects.update_or_create(
        organisation_id=organisation_id,
        defaults={"time_zone": time_zone, "quiet_start": quiet_start, "quiet_end": quiet_end},
    )
    return habit_settings


# --- Recall ---------------------------------------------------------------------------------


def _version_for(learner: Membership, path: Path) -> PathVersion | None:
    """The version the learner follows: their enrolment's pinned one, else the published."""
    enrolment = (
        Enrolment.objects.filter(membership=learner, path=path)
        .select_related("path_version")
        .first()
    )
    if enrolment is not None:
        return enrolment.path_version
    return PathVersion.objects.filter(path=path, status=VersionStatus.PUBLISHED).first()


@transaction.atomic
def create_recall_items(
    *,
    learner: Membership,
    path: Path,
    module_slug: str,
    completed_at: datetime,
    source: str = RecallSource.PLAYER,
) -> int:
    """Each quiz and flashcard card of a finished module becomes a recall item of the learner,
    first due a day after the module; idempotent (one item per learner and card)."""
    version = _version_for(learner, path)
    if version is None:
        return 0
    cards = list(
        Card.objects.filter(
            module__version=version, module__slug=module_slug, type__in=RECALL_CARD_TYPES
        ).order_by("order")
    )
    if not cards:
        return 0
    known = set(
        RecallItem.objects.filter(learner=learner, card__in=cards).values_list("card_id", flat=True)
    )
    rows = [
        RecallItem(
            organisation_id=learner.organisation_id,
            learner=learner,
            path=path,
            path_version=version,
            card=card,
            card_key=f"{module_slug}.{card.order + 1}",
            source=source,
            due=completed_at + timedelta(days=1),
        )
        for card in cards
        if card.pk not in known
    ]
    RecallItem.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def answer_recall(
    *,
    item: RecallItem,
    passed: bool,
    answer: Any = None,
    duration_ms: int | None = None,
    now: datetime | None = None,
) -> ReviewLog:
    """Record a binary answer and let FSRS schedule the next review."""
    now = (now or timezone.now()).astimezone(UTC)
    locked = RecallItem.objects.select_for_update().get(pk=item.pk)
    if locked.suspended:
        raise HabitRefused(_("This recall item is no longer offered."))
    scheduler = recall_scheduler(locked.organisation_id)
    card, _log = scheduler.review_card(fsrs_card(locked), rating_for(passed), now)
    copy_state(locked, card)
    locked.save()
    return ReviewLog.objects.create(
        organisation_id=locked.organisation_id,
        item=locked,
        learner_id=locked.learner_id,
        passed=passed,
        rating=int(rating_for(passed)),
        reviewed_at=now,
        duration_ms=duration_ms,
        answer=answer,
    )
