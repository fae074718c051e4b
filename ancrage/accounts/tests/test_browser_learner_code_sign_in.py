"""A learner on a phone signs in with a code emailed through a real SMTP peer, then reads
their home in French and in English; every page on the way passes axe-core."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ancrage.common.testing.browser import fr
from ancrage.tenancy.models import Role
from ancrage.tenancy.tests.factories import MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.browser

CODE = re.compile(r"^\s*([0-9]{6})\s*$", re.MULTILINE)


def test_learner_signs_in_by_emailed_code_on_a_phone_and_switches_to_english(
    phone_page, axe_check, smtp_server
):
    team = TeamFactory(name="Service client")
    learner = UserFactory(email="lea.martin@alpha.test", name="Léa Martin")
    MembershipFactory(organisation=team.organisation, team=team, user=learner, role=Role.LEARNER)
    page = phone_page

    page.goto(reverse("home"))
    page.get_by_role("link", name=fr("Sign in"), exact=True).click()
    page.get_by_role("link", name=fr("Receive a code by email")).click()
    axe_check(page)
    page.locator("input[type=email][autocomplete=email]").fill("lea.martin@alpha.test")
    page.get_by_role("button", name=fr("Send me the code")).click()

    message = smtp_server.wait_for(to="lea.martin@alpha.test", timeout=5)
    code = CODE.search(smtp_server.text_body(message))
    assert code, smtp_server.text_body(message)
    code_input = page.locator("input[autocomplete=one-time-code]")
    assert code_input.get_attribute("aria-describedby")
    axe_check(page)
    code_input.fill(code.group(1).lower())  # case and dash do not matter to a learner
    page.get_by_role("button", name=fr("Sign in"), exact=True).click()

    page.wait_for_url(reverse("home"))
    assert page.locator("html").get_attribute("lang") == "fr"
    expect(page.get_by_role("heading", name=fr("My paths"))).to_be_visible()
    expect(page.locator("section.empty")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check(page)

    page.get_by_role("button", name="English").click()

    page.wait_for_function("document.documentElement.lang === 'en'")
    expect(page.get_by_role("heading", name="My paths")).to_be_visible()
    axe_check(page)
