"""Spaced recall: items from finished modules (our player or an export's statements back in
our LRS), FSRS scheduling on binary answers, and the « Rappel de 2 minutes » session."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from ancrage.habits.actions import answer_recall, create_recall_items
from ancrage.habits.intake import schedule_recall_from_lrs
from ancrage.habits.models import RecallItem, RecallSource, ReviewLog
from ancrage.habits.tests.conftest import CODE, MODULE
from ancrage.lrs.actions import record_statements
from ancrage.player import xapi

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _items(learner, demo_path):
    create_recall_items(learner=learner, path=demo_path, module_slug=MODULE, completed_at=T0)
    return list(RecallItem.objects.filter(learner=learner).order_by("card_key"))


def test_each_quiz_and_flashcard_of_a_finished_module_becomes_one_recall_item(
    tenancy, licensed, demo_path
):
    items = _items(tenancy.owner, demo_path)
    assert sorted(i.card.type for i in items) == ["flashcard", "quiz"]
    assert all(i.due == T0 + timedelta(days=1) for i in items)
    assert _items(tenancy.owner, demo_path) == items  # idempotent


def test_an_item_answered_right_comes_back_later_than_one_failed(tenancy, licensed, demo_path):
    right, wrong = _items(tenancy.owner, demo_path)
    at = T0 + timedelta(days=1)
    answer_recall(item=right, passed=True, now=at)
    answer_recall(item=wrong, passed=False, now=at)
    right.refresh_from_db()
    wrong.refresh_from_db()
    assert wrong.due > at
    assert right.due > wrong.due
    assert right.stability > wrong.stability
    logs = {log.item_id: log for log in ReviewLog.objects.all()}
    assert (logs[right.pk].rating, logs[wrong.pk].rating) == (3, 1)  # Good, Again

    # Answered right again when due, the interval grows.
    first_gap = right.due - at
    second_at = right.due
    answer_recall(item=right, passed=True, now=second_at)
    right.refresh_from_db()
    assert right.due - second_at > first_gap


def _completed(membership_actor, activity_id, statement_id=None):
    return {
        "id": statement_id or str(uuid.uuid4()),
        "actor": membership_actor,
        "verb": xapi.verb("completed"),
        "object": {"objectType": "Activity", "id": activity_id},
        "timestamp": "2026-03-02T08:00:00.000Z",
    }


def test_statements_from_an_export_schedule_recall_items(tenancy, licensed, demo_path):
    module_id = f"{xapi.path_id(CODE)}/module/{MODULE}"
    # Léa finished the module in her LMS (SCORM/cmi5 package): the statements come back.
    record_statements(
        organisation=tenancy.org_a,
        statements=[_completed(xapi.actor(tenancy.owner.pk), module_id)],
        authority=xapi.authority(),
        credential_id=uuid.uuid4(),
    )
    # Tom's LMS names him by email.
    record_statements(
        organisation=tenancy.org_a,
        statements=[
            _completed({"objectType": "Agent", "mbox": "mailto:teammate@alpha.test"}, module_id)
        ],
        authority=xapi.authority(),
    )
    # A statement in organisation B naming Léa must not give her items (tenant isolation).
    record_statements(
        organisation=tenancy.org_b,
        statements=[_completed(xapi.actor(tenancy.outsider.pk), module_id)],
        authority=xapi.authority(),
    )
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=5)):
        assert schedule_recall_from_lrs() == 4
        assert schedule_recall_from_lrs() == 0  # read once
    assert RecallItem.objects.filter(learner=tenancy.owner, source=RecallSource.EXPORT).count() == 2
    assert RecallItem.objects.filter(learner=tenancy.teammate).count() == 2
    assert not RecallItem.objects.filter(learner=tenancy.outsider).exists()


def test_a_module_finished_in_our_player_schedules_recall_items(tenancy, licensed, demo_path):
    from ancrage.player.actions import record_events, start_path
    from ancrage.player.bundle import bundle_for
    from ancrage.player.events import parse_events

    enrolment = start_path(membership=tenancy.owner, path=demo_path, origin="self")
    bundle = bundle_for(enrolment.path_version_id, enrolment.path_version.content_hash)
    module = bundle.module(MODULE)
    assert module is not None
    raws = []
    for key in module.keys:
        card = bundle.cards[key]
        raw = {"id": str(uuid.uuid4()), "kind": "card_viewed", "card": key}
        if card.type == "quiz":
            right = [i for i, c in enumerate(card.payload["choices"]) if c["correct"]]
            raw = {**raw, "kind": "answered", "response": {"choices": right}}
        raw["at"] = datetime.now(UTC).isoformat()
        raws.append(raw)
    events = parse_events({"events": raws}, bundle)
    result = record_events(enrolment=enrolment, events=events, bundle=bundle)
    assert MODULE in result.completed_modules
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=5)):
        assert schedule_recall_from_lrs() == 2
    assert set(
        RecallItem.objects.filter(learner=tenancy.owner).values_list("source", flat=True)
    ) == {RecallSource.PLAYER}


def test_the_two_minute_recall_serves_one_item_at_a_time_with_feedback(
    tenancy, licensed, demo_path
):
    items = _items(tenancy.owner, demo_path)
    quiz = next(i for i in items if i.card.type == "quiz")
    flashcard = next(i for i in items if i.card.type == "flashcard")
    client = tenancy.client_for(tenancy.owner)
    with time_machine.travel(T0 + timedelta(days=1, hours=1), tick=False):
        page = client.get("/habits/recall/")
        assert page.status_code == 200
        body = page.content.decode()
        assert body.count('name="choice"') + body.count('name="knew"') >= 2
        wrong = [i for i, c in enumerate(quiz.card.payload["choices"]) if not c["correct"]][0]
        answered = client.post(f"/habits/recall/{quiz.pk}/answer", {"choice": [str(wrong)]})
        assert answered.status_code == 302
        feedback = client.get(answered["Location"])
        assert feedback.status_code == 200
        assert quiz.card.payload["choices"][wrong]["feedback"][:30] in feedback.content.decode()
        client.post(f"/habits/recall/{flashcard.pk}/answer", {"knew": "1"})
        done = client.get("/habits/recall/")
    assert 'name="knew"' not in done.content.decode()
    assert 'name="choice"' not in done.content.decode()
    logs = {log.item_id: log.passed for log in ReviewLog.objects.all()}
    assert logs == {quiz.pk: False, flashcard.pk: True}


def test_a_bad_answer_is_refused_with_a_reason(tenancy, licensed, demo_path):
    quiz = next(i for i in _items(tenancy.owner, demo_path) if i.card.type == "quiz")
    client = tenancy.client_for(tenancy.owner)
    response = client.post(f"/habits/recall/{quiz.pk}/answer", {"choice": ["99"]}, follow=True)
    assert response.status_code == 200
    assert not ReviewLog.objects.exists()
