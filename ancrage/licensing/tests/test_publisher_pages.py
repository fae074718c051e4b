"""Publisher staff create, activate, suspend, resume and renew licences, and see per client
and per path what is used and what is not; nobody else reaches these pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ancrage.accounts.models import PublisherRole
from ancrage.common.testing.browser import fr
from ancrage.licensing.models import Licence, LicenceStatus, OfferKind
from ancrage.licensing.tests.factories import make_licence, offer
from ancrage.player.actions import start_path
from ancrage.player.models import Enrolment, EnrolmentStatus
from ancrage.tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(
        UserFactory(
            email="claire@editions.test", name="Claire", publisher_role=PublisherRole.EDITOR
        )
    )
    return client


def test_licences_page_shows_seats_active_learners_and_completions_per_client(
    staff_client, tenancy, catalogue, licences
):
    start_path(membership=tenancy.owner, path=catalogue.cnv, origin="self")
    done = start_path(membership=tenancy.teammate, path=catalogue.cnv, origin="self")
    Enrolment.objects.filter(pk=done.pk).update(
        status=EnrolmentStatus.COMPLETED, completed_at=timezone.now()
    )
    Enrolment.objects.filter(membership=tenancy.teammate).update(
        last_activity_at=timezone.now() - timedelta(days=45)
    )
    response = staff_client.get(reverse("licensing_licences"))
    clients = {c.organisation.slug: c for c in response.context["clients"]}
    alpha = clients["alpha"]
    assert alpha.licences[0].seats_used == 2
    assert alpha.licences[0].licence.seats == 10
    assert alpha.active_learners == 1  # the teammate was last active 45 days ago
    assert alpha.completions == 1
    assert clients["beta"].licences[0].seats_used == 0
    body = response.content.decode()
    assert "Alpha SA" in body
    assert "Bêta SARL" in body


def test_licence_page_shows_use_per_path_including_unused_paths(
    staff_client, tenancy, catalogue, licences
):
    start_path(membership=tenancy.other, path=catalogue.cnv, origin="self")
    response = staff_client.get(reverse("licensing_licence", args=[licences.b.pk]))
    usage = {row.path.code: row for row in response.context["usage"]}
    assert set(usage) == {"CNV", "ECOUTE-ACTIVE"}  # à la carte: its paths only
    assert (usage["CNV"].learners, usage["CNV"].active_learners) == (1, 1)
    assert usage["ECOUTE-ACTIVE"].learners == 0
    integrale = staff_client.get(reverse("licensing_licence", args=[licences.a.pk]))
    assert {row.path.code for row in integrale.context["usage"]} == {
        "CNV",
        "ECOUTE-ACTIVE",
        "FEEDBACK",
    }


def test_staff_creates_an_a_la_carte_licence_with_its_paths(staff_client, tenancy, catalogue):
    today = timezone.localdate()
    response = staff_client.post(
        reverse("licensing_licence_new"),
        {
            "organisation": str(tenancy.org_b.pk),
            "offer": str(offer(OfferKind.A_LA_CARTE).pk),
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=365)).isoformat(),
            "seats": "40",
            "paths": [str(catalogue.ecoute.pk), str(catalogue.cnv.pk), str(catalogue.feedback.pk)],
            "activate": "on",
        },
    )
    licence = Licence.objects.get()
    assert response["Location"] == reverse("licensing_licence", args=[licence.pk])
    assert licence.status == LicenceStatus.ACTIVE
    assert licence.items.count() == 3


def test_an_a_la_carte_licence_without_paths_is_a_form_error(staff_client, tenancy, catalogue):
    today = timezone.localdate()
    response = staff_client.post(
        reverse("licensing_licence_new"),
        {
            "organisation": str(tenancy.org_b.pk),
            "offer": str(offer(OfferKind.A_LA_CARTE).pk),
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=30)).isoformat(),
            "seats": "40",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["paths"] == [
        fr("Choose at least one path for an à la carte licence.")
    ]
    assert not Licence.objects.exists()


def test_staff_suspend_resume_and_renew_from_the_licence_page(staff_client, tenancy):
    licence = make_licence(tenancy.org_a, seats=450)
    base = "licensing_licence_action"
    staff_client.post(reverse(base, args=[licence.pk, "suspend"]), {"reason": "Impayé"})
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.SUSPENDED
    staff_client.post(reverse(base, args=[licence.pk, "resume"]))
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.ACTIVE
    new_end = licence.ends_on + timedelta(days=365)
    staff_client.post(
        reverse(base, args=[licence.pk, "renew"]), {"ends_on": new_end.isoformat(), "seats": "500"}
    )
    licence.refresh_from_db()
    assert (licence.ends_on, licence.seats) == (new_end, 500)
    page = staff_client.get(reverse("licensing_licence", args=[licence.pk])).content.decode()
    assert "450" in page
    assert "500" in page


def test_a_refused_move_is_explained_not_crashed(staff_client, tenancy):
    licence = make_licence(tenancy.org_a, status=LicenceStatus.SUSPENDED)
    response = staff_client.post(
        reverse("licensing_licence_action", args=[licence.pk, "renew"]),
        {"ends_on": (licence.ends_on + timedelta(days=1)).isoformat(), "seats": "5"},
        follow=True,
    )
    assert response.status_code == 200
    [message] = [str(m) for m in response.context["messages"]]
    assert message == fr("Resume this licence before renewing it.")
    bad = staff_client.post(
        reverse("licensing_licence_action", args=[licence.pk, "activate"]), follow=True
    )
    assert bad.status_code == 200
    [message] = [str(m) for m in bad.context["messages"]]
    assert fr("Suspended") in message
    assert (
        staff_client.post(
            reverse("licensing_licence_action", args=[licence.pk, "explode"])
        ).status_code
        == 404
    )


def test_draft_licence_is_activated_from_its_page(staff_client, tenancy):
    licence = make_licence(tenancy.org_a, status=LicenceStatus.DRAFT)
    staff_client.post(reverse("licensing_licence_action", args=[licence.pk, "activate"]))
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.ACTIVE


def test_staff_change_the_paths_of_an_a_la_carte_licence(
    staff_client, tenancy, catalogue, licences
):
    staff_client.post(
        reverse("licensing_licence_action", args=[licences.b.pk, "paths"]),
        {"paths": [str(catalogue.feedback.pk)]},
    )
    assert list(licences.b.items.values_list("path__code", flat=True)) == ["FEEDBACK"]


def test_publisher_pages_are_for_publisher_staff_only(client, tenancy, licences):
    urls = [
        reverse("licensing_licences"),
        reverse("licensing_licence_new"),
        reverse("licensing_licence", args=[licences.a.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    for member in (tenancy.owner, tenancy.ld_lead, tenancy.admin, tenancy.other_ld_lead):
        member_client = tenancy.client_for(member)
        for url in urls:
            assert member_client.get(url).status_code == 404, (member, url)
        assert (
            member_client.post(
                reverse("licensing_licence_action", args=[licences.a.pk, "suspend"])
            ).status_code
            == 404
        )
    licences.a.refresh_from_db()
    assert licences.a.status == LicenceStatus.ACTIVE


def test_publisher_staff_see_the_licences_link_and_members_do_not(staff_client, tenancy):
    assert reverse("licensing_licences") in staff_client.get(reverse("home")).content.decode()
    body = tenancy.client_for(tenancy.ld_lead).get(reverse("home")).content.decode()
    assert reverse("licensing_licences") not in body
    assert reverse("licensing_programmes") in body
    assert reverse("catalogue") in body
