"""The reaction survey, the short check at the start, and the learner home's "continue"."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ancrage.catalog.models import CardType
from ancrage.lrs.models import Statement
from ancrage.player.actions import SurveyRefused, complete_placement_check, submit_survey
from ancrage.player.bundle import PLACEMENT_MAX, PLACEMENT_MIN, Bundle
from ancrage.player.models import Enrolment, EnrolmentStatus, ModuleProgress, SurveyResponse
from ancrage.player.tests.conftest import CODE, PostEvents, event

SURVEY = {"relevance": "this_week", "intention": "planned", "support": "can_ask"}


def _complete(enrolment: Enrolment) -> None:
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status=EnrolmentStatus.COMPLETED, completed_at=enrolment.started_at
    )


def test_the_survey_opens_only_once_the_path_is_completed(
    enrolment: Enrolment, bundle: Bundle
) -> None:
    with pytest.raises(SurveyRefused):
        submit_survey(enrolment=enrolment, bundle=bundle, **SURVEY)
    assert not SurveyResponse.objects.exists()


def test_a_survey_answer_is_stored_with_its_level_and_tier_once(
    owner_client: Client, enrolment: Enrolment, bundle: Bundle
) -> None:
    _complete(enrolment)
    response = owner_client.post(f"/play/{CODE}/survey", {**SURVEY, "comment": " Utile. "})
    assert response.status_code == 200
    stored = SurveyResponse.objects.get(enrolment=enrolment)
    assert (stored.relevance, stored.comment) == ("this_week", "Utile.")
    assert (stored.kirkpatrick_level, stored.ltem_tier) == (1, 3)
    assert Statement.objects.filter(verb_id="http://adlnet.gov/expapi/verbs/responded").count() == 1
    with pytest.raises(SurveyRefused):
        submit_survey(enrolment=enrolment, bundle=bundle, **SURVEY)


def test_a_survey_answer_outside_the_choices_is_refused_with_the_field_marked(
    owner_client: Client, enrolment: Enrolment
) -> None:
    _complete(enrolment)
    response = owner_client.post(f"/play/{CODE}/survey", {**SURVEY, "relevance": "great"})
    assert response.status_code == 400
    assert 'aria-describedby="relevance-error"' in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_the_check_asks_three_to_five_questions_and_never_skips_the_action_plan(
    bundle: Bundle,
) -> None:
    assert PLACEMENT_MIN <= len(bundle.placement) <= PLACEMENT_MAX
    for key in bundle.placement:
        module = bundle.module(bundle.cards[key].module)
        assert module is not None
        assert not module.has_action_plan
        assert bundle.cards[key].type == CardType.QUIZ


def test_modules_answered_right_in_the_check_become_optional(
    enrolment: Enrolment, bundle: Bundle
) -> None:
    answers = {}
    for index, key in enumerate(bundle.placement):
        choices = bundle.cards[key].payload["choices"]
        answers[key] = [i for i, c in enumerate(choices) if c["correct"] == (index == 0)][:1]
        if index == 0:
            answers[key] = [i for i, c in enumerate(choices) if c["correct"]]
    check = complete_placement_check(enrolment=enrolment, bundle=bundle, answers=answers)
    first = bundle.cards[bundle.placement[0]].module
    assert check.mastered == [first]
    assert ModuleProgress.objects.get(enrolment=enrolment, optional=True).module_slug == first


def test_skipping_the_check_makes_nothing_optional(
    owner_client: Client, enrolment: Enrolment
) -> None:
    response = owner_client.post(f"/play/{CODE}/check", {"skip": "1"})
    assert response.status_code == 302
    assert enrolment.placement_check.skipped
    assert not ModuleProgress.objects.exists()


def test_an_unanswered_check_is_shown_again_with_the_questions_marked(
    owner_client: Client, enrolment: Enrolment
) -> None:
    response = owner_client.post(f"/play/{CODE}/check", {})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_learner_home_offers_to_resume_at_the_card_left(
    owner_client: Client, enrolment: Enrolment, bundle: Bundle, post_events: PostEvents
) -> None:
    post_events(owner_client, _seen_in_order(list(bundle.order[:2])))
    html = owner_client.get("/").content.decode()
    assert f"/play/{CODE}/?card={bundle.order[1]}" in html
    assert bundle.cards[bundle.order[1]].title[:30] in html.replace("&#x27;", "'")


def _seen_in_order(keys: list[str]) -> list[dict[str, Any]]:
    start = timezone.now() - timedelta(minutes=30)
    return [
        event("card_viewed", key, at=(start + timedelta(minutes=n)).isoformat())
        for n, key in enumerate(keys)
    ]


def test_the_player_opens_at_the_card_the_home_announces(
    owner_client: Client, enrolment: Enrolment, bundle: Bundle, post_events: PostEvents
) -> None:
    post_events(owner_client, _seen_in_order(list(bundle.order[:4])))
    home = owner_client.get("/").content.decode()
    assert f"/play/{CODE}/?card={bundle.order[3]}" in home  # the card left, as the player
    assert owner_client.get(f"/play/{CODE}/").context["card"].key == bundle.order[3]


def test_the_player_reopens_a_card_the_learner_went_back_to(
    owner_client: Client, enrolment: Enrolment, bundle: Bundle, post_events: PostEvents
) -> None:
    keys = list(bundle.order[:6])
    post_events(owner_client, _seen_in_order([*keys, keys[1]]))
    assert owner_client.get(f"/play/{CODE}/").context["card"].key == keys[1]
    assert f"/play/{CODE}/?card={keys[1]}" in owner_client.get("/").content.decode()


def test_the_learner_home_offers_no_continue_for_a_finished_path(
    tenancy: Any, owner_client: Client, enrolment: Enrolment
) -> None:
    _complete(enrolment)
    assert f"/play/{CODE}/?card=" not in owner_client.get("/").content.decode()


def test_the_survey_page_names_the_path_it_asks_about(
    owner_client: Client, enrolment: Enrolment, bundle: Bundle
) -> None:
    _complete(enrolment)
    page = owner_client.get(f"/play/{CODE}/survey").content.decode()
    assert bundle.title
    assert f"sur {bundle.title} :" in page.replace("\u00a0", " ")
