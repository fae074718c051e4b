"""Privacy of transfer data, across the tenancy matrix.

The journal, self-assessments and self-ratings reach their author only: every access helper
and every view answers 404 to the teammate, the manager, the L&D lead, the admin, an
outsider, another organisation and publisher staff. Plans reach the manager only when
shared; observations are recorded only by the learner's own manager and always reach the
learner.
"""

from datetime import date, time, timedelta

import pytest
from django.contrib import admin
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ancrage.transfer import actions
from ancrage.transfer.actions import NotAllowed, PlanInput, Rating
from ancrage.transfer.models import BehaviourSelfRating, JournalEntry, SelfAssessment
from ancrage.transfer.queries import (
    access_journal_entry,
    access_own_plan,
    access_report,
    access_self_assessment,
    access_shared_plan,
    observations_about,
)
from ancrage.transfer.tests.conftest import enrol

pytestmark = pytest.mark.django_db
SECRET = "Mon manager me coupe toujours la parole"


@pytest.fixture
def journal(tenancy, behaviours):  # type: ignore[no-untyped-def]
    entry = actions.save_journal_entry(
        author=tenancy.owner,
        title="Réunion de lundi",
        occurred_on=timezone.localdate(),
        situation="meeting",
        sections={"description": SECRET, "feelings": "Je me suis sentie ignorée."},
    )
    assessment = actions.save_self_assessment(
        author=tenancy.owner,
        entry=entry,
        assessed_on=timezone.localdate(),
        texts={
            "observation": SECRET,
            "feeling": "frustrée",
            "need": "respect",
            "request": "Il faut",
        },
        scores={"observation": 0, "feeling": 2, "need": 2, "request": 0},
    )
    actions.rate_own_behaviour(
        author=tenancy.owner, key_behaviour=behaviours[0], score=2, rated_on=timezone.localdate()
    )
    return entry, assessment


def others(tenancy):  # type: ignore[no-untyped-def]
    return {
        "teammate": tenancy.teammate,
        "manager": tenancy.manager,
        "ld_lead": tenancy.ld_lead,
        "admin": tenancy.admin,
        "outsider": tenancy.outsider,
        "other organisation": tenancy.other,
        "other L&D lead": tenancy.other_ld_lead,
    }


def test_journal_helpers_answer_404_to_everyone_but_the_author(tenancy, journal):
    entry, assessment = journal
    assert access_journal_entry(tenancy.owner, entry.pk) == entry
    assert access_self_assessment(tenancy.owner, assessment.pk) == assessment
    for _name, member in others(tenancy).items():
        with pytest.raises(Http404):
            access_journal_entry(member, entry.pk)
        with pytest.raises(Http404):
            access_self_assessment(member, assessment.pk)
    with pytest.raises(Http404):
        access_journal_entry(None, entry.pk)  # publisher staff: no membership


def journal_urls(entry):  # type: ignore[no-untyped-def]
    return [
        reverse("transfer_journal_entry", args=[entry.pk]),
        reverse("transfer_journal_entry", args=[entry.pk]) + "?edit=1",
    ]


def test_journal_pages_are_404_for_every_other_role_and_publisher_staff(
    tenancy, journal, publisher_staff
):
    entry, _assessment = journal
    clients = {name: tenancy.client_for(m) for name, m in others(tenancy).items()}
    staff = Client()
    staff.force_login(publisher_staff)
    clients["publisher staff"] = staff
    for name, client in clients.items():
        for url in journal_urls(entry):
            assert client.get(url).status_code == 404, (name, url)
        response = client.post(
            reverse("transfer_journal_assess", args=[entry.pk]),
            {"observation_score": 2, "feeling_score": 2, "need_score": 2, "request_score": 2},
        )
        assert response.status_code == 404, name
        response = client.post(
            reverse("transfer_journal_entry", args=[entry.pk]),
            {"title": "x", "occurred_on": "2026-01-01", "situation": "other"},
        )
        assert response.status_code == 404, name
    assert clients["publisher staff"].get(reverse("transfer_journal")).status_code == 404
    assert (
        clients["publisher staff"].get(reverse("transfer_journal_export_json")).status_code == 404
    )
    entry.refresh_from_db()
    assert entry.title == "Réunion de lundi"
    assert SelfAssessment.objects.count() == 1


def test_no_other_persons_page_or_export_shows_journal_content(tenancy, journal, version):
    enrol(tenancy.owner, version, completed=True)
    pages = {
        tenancy.teammate: [
            reverse("transfer_journal"),
            reverse("transfer_journal_export"),
            reverse("transfer_journal_export_json"),
        ],
        tenancy.manager: [
            reverse("transfer_team"),
            reverse("transfer_report", args=[tenancy.owner.pk]),
            reverse("transfer_journal_export_json"),
        ],
        tenancy.ld_lead: [reverse("transfer_journal"), reverse("transfer_journal_export_json")],
    }
    for member, urls in pages.items():
        client = tenancy.client_for(member)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert SECRET not in response.content.decode(), (member, url)


