"""Pages anyone can open fit a phone screen, stay on our origin and pass axe-core."""

import pytest
from django.urls import reverse

from ancrage.common.testing.browser import fr

pytestmark = pytest.mark.browser

PUBLIC_URLS = [
    "home",
    "account_login",
    "account_request_login_code",
    "account_reset_password",
    "account_signup",
]


@pytest.mark.parametrize("url_name", PUBLIC_URLS)
def test_public_page_passes_axe_and_fits_a_phone(phone_page, axe_check, url_name):
    response = phone_page.goto(reverse(url_name))

    assert response is not None
    assert response.status == 200
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check(phone_page)


def test_sign_in_offers_the_emailed_code_first_on_a_phone(phone_page):
    phone_page.goto(reverse("home"))
    phone_page.get_by_role("link", name=fr("Sign in"), exact=True).click()

    code_link = phone_page.get_by_role("link", name=fr("Receive a code by email"))
    box = code_link.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= 844  # visible without scrolling
    assert box["height"] >= 44
    assert phone_page.locator("a[href*='signup']").count() == 0
