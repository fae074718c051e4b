"""The demo's habits story: Léa's Monday ritual « après le stand-up du lundi », her weekly
streak of recall sessions with one freeze spent on a quiet week, recall questions due today
from the active-listening modules she finished; Marc's weekly Thursday ritual.

Idempotent: a person who already has a ritual or recall items is left as they are (no second
calendar invitation). The streak is computed from the acts, so it is shaped by the dates of
the recall answers written here (and by the check-ins and journal entries of the transfer
demo, which count too).
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from ancrage.catalog.models import Module, Path, PathVersion, VersionStatus
from ancrage.habits.actions import RitualInput, answer_recall, create_recall_items, save_ritual
from ancrage.habits.models import HabitSettings, RecallItem, Ritual
from ancrage.habits.streaks import active_days_of, monday_of, streak_of
from ancrage.tenancy.models import Membership, Organisation

PARIS = ZoneInfo("Europe/Paris")


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def _ritual(member: Membership, data: RitualInput) -> str:
    if Ritual.objects.filter(learner=member).exists():
        return f"{member.user.get_full_name()} : rituel déjà en place"
    ritual = save_ritual(learner=member, data=data)
    when = ritual.next_slot_at.astimezone(PARIS) if ritual.next_slot_at else None
    return (
        f"{member.user.get_full_name()} : rituel « {ritual.cue} », prochain rappel "
        f"{when:%d/%m %H:%M}"
        if when
        else ""
    )


def _lea_recall(lea: Membership, now: datetime) -> None:
    """Recall items from ECOUTE-ACTIVE's modules answered on one day of each counted week, a
    quiet week covered by a freeze, a session this Monday, three questions due today."""
    if RecallItem.objects.filter(learner=lea).exists():
        return
    path = Path.objects.filter(code="ECOUTE-ACTIVE").first()
    version = PathVersion.objects.filter(path=path, status=VersionStatus.PUBLISHED).first()
    if path is None or version is None:
        return
    today = now.astimezone(PARIS).date()
    this_monday = monday_of(today)
    first_monday = this_monday - timedelta(weeks=11)
    for module in Module.objects.filter(version=version).order_by("order"):
        create_recall_items(
            learner=lea,
            path=path,
            module_slug=module.slug,
            completed_at=_at(first_monday - timedelta(days=3), 17),
        )
    items = list(RecallItem.objects.filter(learner=lea).order_by("card_key"))
    # The most recent quiet week (no check-in or journal entry from the transfer demo) is
    # covered by a freeze earned in the 4 weeks before it; every other week up to now counts.
    known = {monday_of(d) for d in active_days_of(lea, PARIS, _at(first_monday, 0))}
    past = [this_monday - timedelta(weeks=w) for w in range(1, 7)]
    quiet = next((monday for monday in past if monday not in known), past[-1])
    counted = [quiet - timedelta(weeks=w) for w in range(1, 5)]
    counted += [m for m in past if quiet < m and m not in known]
    for n, monday in enumerate(sorted(counted)):
        moment = _at(monday + timedelta(days=1), 9, 20)
        for index, item in enumerate(items[n % 3 :: 3]):
            answer_recall(item=item, passed=(index + n) % 4 != 0, now=moment)
    monday_session = _at(this_monday, 9, 40)
    if monday_session < now and streak_of(lea, now).weeks < 5:
        for item in items[:2]:
            answer_recall(item=item, passed=True, now=monday_session)
    due = RecallItem.objects.filter(learner=lea).order_by("due", "card_key")[:3]
    RecallItem.objects.filter(pk__in=[i.pk for i in due]).update(due=min(now, _at(today, 7, 0)))


@transaction.atomic
def load_habits(now: datetime | None = None) -> list[str]:
    now = now or timezone.now()
    verdane = Organisation.objects.filter(slug="verdane").first()
    if verdane is None:
        return []
    HabitSettings.objects.get_or_create(organisation=verdane)
    lea = Membership.objects.get(user__email="lea@verdane.fr")
    marc = Membership.objects.get(user__email="marc@verdane.fr")
    lines = [
        _ritual(
            lea,
            RitualInput(
                frequency="weekly",
                weekdays=[0],
                local_time=time(9, 30),
                minutes=10,
                cue="après le stand-up du lundi",
                time_zone="Europe/Paris",
            ),
        ),
        _ritual(
            marc,
            RitualInput(
                frequency="weekly",
                weekdays=[3],
                local_time=time(14, 0),
                minutes=5,
                cue="après le point commercial du jeudi",
                time_zone="Europe/Paris",
            ),
        ),
    ]
    _lea_recall(lea, now)
    streak = streak_of(lea, now)
    due = RecallItem.objects.filter(learner=lea, due__lte=now).count()
    lines.append(
        f"Léa Fontaine : série de {streak.weeks} semaine(s), {streak.freezes_used} joker(s) "
        f"utilisé(s), {due} question(s) de rappel à revoir aujourd'hui"
    )
    return [line for line in lines if line]
