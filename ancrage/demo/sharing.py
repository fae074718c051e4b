"""The demo's shared takeaways (DEMO.md): Karim's team « Service client » during the themed
week *Semaine de la qualité de vie au travail* — five takeaways shared from cards of the
paths, colleagues' reactions, one featured by Sophie for the whole of Verdane.

Idempotent: a takeaway is found again by its author and text, reactions by (takeaway,
person, kind); dates are set inside this week (Monday to today). Nothing is posted to Teams
while loading.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from ancrage.catalog.models import PathVersion, VersionStatus
from ancrage.engagement.models import SharedTakeaway, TakeawayReaction
from ancrage.engagement.sharing.queries import card_reference
from ancrage.tenancy.models import Membership, Organisation

# (author: "lea", "karim" or the n-th of Karim's other reports; path code; text; day offset)
TAKEAWAYS: list[tuple[str | int, str, str, int]] = [
    (
        "lea",
        "SANTE-MENTALE-QVT",
        "Je bloque dix minutes sans écran après le déjeuner : l'après-midi passe beaucoup mieux.",
        0,
    ),
    (
        0,
        "ECOUTE-ACTIVE",
        "Au téléphone, je reformule la demande du client avant de proposer une solution : "
        "deux rappels de moins par jour.",
        0,
    ),
    (
        1,
        "SANTE-MENTALE-QVT",
        "J'ai proposé une météo de cinq minutes le lundi : chacun dit comment il arrive. "
        "L'équipe a adopté l'idée.",
        1,
    ),
    (
        "karim",
        "CNV",
        "Je garde un quart d'heure le vendredi pour remercier chacun d'un geste précis de la "
        "semaine.",
        2,
    ),
    (
        2,
        "CNV",
        "Quand un client s'énerve, je nomme d'abord ce qu'il ressent avant de chercher la "
        "solution.",
        3,
    ),
]
FEATURED = 2  # the Monday weather check, featured by Sophie
# (takeaway index, reactor: "lea", "karim" or report index, kind)
REACTIONS: list[tuple[int, str | int, str]] = [
    (0, 0, "useful"),
    (0, 1, "inspiring"),
    (0, "karim", "thanks"),
    (1, "lea", "useful"),
    (1, 3, "useful"),
    (2, "lea", "inspiring"),
    (2, 0, "inspiring"),
    (2, 3, "thanks"),
    (2, "karim", "inspiring"),
    (3, "lea", "thanks"),
    (3, 1, "thanks"),
    (4, "lea", "useful"),
    (4, 4, "inspiring"),
]


def _first_card_key(code: str) -> str:
    version = (
        PathVersion.objects.filter(path__code=code, status=VersionStatus.PUBLISHED)
        .prefetch_related("modules")
        .first()
    )
    if version is None:
        return ""
    module = version.modules.order_by("order").first()
    return f"{module.slug}.1" if module else ""


def _moment(monday: date, offset: int, now: datetime) -> datetime:
    day = min(monday + timedelta(days=offset), timezone.localdate(now))
    moment = timezone.make_aware(datetime.combine(day, time(9 + offset * 2, 15)))
    return min(moment, now - timedelta(minutes=10 * (5 - offset)))


def load_sharing(today: date | None = None) -> list[str]:
    verdane = Organisation.objects.get(slug="verdane")
    karim = Membership.objects.select_related("team").get(user__email="karim@verdane.fr")
    lea = Membership.objects.get(user__email="lea@verdane.fr")
    sophie = Membership.objects.get(user__email="sophie@verdane.fr")
    reports = list(
        Membership.objects.filter(organisation=verdane, manager=karim, team=karim.team)
        .exclude(pk=lea.pk)
        .order_by("user__email")
    )
    people: dict[str | int, Membership] = {"lea": lea, "karim": karim}
    people.update(enumerate(reports))
    now = timezone.now()
    today = today or timezone.localdate(now)
    monday = today - timedelta(days=today.weekday())
    takeaways = []
    for author_key, code, text, offset in TAKEAWAYS:
        author = people[author_key]
        reference = card_reference(code, _first_card_key(code))
        takeaway, _ = SharedTakeaway.objects.get_or_create(
            organisation=verdane,
            author=author,
            text=text,
            defaults={
                "team": author.team,
                "path": reference.path if reference else None,
                "card": reference.card if reference else None,
                "card_key": reference.key if reference else "",
            },
        )
        moment = _moment(monday, offset, now)
        SharedTakeaway.objects.filter(pk=takeaway.pk).update(created_at=moment, updated_at=moment)
        takeaways.append(takeaway)
    featured = takeaways[FEATURED]
    if featured.featured_at is None:
        featured.featured_at = now
        featured.featured_by = sophie
        featured.save(update_fields=["featured_at", "featured_by", "updated_at"])
    for index, reactor_key, kind in REACTIONS:
        reactor = people.get(reactor_key)
        if reactor is None:
            continue
        TakeawayReaction.objects.get_or_create(
            takeaway=takeaways[index],
            member=reactor,
            kind=kind,
            defaults={"organisation": verdane},
        )
    reactions = TakeawayReaction.objects.filter(takeaway__in=takeaways).count()
    return [
        f"{len(takeaways)} enseignements partagés dans l'équipe de Karim cette semaine, "
        f"{reactions} réactions, 1 mis en avant par Sophie"
    ]
