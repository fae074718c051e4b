"""The demo's transfer and evaluation story (DEMO.md): Léa's action plan from ECOUTE-ACTIVE
with its check-ins, Karim's before/after observations of his team, conversations, journals
and self-assessments, L3 self-reports, indicators, and generated activity over 90 days.

Deterministic (seeded) and idempotent: a person who already has demo transfer rows is left
as they are, so running `load_demo` again adds nothing and sends no second invitation.
The evaluation rollups are recomputed by `load_demo` as its last step, once every activity
of the story exists.
"""

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from ancrage.catalog.models import KeyBehaviour, Path, PathVersion, VersionStatus
from ancrage.demo.play import enrol, play
from ancrage.evaluation.instruments import L3_SELF_REPORT
from ancrage.evaluation.models import Indicator, IndicatorValue, SurveyRequest
from ancrage.licensing.entitlements import EntitlementRefused
from ancrage.player.models import Enrolment, EnrolmentOrigin, EnrolmentStatus
from ancrage.tenancy.models import Membership, Organisation, Role, Team
from ancrage.transfer import actions
from ancrage.transfer.actions import PlanInput, Rating
from ancrage.transfer.models import ActionPlan, CheckInState, JournalEntry, Observation, Outcome

SEED = 1127


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _enrol(
    member: Membership, path: Path, started: datetime, completed: datetime | None, seed: int
) -> Enrolment | None:
    """Start the path and play it through the player: to the end, or part of it."""
    try:
        enrolment = enrol(member, path, origin=EnrolmentOrigin.ASSIGNMENT, when=started)
    except EntitlementRefused:
        return None
    rng = random.Random(seed)  # noqa: S311 — deterministic demo data, not security
    if completed is not None:
        play(enrolment, until=completed, rng=rng)
    else:
        play(enrolment, until=started + timedelta(days=2), rng=rng, cards=rng.randint(3, 15))
    return enrolment


def _last(weekday: int, before: date) -> date:
    """The last given weekday (0 = Monday) strictly before `before`."""
    delta = (before.weekday() - weekday) % 7 or 7
    return before - timedelta(days=delta)


def lea_plan_tuesday(today: date) -> date:
    """The Tuesday Léa first practised her plan: two Tuesdays ago at the latest."""
    return _last(1, today - timedelta(days=6))


def _lea_plan(lea: Membership, behaviour: KeyBehaviour, today: date) -> None:
    if ActionPlan.objects.filter(learner=lea).exists():
        return
    tuesday = lea_plan_tuesday(today)
    committed = _aware(tuesday - timedelta(days=4), time(17, 0))
    plan = actions.save_action_plan(
        learner=lea,
        commit=True,
        now=committed,
        data=PlanInput(
            path=behaviour.version.path,
            key_behaviour=behaviour,
            practice="Je reformule avant de répondre",
            planned_on=tuesday,
            planned_at=time(9, 30),
            place="en réunion d'équipe, dans la salle Innovation",
            task="la réunion d'équipe du mardi",
            anchor_habit="après avoir ouvert mon carnet de notes",
            manager_visible=True,
        ),
    )
    actions.send_check_in_reminders(now=_aware(tuesday + timedelta(days=1), time(8, 0)))
    actions.answer_check_in(
        learner=lea,
        check_in=plan.check_ins.get(offset_days=1),
        outcome=Outcome.DONE,
        adjustment="Je note les mots-clés de chacun pendant qu'il parle.",
        now=_aware(tuesday + timedelta(days=1), time(12, 0)),
    )
    next_tuesday = tuesday + timedelta(days=7)
    if _aware(next_tuesday, time(9, 30)) > timezone.now():
        return
    actions.send_check_in_reminders(now=_aware(next_tuesday, time(8, 0)))
    actions.answer_check_in(
        learner=lea,
        check_in=plan.check_ins.get(offset_days=7),
        outcome=Outcome.PARTIAL,
        obstacle="La réunion a commencé en retard et j'ai voulu aller vite.",
        adjustment="Je reformule au moins la première question posée.",
        now=_aware(next_tuesday, time(12, 0)),
    )
    coming = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
    actions.renew_action_plan(
        learner=lea, plan=plan, planned_on=coming, planned_at=time(9, 30), now=timezone.now()
    )


JOURNAL: dict[str, Any] = {
    "title": "Réunion d'équipe du mardi",
    "situation": "meeting",
    "sections": {
        "description": "Mardi à 9 h 30, Paul a annoncé que le délai du dossier Martin passait à vendredi. J'ai répondu tout de suite que c'était impossible.",
        "feelings": "Je me suis sentie inquiète et un peu agacée.",
        "evaluation": "J'ai répondu avant d'avoir compris ce qui changeait pour lui.",
        "analysis": "J'avais besoin de clarté sur les priorités de la semaine.",
        "conclusion": "J'aurais pu reformuler : « Si je comprends bien, le client veut le dossier vendredi ? »",
        "action_plan": "Mardi prochain, je reformule avant de répondre et je propose qu'on revoie les priorités ensemble.",
    },
}


