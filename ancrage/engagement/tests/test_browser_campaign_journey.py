"""An L&D lead at a desktop writes a campaign, previews a message as the recipient will see
it, schedules it and opens its report; every page passes axe-core under the strict CSP."""

import os
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from ancrage.common.testing.browser import fr
from ancrage.engagement.models import Campaign, CampaignStatus
from ancrage.licensing.tests.factories import make_licence

pytestmark = pytest.mark.browser


def test_ld_lead_writes_previews_schedules_and_reads_the_report(
    desktop_page, axe_check, log_in, tenancy, paths
):
    make_licence(tenancy.org_a)
    page = desktop_page
    log_in(page, tenancy.ld_lead.user)
    page.goto(reverse("engagement_campaigns"))
    expect(page.get_by_role("heading", level=1, name=fr("Campaigns"))).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name=fr("New campaign")).click()
    axe_check(page)
    today = timezone.localdate()
    page.get_by_label(fr("Title")).fill("La transition écologique, c'est nous")
    page.get_by_label(fr("Strategic stake")).fill("Plan climat 2030")
    page.get_by_label(fr("Everyone in the organisation")).check()
    page.get_by_label("Agir pour le climat au quotidien").check()
    page.get_by_label(fr("First day")).fill((today + timedelta(days=10)).isoformat())
    page.get_by_label(fr("Last day")).fill((today + timedelta(days=20)).isoformat())
    page.get_by_role("button", name=fr("Save the draft")).click()
    expect(
        page.get_by_role("heading", level=1, name="La transition écologique, c'est nous")
    ).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name=fr("Preview")).first.click()
    expect(page.frame_locator("iframe").get_by_text("Bonjour Karim,")).to_be_visible()
    axe_check(page)
    page.go_back()

    page.get_by_role("button", name=fr("Schedule")).click()
    expect(page.get_by_role("status")).to_be_visible()
    campaign = Campaign.objects.get()
    assert campaign.status == CampaignStatus.SCHEDULED

    page.get_by_role("link", name=fr("Report")).click()
    expect(page.get_by_role("link", name=fr("Download the PDF"))).to_be_visible()
    axe_check(page)
    shot = os.environ.get("ANCRAGE_KEEP_SCREENSHOTS")
    if shot:
        page.screenshot(path=f"{shot}/report-page.png", full_page=True)
