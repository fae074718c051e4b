"""The pages this app adds pass axe (no serious or critical violation) and fit 320 px."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ancrage.common.testing.browser import fr
from ancrage.microsoft365.actions import ensure_microsoft365_settings

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def _narrow(page) -> None:
    page.set_viewport_size({"width": 320, "height": 720})


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_personal_tab_is_accessible_and_fits_320_px(
    phone_page, axe_check, log_in, tenancy, signed_in
):
    config = ensure_microsoft365_settings(organisation=tenancy.org_a)
    if signed_in:
        log_in(phone_page, tenancy.owner.user)
    _narrow(phone_page)
    phone_page.goto(reverse("microsoft365_personal_tab", args=[config.teams_app_id]))
    axe_check(phone_page)
    assert phone_page.evaluate(NO_SIDEWAYS_SCROLL)


def test_the_tab_configuration_is_accessible(phone_page, axe_check, log_in, tenancy):
    """Opened outside Teams (top level), it says at once where it works, loading no TeamsJS."""
    config = ensure_microsoft365_settings(organisation=tenancy.org_a)
    log_in(phone_page, tenancy.manager.user)
    _narrow(phone_page)
    phone_page.goto(reverse("microsoft365_tab_configure", args=[config.teams_app_id]))
    expect(phone_page.get_by_role("alert")).to_have_text(
        fr(
            "This page sets up the Ancrage tab of a Microsoft Teams channel and works only "
            "inside Teams. In Teams, open the channel, add a tab and choose Ancrage."
        )
    )
    assert phone_page.evaluate("() => typeof window.microsoftTeams") == "undefined"
    axe_check(phone_page)
    assert phone_page.evaluate(NO_SIDEWAYS_SCROLL)


def test_the_admin_page_is_accessible_with_and_without_errors(
    phone_page, axe_check, log_in, tenancy
):
    log_in(phone_page, tenancy.admin.user)
    _narrow(phone_page)
    phone_page.goto(reverse("microsoft365_settings"))
    axe_check(phone_page)
    assert phone_page.evaluate(NO_SIDEWAYS_SCROLL)
    phone_page.locator("#embed_hosts").fill("https://lms.example.com/x")
    phone_page.locator("#embed_hosts").press("Tab")
    phone_page.locator("form[method=post] button[type=submit]").last.click()
    phone_page.wait_for_selector("#embed_hosts_errors")
    axe_check(phone_page)
    assert phone_page.evaluate(NO_SIDEWAYS_SCROLL)
