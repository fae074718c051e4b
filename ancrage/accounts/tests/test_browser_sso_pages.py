"""SSO pages in a real browser: axe-core clean, usable 320 px wide, errors tied to fields."""

import pytest
from django.urls import reverse

from ancrage.common.testing.browser import fr
from ancrage.tenancy.models import Role
from ancrage.tenancy.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.browser


def _fits_320(page) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 320, "height": 720})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_continue_with_your_organisation_from_the_sign_in_page(phone_page, axe_check):
    phone_page.goto(reverse("account_login"))
    phone_page.get_by_role("link", name=fr("Continue with your organisation")).click()

    phone_page.get_by_label(fr("Your work email or your organisation's short name")).fill(
        "x@nowhere.test"
    )
    phone_page.get_by_role("button", name=fr("Continue")).click()

    refusal = fr(
        "No organisation signs in this way with this address or name. Check it, or "
        "sign in with your email instead."
    )
    assert phone_page.get_by_text(refusal[:40], exact=False).count()
    axe_check(phone_page)
    _fits_320(phone_page)


def test_admin_settings_page_passes_axe_with_and_without_errors(phone_page, axe_check, log_in):
    organisation = OrganisationFactory(name="Verdane", slug="verdane")
    admin = MembershipFactory(
        organisation=organisation, user=UserFactory(email="nadia@verdane.fr"), role=Role.ORG_ADMIN
    )
    log_in(phone_page, admin.user)

    response = phone_page.goto(reverse("sso_settings"))
    assert response is not None
    assert response.status == 200
    axe_check(phone_page)
    _fits_320(phone_page)

    phone_page.get_by_label(fr("Entra tenant id")).fill("contoso")
    phone_page.get_by_label(fr("enabled")).check()
    phone_page.get_by_role("button", name=fr("Save")).click()

    assert phone_page.locator("#id_entra_tenant_id[aria-invalid='true']").count() == 1
    axe_check(phone_page)
    _fits_320(phone_page)
