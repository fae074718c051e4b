"""An L&D lead at a desktop assembles a programme and assigns it to a team; a learner of that
team opens Ancrage on a phone and finds it on the home page. Both pages pass axe-core."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from ancrage.common.testing.browser import fr, go_via_navigation

pytestmark = pytest.mark.browser


def test_ld_lead_assembles_a_programme_assigns_it_and_a_learner_sees_it_on_a_phone(
    desktop_page, phone_page, axe_check, log_in, tenancy, catalogue, licences
):
    page = desktop_page
    log_in(page, tenancy.ld_lead.user)
    page.goto(reverse("home"))
    go_via_navigation(page, "Programmes", section="Deploy")
    expect(page.get_by_role("heading", level=1, name=fr("Programmes"))).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name=fr("New programme")).click()
    page.get_by_label(fr("Title")).fill("Onboarding managers 2027")
    page.get_by_label(fr("Description")).fill("Écouter, puis dire les choses : le socle.")
    page.get_by_label(fr("Strategic stake")).fill("Plan managers 2027")
    page.get_by_role("button", name=fr("Create the programme")).click()
    expect(page.get_by_role("heading", level=1, name="Onboarding managers 2027")).to_be_visible()

    add_path = page.locator("form", has=page.get_by_role("button", name=fr("Add the path")))
    add_path.get_by_label(fr("Path")).select_option(label="Écouter pour de vrai (ECOUTE-ACTIVE)")
    add_path.get_by_role("button", name=fr("Add the path")).click()
    add_path = page.locator("form", has=page.get_by_role("button", name=fr("Add the path")))
    add_path.get_by_label(fr("Path")).select_option(label="Le feedback qui aide (FEEDBACK)")
    add_path.get_by_role("button", name=fr("Add the path")).click()
    steps = page.locator("ol.steps > li")
    expect(steps).to_have_count(2)
    page.get_by_role("button", name=fr("Move up") + " Le feedback qui aide").click()
    expect(steps.first).to_contain_text("Le feedback qui aide")

    due = timezone.localdate() + timedelta(days=30)
    assign = page.locator("form", has=page.get_by_role("button", name=fr("Assign to the team")))
    assign.get_by_role("combobox", name=fr("Team")).select_option(label="Service client")
    assign.get_by_label(fr("Due date (optional)")).fill(due.isoformat())
    assign.get_by_role("button", name=fr("Assign to the team")).click()
    assigned = page.locator("#assignments ul.assignment-list")
    expect(assigned).to_contain_text("Service client")
    axe_check(page)

    phone = phone_page
    log_in(phone, tenancy.owner.user)
    phone.goto(reverse("home"))
    programme = phone.get_by_role("article", name="Onboarding managers 2027")
    expect(programme).to_be_visible()
    expect(programme.locator("ol.steps > li").first).to_contain_text("Le feedback qui aide")
    expect(programme.get_by_role("link", name="Écouter pour de vrai")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check(phone)

    programme.get_by_role("link", name="Le feedback qui aide").click()
    expect(phone.get_by_role("heading", level=1, name="Le feedback qui aide")).to_be_visible()
    expect(phone.get_by_role("button", name=fr("Start this path"))).to_be_visible()
    axe_check(phone)
