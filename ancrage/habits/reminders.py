"""Ritual reminders: which are due, and sending each at most once.

`plan_reminders` reads the active rituals whose `next_slot_at` has come (one index range
scan, no model instances) and says for each occurrence whether it can still be sent: a slot
that is over (the job ran late) or that falls in quiet hours is recorded, never sent.
`send_ritual_reminders` records one RitualOccurrence per key (ritual + local date + local
slot time, unique) and queues the email under the same key, then moves the ritual to its
next regular slot — so running it twice, or two runs at once, sends one reminder.
"""

from datetime import datetime, time, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ancrage.habits import slots
from ancrage.habits.actions import describe_rhythm, habits_url
from ancrage.habits.models import (
    HabitSettings,
    OccurrenceOutcome,
    RecallItem,
    Ritual,
    RitualOccurrence,
    RitualState,
)
from ancrage.habits.models.settings import DEFAULT_QUIET_END, DEFAULT_QUIET_START
from ancrage.habits.tokens import ritual_link
from ancrage.notify.actions import send_email
from ancrage.notify.models import Topic
from ancrage.player.queries import resume_entries
from ancrage.tenancy.models import MembershipStatus


class PlannedReminder(NamedTuple):
    ritual_id: Any
    slot_at: datetime
    key: str
    late: bool
    quiet: bool

    @property
    def sendable(self) -> bool:
        return not self.late and not self.quiet


def _quiet_hours() -> dict[Any, tuple[time, time]]:
    return {
        row[0]: (row[1], row[2])
        for row in HabitSettings.objects.values_list("organisation_id", "quiet_start", "quiet_end")
    }


def plan_reminders(*, until: datetime, now: datetime) -> list[PlannedReminder]:
    """Every active ritual's occurrence starting at or before `until`, judged at `now`."""
    quiet = _quiet_hours()
    zones: dict[str, ZoneInfo] = {}
    # Slots cluster on round times: convert each (zone, instant) once per batch.
    local_of: dict[tuple[str, datetime], tuple[str, time]] = {}
    planned = []
    rows = (
        Ritual.objects.filter(state=RitualState.ACTIVE, next_slot_at__lte=until)
        .order_by()
        .values_list("pk", "next_slot_at", "minutes", "time_zone", "organisation_id")
        .iterator(chunk_size=5000)
    )
    default_quiet = (DEFAULT_QUIET_START, DEFAULT_QUIET_END)
    for pk, slot_at, minutes, zone_name, organisation_id in rows:
        if slot_at is None:  # pragma: no cover — filtered out by the query
            continue
        local = local_of.get((zone_name, slot_at))
        if local is None:
            zone = zones.get(zone_name)
            if zone is None:
                zone = zones[zone_name] = ZoneInfo(zone_name)
            moment = slot_at.astimezone(zone)
            local = local_of[(zone_name, slot_at)] = (f"{moment:%Y-%m-%d:%H:%M}", moment.time())
        start, end = quiet.get(organisation_id, default_quiet)
        planned.append(
            PlannedReminder(
                pk,
                slot_at,
                f"ritual:{pk}:{local[0]}",
                now >= slot_at + timedelta(minutes=minutes),
                slots.in_quiet_hours(local[1], start, end),
            )
        )
    return planned


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _reminder_context(ritual: Ritual, slot_at: datetime) -> dict[str, Any]:
    learner = ritual.learner
    due = RecallItem.objects.filter(
        learner=learner, suspended=False, due__lte=slot_at + ritual.duration
    ).count()
    context: dict[str, Any] = {
        "name": learner.user.get_short_name(),
        "cue": ritual.cue,
        "rhythm": describe_rhythm(ritual),
        "minutes": ritual.minutes,
        "recall_count": due,
        "recall_url": _absolute(reverse("habits_recall")) if due else "",
        "next_title": "",
        "path_title": "",
        "next_url": "",
        "snooze_hour_url": ritual_link(ritual.pk, "hour", slot_at),
        "snooze_tomorrow_url": ritual_link(ritual.pk, "tomorrow", slot_at),
        "stop_url": ritual_link(ritual.pk, "stop"),
        "move_url": habits_url(),
    }
    if due:
        context["headline"] = ngettext(
            "%(n)d recall question is waiting for you.",
            "%(n)d recall questions are waiting for you.",
            due,
        ) % {"n": due}
        return context
    entries = list(resume_entries(learner).values())
    if entries:
        entry = entries[0]
        url = reverse("player", args=[entry.enrolment.path.code])
        if entry.next_key:
            url += f"?card={entry.next_key}"
        context["path_title"] = entry.enrolment.path_version.title
        context["next_title"] = entry.next_title
        context["next_url"] = _absolute(url)
        context["headline"] = _("Your next card is ready.")
    else:
        context["next_url"] = _absolute(reverse("home"))
        context["headline"] = _("Choose your next path.")
    return context


def _send_one(planned: PlannedReminder, now: datetime) -> str | None:
    with transaction.atomic():
        ritual = (
            Ritual.objects.select_for_update(of=("self",))
            .select_related("learner__user", "organisation")
            .filter(pk=planned.ritual_id, state=RitualState.ACTIVE, next_slot_at=planned.slot_at)
            .first()
        )
        if ritual is None:  # moved, snoozed or stopped meanwhile, or another run took it
            return None
        outcome = (
            OccurrenceOutcome.LATE
            if planned.late
            else OccurrenceOutcome.QUIET
            if planned.quiet
            else OccurrenceOutcome.SENT
        )
        occurrence, created = RitualOccurrence.objects.get_or_create(
            key=planned.key,
            defaults={
                "organisation_id": ritual.organisation_id,
                "ritual": ritual,
                "slot_at": planned.slot_at,
                "outcome": outcome,
            },
        )
        active_learner = ritual.learner.status != MembershipStatus.DEACTIVATED
        if created and outcome == OccurrenceOutcome.SENT and active_learner:
            language = getattr(ritual.learner.user, "language", "") or settings.LANGUAGE_CODE
            with translation.override(language):
                context = _reminder_context(ritual, planned.slot_at)
                subject = (
                    _("Your ritual: %(cue)s") % {"cue": ritual.cue}
                    if ritual.cue
                    else _("Your Ancrage ritual")
                )
                context["subject"] = subject
            occurrence.message = send_email(
                to=ritual.learner,
                template="habits/email/ritual_reminder",
                context=context,
                idempotency_key=planned.key,
                language=language,
                topic=Topic.REMINDERS,
                subject=subject,
                source=f"ritual:{ritual.pk}",
            )
            occurrence.save(update_fields=["message", "updated_at"])
        ritual.next_slot_at = slots.next_slot(
            weekdays=ritual.weekdays,
            at=ritual.local_time,
            zone=ritual.zone,
            after=max(planned.slot_at, now),
        )
        ritual.save(update_fields=["next_slot_at", "updated_at"])
        return outcome if created else None


def send_ritual_reminders(*, now: datetime | None = None) -> dict[str, int]:
    """Send the reminders whose slot is now; record late and quiet ones. Idempotent."""
    now = now or timezone.now()
    counts = {str(o): 0 for o in OccurrenceOutcome.values}
    for planned in plan_reminders(until=now, now=now):
        outcome = _send_one(planned, now)
        if outcome is not None:
            counts[outcome] += 1
    return counts
