"""Rows for recognition and sharing tests: finished paths, takeaways, committed plans at a
chosen moment (time-machine), a path with real cards, and a team Teams channel."""

from datetime import datetime, time, timedelta

import time_machine

from ancrage.catalog.models import Card, CardType, Path
from ancrage.engagement.models import SharedTakeaway
from ancrage.licensing.tests.factories import make_path, publish
from ancrage.player.models import Enrolment, EnrolmentOrigin, EnrolmentStatus
from ancrage.tenancy.models import Membership
from ancrage.transfer.models import ActionPlan, PlanState


def finish_path(member: Membership, path: Path, when: datetime) -> Enrolment:
    return Enrolment.objects.create(
        organisation=member.organisation,
        membership=member,
        path=path,
        path_version=path.versions.get(status="published"),
        origin=EnrolmentOrigin.SELF,
        status=EnrolmentStatus.COMPLETED,
        started_at=when - timedelta(hours=1),
        completed_at=when,
        last_activity_at=when,
    )


def shared(member: Membership, text: str, when: datetime, **extra: object) -> SharedTakeaway:
    with time_machine.travel(when, tick=False):
        return SharedTakeaway.objects.create(
            organisation=member.organisation,
            author=member,
            team=member.team,
            text=text,
            **extra,
        )


def committed_plan(member: Membership, when: datetime, path: Path | None = None) -> ActionPlan:
    return ActionPlan.objects.create(
        organisation=member.organisation,
        learner=member,
        path=path,
        practice="Reformuler avant de répondre",
        planned_on=(when + timedelta(days=2)).date(),
        planned_at=time(9, 30),
        place="Salle Innovation",
        task="réunion d'équipe",
        state=PlanState.COMMITTED,
        committed_at=when,
    )


def path_with_cards(code: str, title: str) -> Path:
    """A published path whose first module has two text cards (`premier-pas.1`, `.2`)."""
    path = make_path(code, title=title, published=False)
    version = path.versions.get()
    module = version.modules.get(slug="premier-pas")
    for order, heading in enumerate(("Reformuler avant de répondre", "Poser une question ouverte")):
        Card.objects.create(
            module=module,
            order=order,
            type=CardType.TEXT,
            payload={"title": heading, "body": "…"},
            est_seconds=60,
        )
    publish(version)
    return path
