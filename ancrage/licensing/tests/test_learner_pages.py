"""Learners see what their licence covers, start it, and get a polite page — never an error —
when a path cannot be opened; guessing URLs opens nothing outside the licence."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from ancrage.catalog.search.indexing import reindex_all
from ancrage.licensing import actions
from ancrage.licensing.models import LicenceStatus, SeatRequest
from ancrage.licensing.tests.factories import make_licence, make_path
from ancrage.notify.models import DeliveryStatus, OutboundMessage
from ancrage.player.models import Enrolment, EnrolmentOrigin, EnrolmentStatus

pytestmark = pytest.mark.django_db


def test_catalogue_lists_every_published_path_for_the_integrale(tenancy, catalogue, licences):
    body = tenancy.client_for(tenancy.owner).get(reverse("catalogue")).content.decode()
    for title in ("Écouter pour de vrai", "Communication non violente", "Le feedback qui aide"):
        assert title in body


def test_catalogue_lists_only_the_a_la_carte_paths(tenancy, catalogue, licences):
    body = tenancy.client_for(tenancy.other).get(reverse("catalogue")).content.decode()
    assert "Écouter pour de vrai" in body
    assert "Communication non violente" in body
    assert "Le feedback qui aide" not in body


def test_catalogue_offers_a_start_button_only_when_self_enrolment_is_allowed(
    tenancy, catalogue, licences
):
    start_url = reverse("licensing_start", args=["CNV"])
    client = tenancy.client_for(tenancy.owner)
    assert start_url in client.get(reverse("catalogue")).content.decode()
    actions.set_self_enrolment(organisation=tenancy.org_a, allowed=False)
    assert start_url not in client.get(reverse("catalogue")).content.decode()


def test_learner_starts_a_licensed_path_from_the_web(tenancy, catalogue, licences):
    client = tenancy.client_for(tenancy.owner)
    response = client.post(reverse("licensing_start", args=["CNV"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("player", args=["CNV"])
    enrolment = Enrolment.objects.get(membership=tenancy.owner)
    assert enrolment.origin == EnrolmentOrigin.SELF
    page = client.get(reverse("licensing_path", args=["CNV"])).content.decode()
    assert "Module premier-pas" in page


def test_a_start_from_an_assignment_is_recorded_as_such_even_without_self_enrolment(
    tenancy, catalogue, licences
):
    actions.set_self_enrolment(organisation=tenancy.org_a, allowed=False)
    actions.assign(organisation=tenancy.org_a, by=None, path=catalogue.cnv, team=tenancy.team_a)
    response = tenancy.client_for(tenancy.owner).post(reverse("licensing_start", args=["CNV"]))
    assert response.status_code == 302
    assert Enrolment.objects.get(membership=tenancy.owner).origin == EnrolmentOrigin.ASSIGNMENT
    refused = tenancy.client_for(tenancy.outsider).post(reverse("licensing_start", args=["CNV"]))
    assert refused.status_code == 403
    assert refused.context["reason"] == "self_enrolment_closed"


@pytest.mark.parametrize("view", ["licensing_path", "licensing_start"])
def test_guessing_an_unknown_path_code_is_404(tenancy, catalogue, licences, view):
    for member in (tenancy.owner, tenancy.other):
        client = tenancy.client_for(member)
        assert client.get(reverse(view, args=["NOPE"])).status_code == 404
        assert client.post(reverse(view, args=["NOPE"])).status_code in (404, 405)


def test_a_draft_only_path_is_unknown_to_learners(tenancy, licences):
    make_path("SECRET", published=False)
    client = tenancy.client_for(tenancy.owner)
    assert client.get(reverse("licensing_path", args=["SECRET"])).status_code == 404
    assert client.post(reverse("licensing_start", args=["SECRET"])).status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_guessing_a_known_path_outside_the_a_la_carte_licence_gets_the_polite_page(
    tenancy, catalogue, licences, method
):
    client = tenancy.client_for(tenancy.other)
    url = reverse("licensing_start", args=["FEEDBACK"])
    response = getattr(client, method)(url)
    assert response.status_code == 403
    assert response.templates[0].name == "licensing/unavailable.html"
    body = response.content.decode()
    assert "Bea Lead" in body  # whom to contact: their L&D lead
    assert "ld@beta.test" in body
    assert "Sophie Lead" not in body  # never another organisation's people
    assert not Enrolment.objects.filter(membership=tenancy.other).exists()
    assert client.get(reverse("licensing_path", args=["FEEDBACK"])).status_code == 403


def test_the_same_path_is_open_to_the_integrale_organisation(tenancy, catalogue, licences):
    client = tenancy.client_for(tenancy.owner)
    assert client.get(reverse("licensing_path", args=["FEEDBACK"])).status_code == 200
    assert client.post(reverse("licensing_start", args=["FEEDBACK"])).status_code == 302


def test_suspended_licence_shows_a_friendly_page_that_says_progress_is_kept(
    tenancy, catalogue, licences
):
    client = tenancy.client_for(tenancy.owner)
    client.post(reverse("licensing_start", args=["CNV"]))
    actions.suspend_licence(by=None, licence=licences.a)
    response = client.get(reverse("licensing_path", args=["CNV"]))
    assert response.status_code == 403
    body = response.content.decode()
    assert response.context["reason"] == "licence_suspended"
    assert "Sophie Lead" in body
    assert reverse("home") in body
    assert Enrolment.objects.filter(membership=tenancy.owner).exists()
    actions.resume_licence(by=None, licence=licences.a)
    assert client.get(reverse("licensing_path", args=["CNV"])).status_code == 200


def test_expired_licence_page_names_the_last_day(tenancy, catalogue):
    make_licence(tenancy.org_a, status=LicenceStatus.EXPIRED)
    response = tenancy.client_for(tenancy.owner).get(reverse("licensing_path", args=["CNV"]))
    assert response.status_code == 403
    assert response.context["reason"] == "licence_expired"


def test_no_seat_left_page_says_the_ld_lead_was_told_and_the_ld_home_shows_it(
    tenancy, catalogue, django_capture_on_commit_callbacks, smtp_server
):
    make_licence(tenancy.org_a, seats=1)
    tenancy.client_for(tenancy.owner).post(reverse("licensing_start", args=["CNV"]))
    with django_capture_on_commit_callbacks(execute=True):
        response = tenancy.client_for(tenancy.teammate).post(
            reverse("licensing_start", args=["CNV"])
        )
    assert response.status_code == 403
    assert response.context["told_ld"] is True
    # The L&D lead is emailed through the outbox (recorded once, replies go to the learner).
    message = smtp_server.wait_for(to="ld@alpha.test")
    assert message["Reply-To"] == tenancy.teammate.user.email
    assert "/licensing/" in smtp_server.text_body(message)
    sent = OutboundMessage.objects.get(source__startswith="seat-request:")
    assert sent.status == DeliveryStatus.SENT

    ld_client = tenancy.client_for(tenancy.ld_lead)
    home = ld_client.get(reverse("home"))
    assert home.context["seat_request_count"] == 1
    requests_page = ld_client.get(reverse("licensing_seat_requests")).content.decode()
    assert "Tom Teammate" in requests_page
    request_id = SeatRequest.objects.get().pk
    assert reverse("licensing_seat_request_handled", args=[request_id]) in requests_page
    ld_client.post(reverse("licensing_seat_request_handled", args=[request_id]))
    assert ld_client.get(reverse("home")).context["seat_request_count"] == 0
    assert (
        tenancy.client_for(tenancy.other_ld_lead)
        .post(reverse("licensing_seat_request_handled", args=[request_id]))
        .status_code
        == 404
    )


def test_ld_lead_sees_who_holds_seats_and_frees_one(tenancy, catalogue, licences):
    tenancy.client_for(tenancy.owner).post(reverse("licensing_start", args=["CNV"]))
    ld_client = tenancy.client_for(tenancy.ld_lead)
    page = ld_client.get(reverse("licensing_seats", args=[licences.a.pk])).content.decode()
    assert "Léa Owner" in page
    seat = tenancy.owner.seats.get()
    other_ld = tenancy.client_for(tenancy.other_ld_lead)
    assert other_ld.get(reverse("licensing_seats", args=[licences.a.pk])).status_code == 404
    assert other_ld.post(reverse("licensing_seat_release", args=[seat.pk])).status_code == 404
    learner = tenancy.client_for(tenancy.teammate)
    assert learner.post(reverse("licensing_seat_release", args=[seat.pk])).status_code == 403
    ld_client.post(reverse("licensing_seat_release", args=[seat.pk]))
    seat.refresh_from_db()
    assert seat.released_at is not None


def test_ld_lead_switches_self_enrolment(tenancy, catalogue, licences):
    client = tenancy.client_for(tenancy.ld_lead)
    client.post(reverse("licensing_self_enrolment"), {})
    assert tenancy.org_a.licensing_settings.allow_self_enrolment is False
    client.post(reverse("licensing_self_enrolment"), {"allow_self_enrolment": "on"})
    tenancy.org_a.licensing_settings.refresh_from_db()
    assert tenancy.org_a.licensing_settings.allow_self_enrolment is True
    assert (
        tenancy.client_for(tenancy.owner).post(reverse("licensing_self_enrolment")).status_code
        == 403
    )


def test_catalogue_of_an_organisation_without_licence_says_so(tenancy, catalogue):
    response = tenancy.client_for(tenancy.owner).get(reverse("catalogue"))
    assert response.status_code == 200
    assert response.context["offer"].entries == {}
    assert response.context["offer"].refusal == "no_licence"


def test_the_old_catalogue_address_redirects_for_good_keeping_the_query(tenancy, catalogue):
    client = tenancy.client_for(tenancy.owner)
    response = client.get(reverse("licensing_catalogue") + "?q=feedback&level=beginner")
    assert response.status_code == 301
    assert response["Location"] == reverse("catalogue") + "?q=feedback&level=beginner"
    assert client.get(reverse("licensing_catalogue"))["Location"] == reverse("catalogue")


def test_the_one_catalogue_page_shows_the_licence_and_a_button_per_path(
    tenancy, catalogue, licences
):
    client = tenancy.client_for(tenancy.owner)
    client.post(reverse("licensing_start", args=["CNV"]))
    body = client.get(reverse("catalogue")).content.decode()
    assert reverse("player", args=["CNV"]) in body  # continue what was started
    assert reverse("licensing_start", args=["FEEDBACK"]) in body  # start the others
    assert reverse("licensing_self_enrolment") not in body  # the setting is for L&D
    reindex_all()
    found = client.get(reverse("catalogue") + "?q=feedback").content.decode()
    assert reverse("licensing_start", args=["FEEDBACK"]) in found  # search results too
    ld_body = tenancy.client_for(tenancy.ld_lead).get(reverse("catalogue")).content.decode()
    assert reverse("licensing_seats", args=[licences.a.pk]) in ld_body
    assert reverse("licensing_self_enrolment") in ld_body
    assert reverse("licensing_seats", args=[licences.b.pk]) not in ld_body


def test_publisher_staff_browse_the_catalogue_without_start_buttons(
    client, django_user_model, catalogue, licences
):
    editor = django_user_model.objects.create_user(
        email="editor@publisher.test", password="x", publisher_role="editor"
    )
    client.force_login(editor)
    response = client.get(reverse("catalogue"))
    assert response.status_code == 200
    assert "offer" not in response.context
    assert reverse("licensing_start", args=["CNV"]) not in response.content.decode()


def test_the_catalogue_path_page_has_the_same_start_then_continue_button(
    tenancy, catalogue, licences
):
    client = tenancy.client_for(tenancy.owner)
    page = reverse("catalogue_path", args=["CNV"])
    assert reverse("licensing_start", args=["CNV"]) in client.get(page).content.decode()
    client.post(reverse("licensing_start", args=["CNV"]))
    assert reverse("player", args=["CNV"]) in client.get(page).content.decode()


def test_a_finished_path_offers_to_revisit_it_not_to_continue_it(tenancy, catalogue, licences):
    """« Terminé » next to « Continuer » read as a contradiction: a finished path is revisited."""
    client = tenancy.client_for(tenancy.owner)
    client.post(reverse("licensing_start", args=["CNV"]))
    client.post(reverse("licensing_start", args=["FEEDBACK"]))
    Enrolment.objects.filter(membership=tenancy.owner, path=catalogue.cnv).update(
        status=EnrolmentStatus.COMPLETED, completed_at=timezone.now()
    )
    with translation.override("fr"):
        revisit, resume = gettext("Revisit"), gettext("Continue")
    player = reverse("player", args=["CNV"])
    for page in (reverse("catalogue"), reverse("catalogue_path", args=["CNV"])):
        body = client.get(page).content.decode()
        assert f'href="{player}">{revisit}<' in body
        assert f'href="{player}">{resume}<' not in body
    feedback = client.get(reverse("catalogue")).content.decode()
    assert f'href="{reverse("player", args=["FEEDBACK"])}">{resume}<' in feedback
