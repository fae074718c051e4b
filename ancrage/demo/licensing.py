"""The demo's licences, programmes and assignments (../shared/mission/DEMO.md).

Verdane holds the *offre intégrale* (450 seats, active); Belle-Rive an *à la carte* licence
of three paths (ECOUTE-ACTIVE, CNV, FEEDBACK) and 40 seats. The programme « Managers 2027 »
is assigned to every Verdane manager; Karim's team (Service client) has two paths to do with
due dates; a few learners have started or finished (so seats are taken).

Runs after the people and the catalogue are loaded. Idempotent: running it again updates in
place and never duplicates a licence, programme, assignment, seat or enrolment. Dates are
relative to today so the story always reads "under way".
"""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from ancrage.catalog.models import Path
from ancrage.demo.play import enrol, play
from ancrage.demo.transfer import lea_plan_tuesday
from ancrage.licensing import actions
from ancrage.licensing.models import Licence, LicenceStatus, Offer, OfferKind, Programme
from ancrage.player.models import EnrolmentOrigin
from ancrage.tenancy.models import Membership, Organisation, Role, Team

MANAGERS_2027 = "Managers 2027"
MANAGERS_STEPS = (("ECOUTE-ACTIVE", ""), ("FEEDBACK", ""), ("CNV", ""), ("CNV", "la-demande"))
BELLE_RIVE_PATHS = ("ECOUTE-ACTIVE", "CNV", "FEEDBACK")


def _offer(kind: str) -> Offer:
    code, name = (
        ("integrale", "Offre intégrale")
        if kind == OfferKind.INTEGRALE
        else ("a-la-carte", "Offre à la carte")
    )
    offer, _ = Offer.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
    return offer


def _licence(
    organisation: Organisation, kind: str, seats: int, paths: list[Path], today: date
) -> Licence:
    offer = _offer(kind)
    starts_on = today - timedelta(days=120)
    licence = Licence.objects.filter(organisation=organisation, offer=offer).first()
    if licence is None:
        return actions.create_licence(
            by=None,
            organisation=organisation,
            offer=offer,
            starts_on=starts_on,
            ends_on=starts_on + timedelta(days=364),
            seats=seats,
            paths=paths,
            activate=True,
        )
    Licence.objects.filter(pk=licence.pk).update(
        status=LicenceStatus.ACTIVE,
        seats=seats,
        starts_on=min(licence.starts_on, starts_on),
        ends_on=max(licence.ends_on, today + timedelta(days=200)),
    )
    if kind == OfferKind.A_LA_CARTE:
        actions.set_licence_paths(by=None, licence=licence, paths=paths)
    licence.refresh_from_db()
    return licence


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _started(
    membership: Membership,
    path: Path,
    when: datetime,
    completed: datetime | None = None,
    *,
    cards: int = 6,
    until: datetime | None = None,
) -> None:
    """Start the path and play it through the player: to the end by `completed`, or its
    first `cards` cards by `until` (a few hours after the start when not given)."""
    enrolment = enrol(membership, path, origin=EnrolmentOrigin.ASSIGNMENT, when=when)
    rng = random.Random(f"{membership.user.email}:{path.code}")  # noqa: S311 — demo data
    if completed is not None:
        play(enrolment, until=completed, rng=rng)
    else:
        play(enrolment, until=until or when + timedelta(hours=2), rng=rng, cards=cards)


