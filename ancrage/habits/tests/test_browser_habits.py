"""On a phone (390×844): the learner sets a Monday ritual, then does the 2-minute recall with
the keyboard (answer → feedback → next); every page passes axe-core (no serious/critical)
and nothing scrolls sideways at 320 px."""

from datetime import timedelta

from django.utils import timezone

from ancrage.common.testing.browser import fr
from ancrage.habits.actions import create_recall_items
from ancrage.habits.models import ReviewLog, Ritual
from ancrage.habits.tests.conftest import MODULE


def test_a_learner_sets_a_ritual_and_recalls_on_a_phone(
    tenancy, licensed, demo_path, phone_page, log_in, axe_check
):
    create_recall_items(
        learner=tenancy.owner,
        path=demo_path,
        module_slug=MODULE,
        completed_at=timezone.now() - timedelta(days=2),
    )
    # Warm the URLconf and templates in this process (the live server's thread shares it):
    # the first request of a fresh process imports every app, slower than goto's timeout.
    tenancy.client_for(tenancy.owner).get("/habits/recall/")
    page = phone_page
    log_in(page, tenancy.owner.user)
    page.goto("/habits/")
    page.get_by_role("heading", level=1).wait_for()
    axe_check(page)
    page.get_by_label(fr("Monday")).check()
    page.locator("#id_local_time").fill("09:30")
    page.get_by_role("textbox", name=fr("Cue")).fill("après le stand-up du lundi")
    page.get_by_role("button", name=fr("Start my ritual")).click()
    page.get_by_role("status").first.wait_for()
    assert Ritual.objects.get(learner=tenancy.owner).cue == "après le stand-up du lundi"
    axe_check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto("/habits/recall/")
    page.get_by_role("heading", level=1).wait_for()
    axe_check(page)
    for _ in range(2):
        if page.locator("input[name=choice]").count():
            page.locator("input[name=choice]").first.focus()
            page.keyboard.press("Space")
            page.get_by_role("button", name=fr("Check my answer")).press("Enter")
        else:
            page.locator(".recall-card summary").press("Enter")
            page.get_by_role("button", name=fr("I knew it")).press("Enter")
        page.get_by_role("link", name=fr("Next question")).wait_for()
        axe_check(page)
        page.get_by_role("link", name=fr("Next question")).press("Enter")
        page.get_by_role("heading", level=1).wait_for()
    assert ReviewLog.objects.filter(learner=tenancy.owner).count() == 2
    axe_check(page)
    page.set_viewport_size({"width": 320, "height": 640})
    for url in ("/habits/", "/habits/recall/"):
        page.goto(url)
        page.get_by_role("heading", level=1).wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, url
