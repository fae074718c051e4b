"""Events, answers and completion through the web host's endpoints."""

import json
from datetime import timedelta
from typing import Any

from django.utils import timezone

from ancrage.catalog.models import CardType
from ancrage.lrs.models import Statement
from ancrage.player.bundle import Bundle
from ancrage.player.models import (
    CardProgress,
    Enrolment,
    EnrolmentStatus,
    ModuleProgress,
    PlayerEvent,
)
from ancrage.player.tests.conftest import CODE, PostEvents, event, post_json

ANSWER = f"/play/{CODE}/answer"


def _correct(bundle: Bundle, key: str) -> dict[str, Any]:
    card = bundle.cards[key]
    if card.type == CardType.QUIZ:
        return {"choices": [i for i, c in enumerate(card.payload["choices"]) if c["correct"]]}
    if card.type == CardType.SCENARIO:
        return {"choice": next(i for i, c in enumerate(card.payload["choices"]) if c["score"] == 2)}
    return {"text": "Mardi à 9 h 30, je reformule avant de répondre."}


def _wrong(bundle: Bundle, key: str) -> dict[str, Any]:
    choices = bundle.cards[key].payload["choices"]
    return {"choices": [next(i for i, c in enumerate(choices) if not c["correct"])]}


def test_a_card_view_is_recorded_once_with_its_statement(
    owner_client: Any, enrolment: Enrolment, bundle: Bundle, post_events: PostEvents
) -> None:
    viewed = event("card_viewed", bundle.order[0])
    first = post_events(owner_client, [viewed])
    again = post_events(owner_client, [viewed])
    assert first.status_code == 200
    assert first.json()["accepted"] == [viewed["id"]]
    assert again.status_code == 200
    assert again.json()["duplicates"] == [viewed["id"]]
    assert CardProgress.objects.filter(enrolment=enrolment).count() == 1
    statements = Statement.objects.filter(statement_id=viewed["id"])
    assert statements.count() == 1
    payload = statements.get().payload
    payload = json.loads(payload) if isinstance(payload, str) else payload
    assert payload["verb"]["id"] == "http://adlnet.gov/expapi/verbs/experienced"
    assert payload["context"]["registration"] == str(enrolment.pk)
    assert payload["actor"]["account"]["name"] == str(enrolment.membership_id)
    enrolment.refresh_from_db()
    assert enrolment.position == bundle.order[0]


def test_a_wrong_then_right_quiz_answer_gives_feedback_and_keeps_the_best_score(
    owner_client: Any, enrolment: Enrolment, bundle: Bundle
) -> None:
    key = next(k for k in bundle.order if bundle.cards[k].type == CardType.QUIZ)
    wrong = post_json(owner_client, ANSWER, event("answered", key, response=_wrong(bundle, key)))
    right = post_json(owner_client, ANSWER, event("answered", key, response=_correct(bundle, key)))
    assert wrong.status_code == 200
    assert wrong.json()["correct"] is False
    assert wrong.json()["feedback"][0]["text"]
    assert right.json()["correct"] is True
    assert right.json()["score"] == 1.0
    progress = CardProgress.objects.get(enrolment=enrolment, card_key=key)
    assert (progress.attempts, progress.first_score, progress.best_score) == (2, 0.0, 1.0)


def test_a_retried_answer_returns_the_same_feedback_without_a_second_attempt(
    owner_client: Any, enrolment: Enrolment, bundle: Bundle
) -> None:
    key = next(k for k in bundle.order if bundle.cards[k].type == CardType.QUIZ)
    answer = event("answered", key, response=_correct(bundle, key))
    first = post_json(owner_client, ANSWER, answer).json()
    second = post_json(owner_client, ANSWER, answer).json()
    assert first["feedback"] == second["feedback"]
    assert second["correct"] is True
    assert CardProgress.objects.get(enrolment=enrolment, card_key=key).attempts == 1
    assert Statement.objects.filter(statement_id=answer["id"]).count() == 1


def test_a_tampered_replay_is_refused_and_records_nothing(
    owner_client: Any, enrolment: Enrolment, bundle: Bundle, post_events: PostEvents
) -> None:
    viewed = event("card_viewed", bundle.order[0])
    post_events(owner_client, [viewed])
    fresh = event("card_viewed", bundle.order[1])
    tampered = {**viewed, "card": bundle.order[2]}
    response = post_events(owner_client, [fresh, tampered])
    assert response.status_code == 409
    assert response.json()["reason"] == "event_conflict"
    assert not PlayerEvent.objects.filter(pk=fresh["id"]).exists()
    assert not Statement.objects.filter(statement_id=fresh["id"]).exists()


def test_a_card_of_another_path_is_refused_with_a_reason(
    owner_client: Any, enrolment: Enrolment, post_events: PostEvents
) -> None:
    response = post_events(owner_client, [event("card_viewed", "not-a-module.1")])
    assert response.status_code == 400
    assert response.json()["reason"] == "card_not_in_version"
    assert not CardProgress.objects.exists()
    assert not Statement.objects.exists()


def test_an_answer_to_a_card_that_asks_nothing_is_refused(
    owner_client: Any, enrolment: Enrolment, bundle: Bundle
) -> None:
    key = next(k for k in bundle.order if bundle.cards[k].type == CardType.TEXT)
    response = post_json(owner_client, ANSWER, event("answered", key, response={"choices": [0]}))
    assert response.status_code == 400
    assert response.json()["reason"] == "not_answerable"
    assert not CardProgress.objects.exists()


def test_seeing_every_card_and_mastering_the_quizzes_completes_modules_and_the_path(
    owner_client: Any, enrolment: Enrolment, bundle: Bundle, post_events: PostEvents
) -> None:
    post_events(owner_client, [event("card_viewed", key) for key in bundle.order])
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.STARTED  # quizzes not answered yet
    done_without_quiz = set(
        ModuleProgress.objects.filter(completed_at__isnull=False).values_list(
            "module_slug", flat=True
        )
    )
    assert all(
        not any(bundle.cards[k].type == CardType.QUIZ for k in bundle.module(slug).keys)  # type: ignore[union-attr]
        for slug in done_without_quiz
    )
    for key in bundle.order:
        if bundle.cards[key].type == CardType.QUIZ:
            post_json(owner_client, ANSWER, event("answered", key, response=_correct(bundle, key)))
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert enrolment.completed_at
    assert ModuleProgress.objects.filter(completed_at__isnull=False).count() == len(bundle.modules)
    completed = Statement.objects.filter(
        verb_id="http://adlnet.gov/expapi/verbs/completed", registration=enrolment.pk
    )
    assert completed.count() == len(bundle.modules) + 1


def test_the_position_follows_the_latest_event_whatever_the_arrival_order(
    owner_client: Any, enrolment: Enrolment, bundle: Bundle, post_events: PostEvents
) -> None:
    now = timezone.now()
    late = event("card_viewed", bundle.order[5], at=now.isoformat())
    early = event("card_viewed", bundle.order[2], at=(now - timedelta(minutes=5)).isoformat())
    post_events(owner_client, [late])
    post_events(owner_client, [early])
    enrolment.refresh_from_db()
    assert enrolment.position == bundle.order[5]
    assert CardProgress.objects.filter(enrolment=enrolment).count() == 2
