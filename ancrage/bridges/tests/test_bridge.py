"""The bridge to « parcours socles »: the L&D lead points a path to a programme, learners who
finished it see it and ask for a place, the L&D lead is told and counts conversions (hidden
below 5 people)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from ancrage.bridges.models import FoundationProgramme, FoundationRequest
from ancrage.bridges.queries import conversions
from ancrage.engagement.tests.community import finish_path
from ancrage.licensing.tests.factories import make_licence, make_path
from ancrage.notify.models import OutboundMessage
from ancrage.tenancy.models import Role
from ancrage.tenancy.tests.factories import MembershipFactory, UserFactory

PARIS = ZoneInfo("Europe/Paris")
WHEN = datetime(2027, 3, 16, 11, tzinfo=PARIS)


@pytest.fixture
def path(db):
    return make_path("MANAGER-COACH", title="Manager coach : les bases")


@pytest.fixture
def programme(tenancy, path):
    return FoundationProgramme.objects.create(
        organisation=tenancy.org_a,
        path=path,
        title="Manager coach — 3 jours",
        format="hybrid",
        duration="3 jours",
        facilitator="Cabinet Boussole",
        registration_url="https://formation.example/manager-coach",
        accepts_requests=True,
    )


def test_the_l_and_d_lead_adds_a_programme_and_bad_input_is_refused(tenancy, path):
    ld = tenancy.client_for(tenancy.ld_lead)
    url = reverse("bridges_programme_new")
    assert ld.get(url).status_code == 200
    missing = ld.post(url, {"path": "MANAGER-COACH", "title": "Manager coach", "format": "hybrid"})
    assert missing.status_code == 400
    no_way_in = ld.post(
        url,
        {"path": "MANAGER-COACH", "title": "Manager coach", "format": "hybrid", "duration": "3 j"},
    )
    assert no_way_in.status_code == 400
    assert "permettez aux apprenants de vous demander une place" in no_way_in.content.decode()
    ok = ld.post(
        url,
        {
            "path": "MANAGER-COACH",
            "title": "Manager coach — 3 jours",
            "format": "in_person",
            "duration": "3 jours",
            "facilitator": "Cabinet Boussole",
            "accepts_requests": "on",
            "active": "on",
        },
    )
    assert ok.status_code == 302
    programme = FoundationProgramme.objects.get()
    assert (programme.path, programme.format, programme.created_by) == (
        path,
        "in_person",
        tenancy.ld_lead,
    )
    edit = reverse("bridges_programme_edit", args=[programme.pk])
    assert ld.get(edit).status_code == 200


def test_only_learners_who_finished_the_path_see_and_request_it(
    tenancy, path, programme, django_capture_on_commit_callbacks
):
    owner = tenancy.client_for(tenancy.owner)
    request_url = reverse("bridges_request", args=[programme.pk])
    assert programme.title not in owner.get(reverse("bridges_for_me")).content.decode()
    assert owner.get(request_url).status_code == 404

    finish_path(tenancy.owner, path, WHEN)
    make_licence(tenancy.org_a)
    assert programme.title in owner.get(reverse("bridges_for_me")).content.decode()
    assert programme.title in owner.get(reverse("player_end", args=[path.code])).content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        response = owner.post(request_url, {"message": "Disponible en avril."})
    assert response.status_code == 302
    request = FoundationRequest.objects.get()
    assert (request.learner, request.kind, request.message) == (
        tenancy.owner,
        "request",
        "Disponible en avril.",
    )
    emails = OutboundMessage.objects.filter(source=f"foundation-request:{request.pk}")
    assert [e.recipient for e in emails] == [tenancy.ld_lead.user.email]
    assert "Léa Owner" in emails[0].subject
    # Asking twice records one request and one email.
    owner.post(request_url, {"message": "Relance"})
    assert FoundationRequest.objects.count() == 1
    assert OutboundMessage.objects.filter(source__startswith="foundation-request").count() == 1

    ld = tenancy.client_for(tenancy.ld_lead)
    inbox = ld.get(reverse("bridges_requests")).content.decode()
    assert "Léa Owner" in inbox
    assert "Disponible en avril." in inbox
    assert ld.post(reverse("bridges_request_handled", args=[request.pk])).status_code == 302
    request.refresh_from_db()
    assert (request.status, request.handled_by) == ("handled", tenancy.ld_lead)


def test_the_registration_link_is_counted_once_and_followed(tenancy, path, programme):
    finish_path(tenancy.teammate, path, WHEN)
    client = tenancy.client_for(tenancy.teammate)
    url = reverse("bridges_register", args=[programme.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert (response.status_code, response["Location"]) == (302, programme.registration_url)
    client.post(url)
    assert list(FoundationRequest.objects.values_list("kind", flat=True)) == ["link"]


def test_conversions_are_hidden_below_five_finishers(tenancy, path, programme):
    finish_path(tenancy.owner, path, WHEN)
    finish_path(tenancy.teammate, path, WHEN)
    FoundationRequest.objects.create(
        organisation=tenancy.org_a, programme=programme, learner=tenancy.owner, kind="request"
    )
    [row] = conversions(tenancy.ld_lead)
    assert (row.finishers, row.shown, row.percent) == (2, False, None)
    page = tenancy.client_for(tenancy.ld_lead).get(reverse("bridges_programmes"))
    assert "Hidden below 5 people" in page.content.decode() or "5" in page.content.decode()
    for index in range(3):
        user = UserFactory(email=f"fin{index}@alpha.test", name=f"Fin {index}")
        member = MembershipFactory(
            organisation=tenancy.org_a, user=user, team=tenancy.team_a, role=Role.LEARNER
        )
        finish_path(member, path, WHEN)
    FoundationRequest.objects.create(
        organisation=tenancy.org_a, programme=programme, learner=tenancy.teammate, kind="link"
    )
    [row] = conversions(tenancy.ld_lead)
    assert (row.finishers, row.requests, row.links, row.percent) == (5, 1, 1, 40)
    page = tenancy.client_for(tenancy.ld_lead).get(reverse("bridges_programmes"))
    assert "40 %" in page.content.decode()


def test_privacy_other_organisation_404_and_learners_403(tenancy, path, programme):
    finish_path(tenancy.owner, path, WHEN)
    request = FoundationRequest.objects.create(
        organisation=tenancy.org_a, programme=programme, learner=tenancy.owner, kind="request"
    )
    finish_path(tenancy.other, path, WHEN)
    other_ld = tenancy.client_for(tenancy.other_ld_lead)
    other = tenancy.client_for(tenancy.other)
    assert other_ld.get(reverse("bridges_programme_edit", args=[programme.pk])).status_code == 404
    assert other_ld.post(reverse("bridges_request_handled", args=[request.pk])).status_code == 404
    assert other.get(reverse("bridges_request", args=[programme.pk])).status_code == 404
    assert other.post(reverse("bridges_register", args=[programme.pk])).status_code == 404
    assert programme.title not in other.get(reverse("bridges_for_me")).content.decode()
    assert "Léa" not in other_ld.get(reverse("bridges_requests")).content.decode()
    assert programme.title not in other_ld.get(reverse("bridges_programmes")).content.decode()
    owner = tenancy.client_for(tenancy.owner)
    manager = tenancy.client_for(tenancy.manager)
    for url in (
        reverse("bridges_programmes"),
        reverse("bridges_programme_new"),
        reverse("bridges_requests"),
        reverse("bridges_programme_edit", args=[programme.pk]),
    ):
        assert owner.get(url).status_code == 403, url
        assert manager.get(url).status_code == 403, url
    assert owner.post(reverse("bridges_request_handled", args=[request.pk])).status_code == 403
