"""Every licensing page passes axe-core and fits its screen: the catalogue and the polite
refusal on a phone, the L&D and publisher pages at a desktop."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ancrage.accounts.models import PublisherRole
from ancrage.common.testing.browser import fr
from ancrage.licensing import actions
from ancrage.tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_learner_pages_and_the_polite_refusal_on_a_phone(
    phone_page, axe_check, log_in, tenancy, catalogue, licences
):
    log_in(phone_page, tenancy.other.user)  # Bêta: à la carte, ECOUTE-ACTIVE and CNV
    for url in (
        reverse("catalogue"),
        reverse("catalogue") + "?level=decouverte",
        reverse("catalogue_path", args=["CNV"]),
        reverse("licensing_path", args=["CNV"]),
    ):
        response = phone_page.goto(url)
        assert response is not None, url
        assert response.status == 200, url
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390, url
        axe_check(phone_page)

    response = phone_page.goto(reverse("licensing_start", args=["FEEDBACK"]))
    assert response is not None
    assert response.status == 403
    expect(
        phone_page.get_by_role(
            "heading", level=1, name=fr("This path is not in your organisation's licence")
        )
    ).to_be_visible()
    expect(phone_page.get_by_role("link", name="ld@beta.test")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check(phone_page)


def test_ld_lead_pages_at_a_desktop(desktop_page, axe_check, log_in, tenancy, catalogue, licences):
    programme = actions.create_programme(
        organisation=tenancy.org_a,
        by=None,
        title="Managers 2027",
        items=[actions.ItemSpec(catalogue.cnv), actions.ItemSpec(catalogue.ecoute, "premier-pas")],
    )
    actions.assign(organisation=tenancy.org_a, by=None, programme=programme, team=tenancy.team_a)
    log_in(desktop_page, tenancy.ld_lead.user)
    for url in (
        reverse("home"),
        reverse("catalogue"),
        reverse("licensing_programmes"),
        reverse("licensing_programme", args=[programme.pk]),
        reverse("licensing_programme_new"),
        reverse("licensing_assignments"),
        reverse("licensing_seat_requests"),
        reverse("licensing_seats", args=[licences.a.pk]),
    ):
        response = desktop_page.goto(url)
        assert response is not None, url
        assert response.status == 200, url
        axe_check(desktop_page)
    # A table scrolls inside its page on a phone: nothing in it (a visually hidden caption or
    # label) may widen the page itself.
    desktop_page.set_viewport_size({"width": 390, "height": 844})
    desktop_page.goto(reverse("licensing_assignments"))
    assert desktop_page.evaluate("document.documentElement.scrollWidth") <= 390


def test_publisher_pages_at_a_desktop(
    desktop_page, axe_check, log_in, tenancy, catalogue, licences
):
    staff = UserFactory(email="claire@editions.test", publisher_role=PublisherRole.EDITOR)
    log_in(desktop_page, staff)
    for url in (
        reverse("licensing_licences"),
        reverse("licensing_licence_new"),
        reverse("licensing_licence", args=[licences.a.pk]),
        reverse("licensing_licence", args=[licences.b.pk]),
    ):
        response = desktop_page.goto(url)
        assert response is not None, url
        assert response.status == 200, url
        axe_check(desktop_page)
