"""Follow-up surveys: L3 self-report at +30 days, success case at +90, tagged items."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ancrage.evaluation import actions
from ancrage.evaluation.instruments import INSTRUMENTS
from ancrage.evaluation.models import SurveyRequest
from ancrage.transfer.tests.conftest import enrol

pytestmark = pytest.mark.django_db


def test_every_item_is_tagged_with_a_kirkpatrick_level_and_an_ltem_tier():
    for items in INSTRUMENTS.values():
        for item in items:
            assert item.kirkpatrick_level in (1, 2, 3, 4)
            assert 1 <= item.ltem_tier <= 8


def test_surveys_are_asked_at_30_and_90_days_after_completion_once(tenancy, version):
    enrolment = enrol(tenancy.owner, version, completed=True)
    done = enrolment.completed_at
    assert actions.ask_follow_up_surveys(now=done + timedelta(days=29)) == []
    assert [r.instrument for r in actions.ask_follow_up_surveys(now=done + timedelta(days=30))] == [
        "l3-self-report-v1"
    ]
    assert actions.ask_follow_up_surveys(now=done + timedelta(days=31)) == []
    assert [r.instrument for r in actions.ask_follow_up_surveys(now=done + timedelta(days=90))] == [
        "success-case-v1"
    ]


def test_the_learner_answers_and_nobody_else_reaches_the_survey(tenancy, version):
    enrolment = enrol(tenancy.owner, version, completed=True)
    (request,) = actions.ask_follow_up_surveys(now=timezone.now() + timedelta(days=30))
    url = reverse("evaluation_survey", args=[request.pk])
    for member in (tenancy.teammate, tenancy.manager, tenancy.ld_lead, tenancy.other):
        assert tenancy.client_for(member).get(url).status_code == 404
    client = tenancy.client_for(tenancy.owner)
    assert client.post(url, {"frequency": "weekly"}).status_code == 200  # two items missing
    response = client.post(url, {"frequency": "weekly", "obstacle": "time", "manager_talk": "no"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.answers == {"frequency": "weekly", "obstacle": "time", "manager_talk": "no"}
    assert enrolment.pk == request.enrolment_id
    assert SurveyRequest.objects.count() == 1
