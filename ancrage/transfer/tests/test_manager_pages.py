"""The manager's team page and phone observation form, and behaviour adaptations."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import ngettext

from ancrage.catalog.tests.published import licence, published_path
from ancrage.common.testing.browser import fr
from ancrage.transfer import actions
from ancrage.transfer.models import ManagerConversation, Observation, ObservationState
from ancrage.transfer.tests.conftest import enrol

pytestmark = pytest.mark.django_db


def observation_post(version, behaviours, **extra):  # type: ignore[no-untyped-def]
    data = {
        "path": str(version.path_id),
        "ctx-moment": "after",
        "ctx-observed_on": timezone.localdate().isoformat(),
        "ctx-context": "Réunion d'équipe du mardi",
        "b0-score": "4",
        "b0-frequency": "often",
        "b0-example": "A reformulé la demande de Paul avant de répondre.",
    }
    data.update(extra)
    return data


def test_the_manager_records_an_observation_from_the_form(
    tenancy, version, behaviours, django_capture_on_commit_callbacks
):
    enrol(tenancy.owner, version, completed=True)
    client = tenancy.client_for(tenancy.manager)
    page = client.get(reverse("transfer_observe", args=[tenancy.owner.pk]))
    body = page.content.decode()
    assert "Toujours." in body  # each anchor's full text is a radio label
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("transfer_observe", args=[tenancy.owner.pk]),
            observation_post(version, behaviours),
        )
    assert response.status_code == 302
    (observation,) = Observation.objects.all()
    assert observation.bars_score == 4
    assert observation.state == ObservationState.SHARED
    assert observation.moment == "after"


def test_a_rated_behaviour_needs_a_factual_example(tenancy, version, behaviours):
    enrol(tenancy.owner, version)
    client = tenancy.client_for(tenancy.manager)
    response = client.post(
        reverse("transfer_observe", args=[tenancy.owner.pk]),
        observation_post(version, behaviours, **{"b0-example": ""}),
    )
    assert response.status_code == 200
    assert (
        escape(fr("Give one factual example: what would a camera have recorded?"))
        in response.content.decode()
    )
    assert not Observation.objects.exists()


def test_an_observation_of_a_future_day_is_refused(tenancy, version, behaviours):
    enrol(tenancy.owner, version)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = tenancy.client_for(tenancy.manager).post(
        reverse("transfer_observe", args=[tenancy.owner.pk]),
        observation_post(version, behaviours, **{"ctx-observed_on": future}),
    )
    assert response.status_code == 200
    assert not Observation.objects.exists()


def test_team_page_lists_reports_progress_and_what_to_discuss(tenancy, version):
    enrol(tenancy.owner, version, completed=True)
    enrol(tenancy.teammate, version)
    body = tenancy.client_for(tenancy.manager).get(reverse("transfer_team")).content.decode()
    assert "Léa Owner" in body
    assert "Tom Teammate" in body
    assert "Olga Outsider" not in body
    assert (
        escape(
            fr("“%(path)s” is finished: which practice will they try first?")
            % {"path": "Écoute active"}
        )
        in body
    )
    assert (
        escape(
            fr("Expectations for “%(path)s”: what should change in their work?")
            % {"path": "Écoute active"}
        )
        in body
    )


def test_a_conversation_is_recorded_and_shown_to_the_learner(tenancy, version):
    client = tenancy.client_for(tenancy.manager)
    response = client.post(
        reverse("transfer_conversation", args=[tenancy.owner.pk]),
        {
            "kind": "pre",
            "held_on": timezone.localdate().isoformat(),
            "path": str(version.path_id),
            "notes": "Objectif : reformuler en réunion.",
        },
    )
    assert response.status_code == 302
    assert ManagerConversation.objects.get().learner == tenancy.owner
    body = (
        tenancy.client_for(tenancy.owner).get(reverse("transfer_my_observations")).content.decode()
    )
    assert "Objectif : reformuler en réunion." in body


def test_adapted_wording_is_used_wherever_the_behaviour_is_shown(tenancy, version, behaviours):
    actions.adapt_key_behaviour(
        actor=tenancy.ld_lead,
        key_behaviour=behaviours[0],
        statement="Reformule avant de répondre, à la façon Alpha.",
        anchors=["", "", "", "", "Niveau 5 version Alpha."],
    )
    enrol(tenancy.owner, version)
    body = (
        tenancy.client_for(tenancy.manager)
        .get(reverse("transfer_observe", args=[tenancy.owner.pk]))
        .content.decode()
    )
    assert "à la façon Alpha" in body
    assert "Niveau 5 version Alpha." in body
    assert "Parfois." in body  # untouched anchors keep the publisher's text
    plan_page = tenancy.client_for(tenancy.owner).get(reverse("transfer_plan_new")).content.decode()
    assert "à la façon Alpha" in plan_page
    # Another organisation keeps the publisher's wording.
    from ancrage.transfer.behaviours import shown_behaviours

    assert shown_behaviours(tenancy.org_b.pk, version=version)[0].statement == "Agit."


def test_only_ld_leads_and_admins_adapt_behaviours(tenancy, version, behaviours):
    licence(tenancy.org_a, paths=[version.path])
    for member in (tenancy.manager, tenancy.owner):
        assert (
            tenancy.client_for(member)
            .get(reverse("transfer_behaviour_adapt", args=[behaviours[0].pk]))
            .status_code
            == 403
        )
    assert (
        tenancy.client_for(tenancy.ld_lead)
        .get(reverse("transfer_behaviour_adapt", args=[behaviours[0].pk]))
        .status_code
        == 200
    )


def test_learner_writes_and_commits_a_plan_through_the_form(tenancy, version, behaviours):
    enrol(tenancy.owner, version, completed=True)
    client = tenancy.client_for(tenancy.owner)
    day = timezone.localdate() + timedelta(days=2)
    draft = client.post(
        reverse("transfer_plan_new"),
        {"key_behaviour": str(behaviours[0].pk), "planned_on": day.isoformat(), "draft": "1"},
    )
    assert draft.status_code == 302
    page = client.get(draft["Location"]).content.decode()
    assert escape(fr("Your plan is still missing:")) in page
    past = client.post(
        reverse("transfer_plan_new"),
        {
            "practice": "x",
            "planned_on": "2020-01-01",
            "planned_at": "09:30",
            "place": "a",
            "task": "b",
            "commit": "1",
        },
    )
    assert past.status_code == 200
    assert (
        escape(fr("This moment has already passed: choose a day and time from now on."))
        in past.content.decode()
    )


def test_team_page_agrees_the_finished_count_with_the_number_finished(tenancy, version):
    """« 1 parcours terminé sur 2 »: the plural follows the paths finished, not the total."""
    enrol(tenancy.owner, version, completed=True)
    enrol(tenancy.owner, published_path("CNV", title="Communication non violente"))
    body = tenancy.client_for(tenancy.manager).get(reverse("transfer_team")).content.decode()
    with translation.override("fr"):
        one_of_two = ngettext(
            "%(done)s path finished out of %(n)s", "%(done)s paths finished out of %(n)s", 1
        ) % {"done": 1, "n": 2}
    assert one_of_two in body
