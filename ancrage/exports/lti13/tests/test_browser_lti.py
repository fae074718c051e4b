"""The LTI journeys in Chromium: a launch framed by the LMS course page (our cookie does not
stick in the cross-site frame → "Open in a new window" signs in with the one-time token),
a top-level launch that goes straight to the player, and the L&D pages — axe-clean, and
usable 320 px wide."""

from typing import Any

import pytest
from playwright.sync_api import Browser as Chromium
from playwright.sync_api import expect

from ancrage.common.testing.browser import fr
from ancrage.exports.lti13.models import Context
from ancrage.exports.lti13.tests.platform_server import Platform
from ancrage.player.tests.conftest import CODE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"viewport": {"width": 320, "height": 640}, "locale": "fr-FR"}


def _quiet_close(context: Any, *pages: Any) -> None:
    """Let the player's own requests finish, then refuse its page-hide beacon: nothing may
    reach the server while the test database is being emptied."""
    for page in pages:
        page.wait_for_load_state("networkidle")
    context.route("**/play/**", lambda route: route.abort())
    for page in pages:
        page.goto("about:blank")
    context.close()


def test_a_framed_launch_offers_a_new_window_that_signs_the_learner_in(
    browser: Chromium, platform: Platform, registration: Any, licence: Any, axe_check: Any
) -> None:
    context = browser.new_context(**NARROW)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{platform.url}/course")
    frame = page.frame_locator("iframe")
    new_window = frame.get_by_role("link", name=fr("Open in a new window"))
    expect(new_window).to_be_visible()
    expect(frame.get_by_role("link", name=fr("Continue here"))).to_be_hidden()
    launched = next(f for f in page.frames if "/lti/launch/" in f.url)
    axe_check(launched)
    assert launched.evaluate("document.documentElement.scrollWidth") <= 800
    with context.expect_page() as opened:
        new_window.click()
    player = opened.value
    player.wait_for_url(f"**/play/{CODE}/")
    expect(player.locator("main")).to_be_visible()
    _quiet_close(context, player)


def test_a_top_level_launch_continues_to_the_player(
    browser: Chromium, platform: Platform, registration: Any, licence: Any
) -> None:
    context = browser.new_context(**NARROW)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(platform.preflight_url())
    page.wait_for_url(f"**/play/{CODE}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    _quiet_close(context, page)


def test_the_ld_lead_pages_pass_axe_and_fit_a_narrow_screen(
    browser: Chromium,
    platform: Platform,
    registration: Any,
    licence: Any,
    tenancy: Any,
    lms: Any,
    log_in: Any,
    axe_check: Any,
    live_server: Any,
) -> None:
    assert lms.launch(platform).status_code == 200
    platform.members = [{"user_id": "moodle-user-42", "name": "Inès Moreau", "roles": []}]
    roster = f"/lti/courses/{Context.objects.get().pk}/roster/"
    context = browser.new_context(base_url=live_server.url, **NARROW)
    page = context.new_page()
    log_in(page, tenancy.ld_lead.user)
    for url in (
        "/lti/registrations/",
        "/lti/registrations/new/",
        f"/lti/registrations/{registration.pk}/",
        roster,
    ):
        response = page.goto(url)
        assert response is not None
        assert response.status == 200, url
        axe_check(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, url
    context.close()
