"""Weekly streaks that encourage without punishing, computed from the acts themselves.

There is no streak counter that could drift: the streak is recomputed from the facts each
time it is shown. A day is *active* when the learner did at least one meaningful act in it
(in their own time zone): finished a card of a path (first time it was seen), answered a
card, answered a recall question, wrote a journal entry, answered an action-plan check-in.
A week (ISO, Monday to Sunday, in the learner's time zone) *counts* when it has at least
the learner's target of active days (1 to 3, chosen by them).

Freezes are free and automatic: one is earned every 4 counted weeks (at most 2 held), and a
missed week spends one instead of breaking the streak. The week in progress never breaks
the streak: it counts once the target is reached.

Only the learner sees their streak (home card and habits page); it is never ranked, and no
manager or L&D view reads it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from ancrage.habits.models import HabitProfile, HabitSettings, ReviewLog
from ancrage.player.models import CardProgress
from ancrage.tenancy.models import Membership
from ancrage.transfer.models import ActionCheckIn, CheckInState, JournalEntry

WEEKS_FOR_A_FREEZE = 4
MAX_FREEZES = 2
HORIZON_WEEKS = 104


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Week:
    monday: date
    active_days: int
    status: str  # "counted", "frozen", "missed", "in_progress"


@dataclass(frozen=True)
class Streak:
    weeks: int  # consecutive counted weeks (frozen weeks keep it, do not add to it)
    freezes: int  # held now
    freezes_used: int  # spent in the current streak
    target: int
    this_week_days: int
    history: list[Week] = field(default_factory=list)  # oldest first

    @property
    def this_week_done(self) -> bool:
        return self.this_week_days >= self.target


def compute_streak(active_days: set[date], *, today: date, target: int) -> Streak:
    """The streak as of `today` (a local date) from the set of active local dates."""
    per_week: dict[date, int] = {}
    for day in active_days:
        if day <= today:
            per_week[monday_of(day)] = per_week.get(monday_of(day), 0) + 1
    current = monday_of(today)
    this_week = per_week.get(current, 0)
    if not per_week:
        return Streak(0, 0, 0, target, this_week)
    week = min(per_week)
    streak = freezes = used = progress = 0
    history: list[Week] = []
    while week < current:
        days = per_week.get(week, 0)
        if days >= target:
            streak += 1
            progress += 1
            if progress == WEEKS_FOR_A_FREEZE:
                freezes, progress = min(MAX_FREEZES, freezes + 1), 0
            history.append(Week(week, days, "counted"))
        elif freezes > 0:
            freezes -= 1
            used += 1
            history.append(Week(week, days, "frozen"))
        else:
            streak = progress = used = 0
            history.append(Week(week, days, "missed"))
        week += timedelta(days=7)
    if this_week >= target:
        streak += 1
        progress += 1
        if progress == WEEKS_FOR_A_FREEZE:
            freezes = min(MAX_FREEZES, freezes + 1)
        history.append(Week(current, this_week, "counted"))
    else:
        history.append(Week(current, this_week, "in_progress"))
    return Streak(streak, freezes, used, target, this_week, history)


def learner_zone(learner: Membership, profile: HabitProfile | None = None) -> ZoneInfo:
    profile = profile or HabitProfile.objects.filter(membership=learner).first()
    if profile is not None and profile.time_zone:
        return ZoneInfo(profile.time_zone)
    return HabitSettings.for_organisation(learner.organisation_id).zone


def active_days_of(learner: Membership, zone: ZoneInfo, since: datetime) -> set[date]:
    """Local dates with at least one meaningful act since `since`."""
    cards = CardProgress.objects.filter(enrolment__membership=learner).order_by()
    # One round trip: the five kinds of act, each on its own index, glued by UNION ALL.
    stamps = (
        cards.filter(first_seen_at__gte=since)
        .values_list("first_seen_at", flat=True)
        .union(
            cards.filter(answered_at__gte=since).values_list("answered_at", flat=True),
            ReviewLog.objects.filter(learner=learner, reviewed_at__gte=since)
            .order_by()
            .values_list("reviewed_at", flat=True),
            JournalEntry.objects.filter(author=learner, created_at__gte=since)
            .order_by()
            .values_list("created_at", flat=True),
            ActionCheckIn.objects.filter(
                plan__learner=learner, state=CheckInState.ANSWERED, answered_at__gte=since
            )
            .order_by()
            .values_list("answered_at", flat=True),
            all=True,
        )
    )
    return {stamp.astimezone(zone).date() for stamp in stamps if stamp is not None}


def streak_of(learner: Membership, now: datetime | None = None) -> Streak:
    """The learner's own streak (call only for the signed-in learner themselves)."""
    now = now or timezone.now()
    profile = HabitProfile.objects.filter(membership=learner).first()
    zone = learner_zone(learner, profile)
    today = now.astimezone(zone).date()
    since = datetime.combine(
        monday_of(today) - timedelta(weeks=HORIZON_WEEKS), datetime.min.time(), tzinfo=zone
    )
    target = profile.weekly_target if profile else 1
    return compute_streak(active_days_of(learner, zone, since), today=today, target=target)
