"""Checking recognition rules: periods (quarters, themed events) and what each person did.

A quarter runs from the first day of January, April, July or October at midnight to the
first day of the next quarter, in the site's time zone (`TIME_ZONE`, Europe/Paris): an act
on 31 December at 23:30 in Paris counts in Q4 even though it is already 1 January in UTC.
A themed event's period runs from its first day at midnight to the day after its last day.
What counts: paths finished (`Enrolment.completed_at`; for an event, only its featured
paths), takeaways shared (`SharedTakeaway.created_at`) and action plans committed
(`ActionPlan.committed_at`).
"""

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ancrage.engagement.models import RecognitionRule, SharedTakeaway, ThemedEvent
from ancrage.player.models import Enrolment, EnrolmentStatus
from ancrage.transfer.models import ActionPlan


@dataclass(frozen=True)
class Period:
    key: str  # "2026-Q4", "event:<uuid>"
    label: str
    starts_at: datetime
    ends_at: datetime  # exclusive
    path_ids: frozenset[uuid.UUID] | None = None  # an event's featured paths; None: any path


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def quarter_of(moment: datetime) -> Period:
    local = timezone.localtime(moment)
    number = (local.month - 1) // 3 + 1
    first = date(local.year, 3 * number - 2, 1)
    following = date(local.year + 1, 1, 1) if number == 4 else date(local.year, 3 * number + 1, 1)
    return Period(
        key=f"{local.year}-Q{number}",
        label=_("quarter %(number)s of %(year)s") % {"number": number, "year": local.year},
        starts_at=_midnight(first),
        ends_at=_midnight(following),
    )


def quarters_to_check(now: datetime) -> list[Period]:
    """The current quarter and the one before (late rows of a closed quarter still count)."""
    current = quarter_of(now)
    return [current, quarter_of(current.starts_at - timedelta(seconds=1))]


def event_period(event: ThemedEvent, path_ids: frozenset[uuid.UUID]) -> Period:
    campaign = event.campaign
    return Period(
        key=f"event:{event.pk}",
        label=_("%(event)s (%(start)s – %(end)s)")
        % {
            "event": campaign.title,
            "start": formats.date_format(campaign.starts_on, "j F"),
            "end": formats.date_format(campaign.ends_on, "j F Y"),
        },
        starts_at=_midnight(campaign.starts_on),
        ends_at=_midnight(campaign.ends_on + timedelta(days=1)),
        path_ids=path_ids,
    )


@dataclass
class Activity:
    """What each person of one organisation did in one period, by membership id."""

    paths: Counter[uuid.UUID] = field(default_factory=Counter)
    takeaways: Counter[uuid.UUID] = field(default_factory=Counter)
    plans: Counter[uuid.UUID] = field(default_factory=Counter)

    def meets(self, rule: RecognitionRule) -> list[uuid.UUID]:
        people = set(self.paths) | set(self.takeaways) | set(self.plans)
        return sorted(
            person
            for person in people
            if self.paths[person] >= rule.min_paths
            and self.takeaways[person] >= rule.min_takeaways
            and self.plans[person] >= rule.min_action_plans
        )


def activity_in(
    organisation_id: uuid.UUID, period: Period, *, until: datetime | None = None
) -> Activity:
    """Counts per person in the period, up to `until` (acts dated later do not count yet)."""
    window = {"gte": period.starts_at, "lt": min(period.ends_at, until or period.ends_at)}
    enrolments = Enrolment.objects.filter(
        organisation_id=organisation_id,
        status=EnrolmentStatus.COMPLETED,
        completed_at__gte=window["gte"],
        completed_at__lt=window["lt"],
    )
    if period.path_ids is not None:
        enrolments = enrolments.filter(path_id__in=period.path_ids)
    activity = Activity()
    for finished in enrolments.values("membership_id").annotate(n=Count("path_id", distinct=True)):
        activity.paths[finished["membership_id"]] = finished["n"]
    for takeaway in (
        SharedTakeaway.objects.filter(
            organisation_id=organisation_id,
            created_at__gte=window["gte"],
            created_at__lt=window["lt"],
        )
        .values("author_id")
        .annotate(n=Count("pk"))
    ):
        activity.takeaways[takeaway["author_id"]] = takeaway["n"]
    for plan in (
        ActionPlan.objects.filter(
            organisation_id=organisation_id,
            committed_at__gte=window["gte"],
            committed_at__lt=window["lt"],
        )
        .values("learner_id")
        .annotate(n=Count("pk"))
    ):
        activity.plans[plan["learner_id"]] = plan["n"]
    return activity


def describe(rule: RecognitionRule, period: Period) -> str:
    """Why the scheduler proposes it, in words the L&D lead and the learner read."""
    parts = []
    if rule.min_paths and period.path_ids is None:
        parts.append(
            ngettext("%(n)s path finished", "%(n)s paths finished", rule.min_paths)
            % {"n": rule.min_paths}
        )
    elif rule.min_paths:
        parts.append(
            ngettext(
                "%(n)s featured path finished", "%(n)s featured paths finished", rule.min_paths
            )
            % {"n": rule.min_paths}
        )
    if rule.min_takeaways:
        parts.append(
            ngettext("%(n)s takeaway shared", "%(n)s takeaways shared", rule.min_takeaways)
            % {"n": rule.min_takeaways}
        )
    if rule.min_action_plans:
        parts.append(
            ngettext(
                "%(n)s action plan committed",
                "%(n)s action plans committed",
                rule.min_action_plans,
            )
            % {"n": rule.min_action_plans}
        )
    return _("%(what)s — %(period)s.") % {"what": " · ".join(parts), "period": period.label}