def test_the_author_reads_and_exports_their_journal(tenancy, journal):
    entry, _assessment = journal
    client = tenancy.client_for(tenancy.owner)
    assert SECRET in client.get(reverse("transfer_journal_entry", args=[entry.pk])).content.decode()
    data = client.get(reverse("transfer_journal_export_json")).json()
    assert data["entries"][0]["description"] == SECRET
    assert data["self_assessments"][0]["observation"]["score"] == 0
    assert data["behaviour_self_ratings"][0]["score"] == 2
    assert SECRET in client.get(reverse("transfer_journal_export")).content.decode()


def test_journal_models_are_not_in_the_django_admin():
    for model in (JournalEntry, SelfAssessment, BehaviourSelfRating):
        assert model not in admin.site._registry


def test_markers_are_detected_in_the_journal_and_the_grid(journal):
    entry, assessment = journal
    assert {m["code"] for m in entry.markers} == {"generalisation", "pseudo_feeling"}
    assert {(m["component"], m["code"]) for m in assessment.markers} == {
        ("observation", "generalisation"),
        ("request", "demand"),
    }


def _plan(tenancy, visible):  # type: ignore[no-untyped-def]
    return actions.save_action_plan(
        learner=tenancy.owner,
        data=PlanInput(
            path=None,
            key_behaviour=None,
            practice="Reformuler",
            planned_on=timezone.localdate() + timedelta(days=2),
            planned_at=time(9, 30),
            place="salle Innovation",
            task="réunion d'équipe",
            manager_visible=visible,
        ),
    )


def test_a_plan_reaches_the_manager_only_when_the_learner_shares_it(tenancy):
    plan = _plan(tenancy, visible=False)
    plan.state = "committed"
    plan.save()
    with pytest.raises(Http404):
        access_shared_plan(tenancy.manager, plan.pk)
    actions.set_plan_visibility(learner=tenancy.owner, plan=plan, visible=True)
    assert access_shared_plan(tenancy.manager, plan.pk) == plan
    for member in (
        tenancy.teammate,
        tenancy.ld_lead,
        tenancy.admin,
        tenancy.other,
        tenancy.outsider,
    ):
        with pytest.raises(Http404):
            access_shared_plan(member, plan.pk)
    for member in (tenancy.manager, tenancy.teammate, tenancy.other):
        with pytest.raises(Http404):
            access_own_plan(member, plan.pk)
        assert (
            tenancy.client_for(member).get(reverse("transfer_plan", args=[plan.pk])).status_code
            == 404
        )


def test_only_the_learners_own_manager_may_record_an_observation(tenancy, version, behaviours):
    rating = [
        Rating(
            key_behaviour=behaviours[0],
            score=4,
            frequency="often",
            example="Mardi, a reformulé la demande de Paul.",
        )
    ]
    for member in (
        tenancy.ld_lead,
        tenancy.admin,
        tenancy.teammate,
        tenancy.other_ld_lead,
        tenancy.owner,
    ):
        with pytest.raises(NotAllowed):
            actions.record_observations(
                observer=member,
                learner=tenancy.owner,
                path=version.path,
                moment="before",
                context="réunion",
                observed_on=date.today(),
                ratings=rating,
            )
    with pytest.raises(NotAllowed):  # outsider is not in the manager's team
        actions.record_observations(
            observer=tenancy.manager,
            learner=tenancy.outsider,
            path=version.path,
            moment="before",
            context="réunion",
            observed_on=date.today(),
            ratings=rating,
        )
    for member in (tenancy.ld_lead, tenancy.admin, tenancy.teammate, tenancy.other):
        client = tenancy.client_for(member)
        assert client.get(reverse("transfer_observe", args=[tenancy.owner.pk])).status_code == 404
        assert (
            client.post(reverse("transfer_observe", args=[tenancy.owner.pk]), {}).status_code == 404
        )
        with pytest.raises(Http404):
            access_report(member, tenancy.owner.pk)
    manager = tenancy.client_for(tenancy.manager)
    assert manager.get(reverse("transfer_observe", args=[tenancy.outsider.pk])).status_code == 404
    assert (
        manager.get(reverse("transfer_conversation", args=[tenancy.outsider.pk])).status_code == 404
    )


def test_the_learner_always_sees_observations_about_them(tenancy, version, behaviours):
    actions.record_observations(
        observer=tenancy.manager,
        learner=tenancy.owner,
        path=version.path,
        moment="before",
        context="Réunion d'équipe",
        observed_on=date.today(),
        ratings=[
            Rating(
                key_behaviour=behaviours[0],
                score=2,
                frequency="once",
                example="A coupé Paul à 9 h 40.",
            )
        ],
    )
    assert observations_about(tenancy.owner).count() == 1
    assert observations_about(tenancy.teammate).count() == 0
    body = (
        tenancy.client_for(tenancy.owner).get(reverse("transfer_my_observations")).content.decode()
    )
    assert "A coupé Paul à 9 h 40." in body
    assert (
        "A coupé Paul"
        not in tenancy.client_for(tenancy.teammate)
        .get(reverse("transfer_my_observations"))
        .content.decode()
    )