@transaction.atomic
def load_transfer(today: date | None = None) -> list[str]:
    today = today or timezone.localdate()
    rng = random.Random(SEED)  # noqa: S311 — deterministic demo data, not security
    verdane = Organisation.objects.get(slug="verdane")
    path = Path.objects.get(code="ECOUTE-ACTIVE")
    version = PathVersion.objects.filter(path=path, status=VersionStatus.PUBLISHED).first()
    if version is None:
        return ["ECOUTE-ACTIVE n'est pas publié : rien à charger."]
    behaviours = list(
        KeyBehaviour.objects.filter(version=version).select_related("version").order_by("order")
    )
    karim = Membership.objects.get(user__email="karim@verdane.fr")
    lea = Membership.objects.get(user__email="lea@verdane.fr")
    team = list(
        Membership.objects.filter(manager=karim).select_related("user").order_by("user__email")
    )
    learners = list(
        Membership.objects.filter(organisation=verdane, role=Role.LEARNER)
        .select_related("user")
        .order_by("user__email")
    )
    # Generated activity: most learners started ECOUTE-ACTIVE over the last 90 days.
    for member in learners:
        if member.pk != lea.pk and rng.random() < 0.25:
            continue
        started = _aware(today - timedelta(days=rng.randint(35, 88)), time(rng.randint(8, 17), 0))
        completed = (
            started + timedelta(days=rng.randint(1, 6))
            if rng.random() < 0.8 or member.pk == lea.pk
            else None
        )
        _enrol(member, path, started, completed, rng.randrange(1 << 30))
    _lea_plan(lea, behaviours[0], today)

    # Karim's before/after observations and conversations with his team.
    for member in team:
        if Observation.objects.filter(learner=member).exists():
            continue
        before = rng.choice((1, 2, 2, 3))
        for moment, days_ago, score in (
            ("before", 70, before),
            ("after", 21, min(5, before + rng.choice((1, 1, 2)))),
        ):
            actions.record_observations(
                observer=karim,
                learner=member,
                path=path,
                moment=moment,
                context="Réunion d'équipe du mardi",
                observed_on=today - timedelta(days=days_ago),
                ratings=[
                    Rating(
                        key_behaviour=b,
                        score=max(1, score - index % 2),
                        frequency="several",
                        example="Mardi à 9 h 40, a repris les mots de Paul avant de répondre."
                        if score >= 3
                        else "Mardi à 9 h 40, a répondu avant la fin de la question de Paul.",
                    )
                    for index, b in enumerate(behaviours[:2])
                ],
                now=_aware(today - timedelta(days=days_ago), time(18, 0)),
            )
        for kind, days_ago in (("pre", 75), ("post", 25)):
            actions.record_conversation(
                manager=karim,
                learner=member,
                kind=kind,
                held_on=today - timedelta(days=days_ago),
                path=path,
                notes="Objectif : reformuler avant de répondre en réunion."
                if kind == "pre"
                else "Premiers essais en réunion ; on observe à nouveau dans un mois.",
            )
    # Journals, self-assessments and self-ratings (private to each learner).
    for member in [lea, *team[:4]]:
        if JournalEntry.objects.filter(author=member).exists():
            continue
        entry = actions.save_journal_entry(
            author=member,
            title=JOURNAL["title"],
            occurred_on=today - timedelta(days=8),
            situation=JOURNAL["situation"],
            sections=JOURNAL["sections"],
            path=path,
        )
        actions.save_self_assessment(
            author=member,
            entry=entry,
            assessed_on=today - timedelta(days=8),
            texts={
                "observation": "Mardi, Paul a annoncé le nouveau délai.",
                "feeling": "Je me suis sentie inquiète.",
                "need": "J'ai besoin de clarté.",
                "request": "Serais-tu d'accord pour qu'on revoie les priorités jeudi ?",
            },
            scores={"observation": 2, "feeling": 2, "need": 2, "request": rng.choice((1, 2))},
        )
        for days_ago, score in ((60, 2), (30, 3), (5, 4)):
            actions.rate_own_behaviour(
                author=member,
                key_behaviour=behaviours[0],
                score=score,
                rated_on=today - timedelta(days=days_ago),
            )
    # L3 self-reports of those who finished more than 30 days ago.
    for enrolment in Enrolment.objects.filter(
        organisation=verdane, path=path, status=EnrolmentStatus.COMPLETED
    ):
        if enrolment.completed_at and enrolment.completed_at.date() <= today - timedelta(days=30):
            SurveyRequest.objects.get_or_create(
                enrolment=enrolment,
                instrument=L3_SELF_REPORT,
                defaults={
                    "organisation": verdane,
                    "learner_id": enrolment.membership_id,
                    "due_on": enrolment.completed_at.date() + timedelta(days=30),
                    "answered_at": enrolment.completed_at + timedelta(days=31),
                    "answers": {
                        "frequency": rng.choice(
                            ("several_weekly", "weekly", "weekly", "once_or_twice", "never")
                        ),
                        "obstacle": rng.choice(("time", "situations", "nothing")),
                        "manager_talk": rng.choice(("yes_planned", "yes_briefly", "no")),
                    },
                },
            )
    # Leading indicator: monthly meeting pulse per team (out of 5).
    pulse, _ = Indicator.objects.get_or_create(
        organisation=verdane, name="Pulse des réunions (sur 5)"
    )
    for team_row in Team.objects.filter(organisation=verdane, parent__isnull=True):
        base = 2.8 + rng.random() * 0.4
        for month in range(4):
            day = (today.replace(day=1) - timedelta(days=1)).replace(day=1) - timedelta(
                days=31 * (3 - month)
            )
            IndicatorValue.objects.get_or_create(
                indicator=pulse,
                team=team_row,
                measured_on=day.replace(day=1),
                defaults={
                    "organisation": verdane,
                    "value": round(
                        base
                        + 0.15 * month
                        + (0.2 if team_row.name == "Service client" else 0) * month,
                        2,
                    ),
                },
            )
    pending = ActionPlan.objects.filter(learner=lea).first()
    state = pending.get_state_display() if pending else "—"
    return [
        f"plan d'action de Léa : {state} ; check-ins répondus : "
        f"{pending.check_ins.filter(state=CheckInState.ANSWERED).count() if pending else 0}",
        f"observations de Karim : {Observation.objects.filter(observer=karim).count()}",
    ]
