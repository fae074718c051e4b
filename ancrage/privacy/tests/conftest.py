"""A learner (the tenancy `owner`) with data of every kind, and a teammate with their own."""

import uuid
from dataclasses import dataclass
from datetime import date, time
from typing import Any

import pytest
from django.utils import timezone

from ancrage.catalog.models import KeyBehaviour, PathVersion
from ancrage.catalog.tests.published import published_path
from ancrage.evaluation.models import SurveyRequest
from ancrage.lrs.actions import record_statements
from ancrage.notify.models import Channel, OutboundMessage
from ancrage.player import xapi
from ancrage.player.models import (
    CardProgress,
    Enrolment,
    EnrolmentOrigin,
    EnrolmentStatus,
    SurveyResponse,
)
from ancrage.tenancy.models import Membership
from ancrage.transfer.models import ActionCheckIn, ActionPlan, JournalEntry, Observation

OWNER_SECRET = "Mon manager me coupe toujours la parole"
TEAMMATE_SECRET = "Tom a peur de prendre la parole en réunion"


@dataclass
class PersonData:
    version: PathVersion
    journal: JournalEntry
    plan: ActionPlan
    observation: Observation
    statement_ids: list[str]
    teammate_statement_id: str


def _statement(
    actor: dict[str, Any], verb: str = "completed", response: str = ""
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": actor,
        "verb": xapi.verb(verb),
        "object": {"objectType": "Activity", "id": "https://ancrage.test/paths/ECOUTE"},
        "timestamp": timezone.now().isoformat(),
    }
    if response:
        body["result"] = {"response": response}
    return body


def make_data(member: Membership, version: PathVersion, secret: str) -> tuple[Any, ...]:
    org = member.organisation
    journal = JournalEntry.objects.create(
        organisation=org,
        author=member,
        occurred_on=date(2026, 3, 2),
        title="Réunion de lundi",
        situation="meeting",
        description=secret,
    )
    kb = KeyBehaviour.objects.filter(version=version).first()
    plan = ActionPlan.objects.create(
        organisation=org,
        learner=member,
        path_id=version.path_id,
        key_behaviour=kb,
        planned_on=date(2026, 3, 3),
        planned_at=time(9, 30),
        place="salle Innovation",
        task="je reformule avant de répondre",
        state="committed",
    )
    ActionCheckIn.objects.create(
        organisation=org,
        plan=plan,
        occurrence_on=date(2026, 3, 3),
        offset_days=7,
        due_on=date(2026, 3, 10),
        obstacle="Pas le temps",
    )
    manager = member.manager
    observation = Observation.objects.create(
        organisation=org,
        observer=manager or member,
        learner=member,
        path_id=version.path_id,
        key_behaviour=kb,
        moment="after",
        state="recorded",
        observed_on=date(2026, 3, 5),
        bars_score=4,
        example="A reformulé la demande du client avant de répondre.",
    )
    enrolment = Enrolment.objects.create(
        organisation=org,
        membership=member,
        path_id=version.path_id,
        path_version=version,
        origin=EnrolmentOrigin.ASSIGNMENT,
        status=EnrolmentStatus.COMPLETED,
        started_at=timezone.now(),
        completed_at=timezone.now(),
        last_activity_at=timezone.now(),
        position="m1/c2",
    )
    CardProgress.objects.create(
        organisation=org,
        enrolment=enrolment,
        card_key="m1/c1",
        module_slug="m1",
        first_seen_at=timezone.now(),
        last_seen_at=timezone.now(),
        answer={"text": "Ma réponse"},
    )
    SurveyResponse.objects.create(
        organisation=org,
        enrolment=enrolment,
        instrument="l1",
        kirkpatrick_level=1,
        ltem_tier=3,
        relevance="high",
        intention="soon",
        support="some",
        comment="Très utile pour moi",
    )
    SurveyRequest.objects.create(
        organisation=org,
        learner=member,
        enrolment=enrolment,
        instrument="l3",
        due_on=date(2026, 4, 1),
    )
    OutboundMessage.objects.create(
        organisation=org,
        idempotency_key=f"test:{member.pk}",
        channel=Channel.EMAIL,
        recipient=member.user.email,
        membership=member,
        subject=f"Bonjour {member.user.name}",
    )
    mailbox = {
        "objectType": "Agent",
        "name": member.user.name,
        "mbox": f"mailto:{member.user.email}",
    }
    ids = record_statements(
        organisation=org,
        statements=[
            _statement(xapi.actor(member.pk)),
            _statement(mailbox, "answered", response=f"{member.user.name} a répondu"),
        ],
        authority=xapi.authority(),
    )
    return journal, plan, observation, ids


@pytest.fixture
def person_data(tenancy: Any) -> PersonData:
    version = published_path("ECOUTE", title="Écoute active")
    journal, plan, observation, ids = make_data(tenancy.owner, version, OWNER_SECRET)
    _j, _p, _o, other_ids = make_data(tenancy.teammate, version, TEAMMATE_SECRET)
    return PersonData(version, journal, plan, observation, ids, other_ids[0])