@transaction.atomic
def load_licensing(today: date | None = None) -> list[str]:
    """Create or refresh the demo's licences, programme, assignments and first starts."""
    today = today or timezone.localdate()
    paths = {p.code: p for p in Path.objects.all()}
    verdane = Organisation.objects.get(slug="verdane")
    belle_rive = Organisation.objects.get(slug="belle-rive")

    _licence(verdane, OfferKind.INTEGRALE, 450, [], today)
    _licence(
        belle_rive,
        OfferKind.A_LA_CARTE,
        40,
        [paths[code] for code in BELLE_RIVE_PATHS if code in paths],
        today,
    )
    actions.set_self_enrolment(organisation=verdane, allowed=True)
    actions.set_self_enrolment(organisation=belle_rive, allowed=False)

    sophie = Membership.objects.get(user__email="sophie@verdane.fr")
    steps = [actions.ItemSpec(paths[code], slug) for code, slug in MANAGERS_STEPS if code in paths]
    description = (
        "Quatre étapes courtes pour que chaque manager écoute vraiment, donne des feedbacks "
        "qui font avancer et sache formuler une demande claire. À suivre entre deux réunions, "
        "puis à mettre en pratique dès la réunion d'équipe suivante."
    )
    stake = "Plan managers 2027 : un management qui fait grandir les équipes"
    programme = Programme.objects.filter(organisation=verdane, title=MANAGERS_2027).first()
    if programme is None:
        programme = actions.create_programme(
            organisation=verdane,
            by=sophie,
            title=MANAGERS_2027,
            description=description,
            strategic_stake=stake,
            items=steps,
        )
    else:
        actions.update_programme(
            programme=programme, description=description, strategic_stake=stake, items=steps
        )
    managers = Membership.objects.filter(organisation=verdane, role=Role.MANAGER)
    for manager in managers:
        actions.assign(
            organisation=verdane,
            by=sophie,
            programme=programme,
            membership=manager,
            due_on=today + timedelta(days=60),
        )

    service_client = Team.objects.get(organisation=verdane, parent=None, name="Service client")
    for code, days in (("ECOUTE-ACTIVE", 14), ("CNV", 45)):
        if code in paths:
            actions.assign(
                organisation=verdane,
                by=sophie,
                path=paths[code],
                team=service_client,
                due_on=today + timedelta(days=days),
            )

    lea = Membership.objects.get(user__email="lea@verdane.fr")
    karim = Membership.objects.get(user__email="karim@verdane.fr")
    marc = Membership.objects.get(user__email="marc@verdane.fr")
    if "ECOUTE-ACTIVE" in paths:
        ecoute = paths["ECOUTE-ACTIVE"]
        # Léa finishes it just before she commits to her action plan (see transfer.py).
        finished = _at(lea_plan_tuesday(today) - timedelta(days=4), 16)
        _started(lea, ecoute, finished - timedelta(days=3, hours=4), finished)
        # Karim, between two meetings, up to yesterday.
        _started(
            karim,
            ecoute,
            _at(today - timedelta(days=12), 8),
            cards=14,
            until=_at(today - timedelta(days=1), 13),
        )
        colleagues = (
            Membership.objects.filter(team=service_client, role=Role.LEARNER)
            .exclude(pk=lea.pk)
            .order_by("user__email")
        )
        for index, colleague in enumerate(colleagues[:5]):
            started = _at(today - timedelta(days=20 - index * 2), 10)
            done = _at(today - timedelta(days=15 - index * 2), 17) if index % 2 == 0 else None
            _started(colleague, ecoute, started, done)
        br_learners = Membership.objects.filter(organisation=belle_rive, role=Role.LEARNER)
        for index, learner in enumerate(br_learners.order_by("user__email")[:4]):
            _started(learner, ecoute, _at(today - timedelta(days=10 - index), 11))
    if "CNV" in paths:  # Léa, on her phone: in progress, due with her team
        _started(
            lea,
            paths["CNV"],
            _at(today - timedelta(days=2), 12),
            cards=9,
            until=_at(today - timedelta(days=1), 8),
        )
    if "FEEDBACK" in paths:  # Marc: four cards over two evenings
        _started(
            marc,
            paths["FEEDBACK"],
            _at(today - timedelta(days=3), 18),
            cards=4,
            until=_at(today - timedelta(days=1), 19),
        )

    return [
        f"Verdane : offre intégrale, 450 sièges ; programme « {MANAGERS_2027} » "
        f"assigné à {managers.count()} managers",
        "Belle-Rive : offre à la carte (ECOUTE-ACTIVE, CNV, FEEDBACK), 40 sièges",
    ]
