"""A whole journey in Chromium on a phone: Léa shares a takeaway from the second card of a
path in the player, then her teammate Tom reacts to it in the team feed — axe-core on every
page, nothing wider than the screen (320 px included)."""

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from ancrage.bridges.models import FoundationProgramme, FoundationRequest
from ancrage.common.testing.browser import fr
from ancrage.engagement.models import (
    Recognition,
    RecognitionRule,
    SharedTakeaway,
    TakeawayReaction,
)
from ancrage.engagement.tests.community import finish_path
from ancrage.licensing.tests.factories import make_path
from ancrage.player.actions import start_path
from ancrage.player.models import EnrolmentOrigin
from ancrage.player.tests.conftest import CODE, demo_path, licensed  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
TEXT = "Je reformule la demande du client avant de proposer une solution."


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def leave(page: Page) -> None:
    page.goto("about:blank")
    page.wait_for_timeout(1000)


def test_a_learner_shares_from_the_player_and_a_colleague_reacts(
    tenancy: Any,
    licensed: Any,  # noqa: F811
    demo_path: Any,  # noqa: F811
    phone_page: Page,
    log_in: Callable[[Page, Any], None],
    axe_check: Callable[[Page], Any],
) -> None:
    start_path(membership=tenancy.owner, path=demo_path, origin=EnrolmentOrigin.SELF)
    page = phone_page
    log_in(page, tenancy.owner.user)
    page.goto(f"/play/{CODE}/", wait_until="domcontentloaded", timeout=60_000)
    expect(page.locator("#player-card")).to_be_visible()
    first = page.locator("#player-card").get_attribute("data-key") or ""
    page.locator('[data-nav="next"]').click()
    expect(page.locator("#player-card")).not_to_have_attribute("data-key", first)
    second = page.locator("#player-card").get_attribute("data-key") or ""
    # The entry follows the card the learner is on (the player moves without reloading).
    expect(page.locator("[data-share]")).to_have_attribute(
        "href", re.compile(re.escape(f"/engagement/sharing/new/?path={CODE}&card={second}") + "$")
    )
    page.get_by_role("link", name=fr("Share a takeaway")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(fr("Share a takeaway"))
    axe_check(page)
    page.set_viewport_size({"width": 320, "height": 640})
    _fits(page)
    page.get_by_label(fr("What I take away")).fill(TEXT)
    page.get_by_role("button", name=fr("Share with my team")).click()
    expect(page.locator(".takeaway-text").first).to_have_text(TEXT)
    _fits(page)
    axe_check(page)
    takeaway = SharedTakeaway.objects.get()
    assert (takeaway.card_key, takeaway.team) == (second, tenancy.team_a)

    page.context.clear_cookies()
    log_in(page, tenancy.teammate.user)
    page.goto("/engagement/sharing/")
    useful = page.locator(f"#t-{takeaway.pk} button.reaction").first
    expect(useful).to_have_attribute("aria-pressed", "false")
    useful.click()
    useful = page.locator(f"#t-{takeaway.pk} button.reaction").first
    expect(useful).to_have_attribute("aria-pressed", "true")
    expect(useful.locator(".reaction-count")).to_have_text("1")
    _fits(page)
    axe_check(page)
    assert TakeawayReaction.objects.get().member == tenancy.teammate
    leave(page)


def test_the_recognition_and_bridge_pages_pass_axe_at_320_px(
    tenancy: Any,
    phone_page: Page,
    log_in: Callable[[Page, Any], None],
    axe_check: Callable[[Page], Any],
) -> None:
    path = make_path("MANAGER-COACH", title="Manager coach : les bases")
    programme = FoundationProgramme.objects.create(
        organisation=tenancy.org_a,
        path=path,
        title="Manager coach — 3 jours",
        format="hybrid",
        duration="3 jours",
        facilitator="Hélène Garnier",
        registration_url="https://formation.example/manager-coach",
    )
    finish_path(tenancy.owner, path, datetime(2027, 3, 16, 11, tzinfo=ZoneInfo("Europe/Paris")))
    FoundationRequest.objects.create(
        organisation=tenancy.org_a, programme=programme, learner=tenancy.owner, kind="request"
    )
    rule = RecognitionRule.objects.create(
        organisation=tenancy.org_a, name="Apprenant·e proactif·ve", min_paths=3, min_takeaways=2
    )
    for learner, status in ((tenancy.owner, "validated"), (tenancy.teammate, "proposed")):
        Recognition.objects.create(
            organisation=tenancy.org_a,
            learner=learner,
            rule=rule,
            period_key="2027-Q1",
            period_label="trimestre 1 de 2027",
            title=rule.name,
            reason="3 parcours terminés · 2 enseignements partagés.",
            status=status,
        )
    page = phone_page
    page.set_viewport_size({"width": 320, "height": 640})
    for member, urls in (
        (
            tenancy.ld_lead,
            [
                "/engagement/recognition/",
                "/engagement/recognition/rules/",
                "/engagement/recognition/propose/",
                "/bridges/",
                "/bridges/new/",
                "/bridges/requests/",
            ],
        ),
        (tenancy.owner, ["/", "/engagement/recognition/mine/", "/bridges/for-me/"]),
    ):
        page.context.clear_cookies()
        log_in(page, member.user)
        for url in urls:
            page.goto(url, wait_until="domcontentloaded", timeout=60_000)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            _fits(page)
            axe_check(page)
    leave(page)
