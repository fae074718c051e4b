"""An L&D lead at a desktop signs in with a password, works through People and Teams, then
invites a person who receives the email through a real SMTP peer; every page passes axe-core."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ancrage.common.testing.browser import fr, go_via_navigation

pytestmark = pytest.mark.browser


def test_ld_lead_reviews_people_and_teams_then_invites_a_person(
    desktop_page, axe_check, smtp_server, tenancy, password
):
    page = desktop_page
    page.goto(reverse("account_login"))
    page.locator("input[autocomplete=email]").fill(tenancy.ld_lead.user.email)
    page.locator("input[autocomplete=current-password]").fill(password)
    page.get_by_role("button", name=fr("Sign in"), exact=True).click()
    page.wait_for_url(reverse("home"))
    axe_check(page)

    go_via_navigation(page, "People", section="Organisation")
    expect(page.get_by_role("heading", level=1, name=fr("People"))).to_be_visible()
    expect(page.get_by_role("link", name="Léa Owner")).to_be_visible()
    expect(page.get_by_text("Otto Other")).to_have_count(0)  # another organisation
    axe_check(page)
    page.get_by_role("searchbox", name=fr("Search")).fill("Olga")
    page.get_by_role("button", name=fr("Filter")).click()
    expect(page.get_by_role("link", name="Olga Outsider")).to_be_visible()
    expect(page.get_by_role("link", name="Léa Owner")).to_have_count(0)

    go_via_navigation(page, "Teams", section="Organisation")
    expect(page.get_by_role("heading", level=1, name=fr("Teams"))).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Service client").click()
    expect(page.get_by_role("link", name="Léa Owner")).to_be_visible()
    axe_check(page)

    go_via_navigation(page, "Invitations", section="Organisation")
    axe_check(page)
    invite = page.locator("form", has=page.get_by_role("button", name=fr("Send the invitation")))
    invite.get_by_label(fr("Email address")).fill("nina.petit@alpha.test")
    invite.get_by_label(fr("Name")).fill("Nina Petit")
    invite.get_by_label(fr("Team")).select_option(label="Service client")
    invite.get_by_label(fr("Manager")).select_option(label="Karim Manager (manager@alpha.test)")
    invite.get_by_role("button", name=fr("Send the invitation")).click()

    pending = page.get_by_role("table", name=fr("Invitations waiting for an answer"))
    expect(pending.get_by_role("row", name="Nina Petit")).to_be_visible()
    message = smtp_server.wait_for(to="nina.petit@alpha.test", timeout=5)
    assert "Alpha SA" in message["Subject"]
    assert "/accounts/invitation/" in smtp_server.text_body(message)
    axe_check(page)
