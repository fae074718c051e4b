"""Whole journeys in Debian's Chromium: a demo path played at phone and desktop width, with
resume, a flaky network, two tabs, offline reading, the check, the survey and axe-core."""

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, Route, expect

from ancrage.catalog.models import CardType
from ancrage.common.testing.browser import fr
from ancrage.lrs.models import Statement
from ancrage.player.bundle import Bundle, bundle_for
from ancrage.player.models import (
    CardProgress,
    Enrolment,
    EnrolmentStatus,
    PlayerEvent,
    SurveyResponse,
)
from ancrage.player.tests.conftest import CODE

Axe = Callable[[Page], Any]
OFFLINE = "Offline: your progress is kept on this device and will be sent later."


def _bundle(enrolment: Enrolment) -> Bundle:
    return bundle_for(enrolment.path_version_id, enrolment.path_version.content_hash)


def _card(page: Page, key: str) -> Any:
    card = page.locator(f'#player-card[data-key="{key}"]')
    expect(card).to_be_visible()
    return card


def _no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _touch_targets(page: Page) -> None:
    selector = "#player-card button, #player-card summary, #player-card .choice, .player-nav a"
    small = page.evaluate(
        """selector => [...document.querySelectorAll(selector)]
            .filter(e => e.offsetParent !== null)
            .map(e => e.getBoundingClientRect())
            .filter(r => r.height < 24 || r.width < 24).length""",
        selector,
    )
    assert small == 0


def _answer(page: Page, bundle: Bundle, key: str, picks: list[int]) -> None:
    card = _card(page, key)
    for index in picks:
        card.locator(f'input[value="{index}"]').check()
    card.locator("button[type=submit]").click()


def play_card(page: Page, bundle: Bundle, key: str, axe: Axe, checked: set[str]) -> None:
    card = bundle.cards[key]
    box = _card(page, key)
    if card.type == CardType.QUIZ:
        choices = card.payload["choices"]
        wrong = next(i for i, c in enumerate(choices) if not c["correct"])
        right = [i for i, c in enumerate(choices) if c["correct"]]
        _answer(page, bundle, key, [wrong])
        expect(box.locator(".verdict.ko")).to_be_visible()
        expect(box.locator(".feedback-list")).to_contain_text(choices[wrong]["feedback"][:40])
        box.locator(f'input[value="{wrong}"]').uncheck() if card.payload.get("multiple") else None
        _answer(page, bundle, key, right)
        expect(box.locator(".verdict.ok")).to_have_text(re.compile(re.escape(fr("Correct!"))))
    elif card.type == CardType.SCENARIO:
        best = next(i for i, c in enumerate(card.payload["choices"]) if c["score"] == 2)
        _answer(page, bundle, key, [best])
        expect(box.locator(".verdict.ok")).to_be_visible()
    elif card.type == CardType.FLASHCARD:
        box.locator("summary").click()
        expect(box.locator(".flash-back p")).to_be_visible()
    elif card.type in (CardType.REFLECTION_PROMPT, CardType.ACTION_PLAN_PROMPT):
        box.locator("textarea").fill("Mardi à 9 h 30, en réunion d'équipe, je reformule.")
        box.locator("button[type=submit]").click()
        expect(box.locator(".verdict.ok")).to_be_visible()
    elif card.type == CardType.MEMO_SHEET:
        expect(box.locator("[data-print]")).to_be_visible()
    if card.type not in checked:
        checked.add(card.type)
        _no_horizontal_scroll(page)
        _touch_targets(page)
        axe(page)


def leave(*pages: Page) -> None:
    """Leave the player before the test ends: the pagehide flush then reaches the server now,
    not while the test database is being emptied."""
    for page in pages:
        page.goto("about:blank")
    pages[0].wait_for_timeout(1500)


def _next(page: Page) -> None:
    page.locator('[data-nav="next"]').click()


def play_whole_path(page: Page, enrolment: Enrolment, axe: Axe, *, reload_at: int = 5) -> None:
    bundle = _bundle(enrolment)
    page.goto(f"/play/{CODE}/")
    checked: set[str] = set()
    for index, key in enumerate(bundle.order):
        play_card(page, bundle, key, axe, checked)
        if index == reload_at:
            page.reload()
            _card(page, key)  # resume after reload: the same card
        if index + 1 < len(bundle.order):
            _next(page)
            expect(page.locator(".card-title")).to_be_focused()
    assert checked == set(CardType.values)
    page.locator('[data-nav="end"]').click()
    expect(page.get_by_role("heading", name=fr("Path completed. Well done!"))).to_be_visible()
    axe(page)
    page.get_by_role("link", name=fr("Answer the short survey")).click()
    axe(page)
    page.get_by_label(fr("I will use it this week, in a situation I can already name")).check()
    page.get_by_label(fr("I will try it, without a precise plan yet")).check()
    page.get_by_label(fr("I can talk about it with my manager or colleagues if I need to")).check()
    page.get_by_label(fr("Anything to add? (optional)")).fill("Très concret.")
    page.get_by_role("button", name=fr("Send my answers")).click()
    expect(page.get_by_role("heading", name=fr("Thank you!"))).to_be_visible()
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    response = SurveyResponse.objects.get(enrolment=enrolment)
    assert (response.relevance, response.kirkpatrick_level, response.ltem_tier) == (
        "this_week",
        1,
        3,
    )
    assert CardProgress.objects.filter(enrolment=enrolment).count() == len(bundle.order)
    ids = list(Statement.objects.values_list("statement_id", flat=True))
    assert len(ids) == len(set(ids))


def test_a_learner_plays_a_whole_path_on_a_phone(
    phone_page: Page, log_in: Any, axe_check: Axe, tenancy: Any, enrolment: Enrolment
) -> None:
    phone_page.set_viewport_size({"width": 320, "height": 720})
    log_in(phone_page, tenancy.owner.user)
    play_whole_path(phone_page, enrolment, axe_check)
    leave(phone_page)


def test_a_learner_plays_a_whole_path_on_a_desktop(
    desktop_page: Page, log_in: Any, axe_check: Axe, tenancy: Any, enrolment: Enrolment
) -> None:
    log_in(desktop_page, tenancy.owner.user)
    play_whole_path(desktop_page, enrolment, axe_check, reload_at=10)
    leave(desktop_page)


def test_the_laptop_opens_on_the_card_left_on_the_phone(
    phone_page: Page, desktop_page: Page, log_in: Any, tenancy: Any, enrolment: Enrolment
) -> None:
    bundle = _bundle(enrolment)
    log_in(phone_page, tenancy.owner.user)
    log_in(desktop_page, tenancy.owner.user)
    phone_page.goto(f"/play/{CODE}/")
    for _ in range(3):
        _next(phone_page)
    _card(phone_page, bundle.order[3])
    phone_page.evaluate("() => new Promise(r => setTimeout(r, 300))")
    phone_page.goto("/")  # leaving the page (pagehide) also sends what is queued
    desktop_page.goto("/play/")
    _card(desktop_page, bundle.order[3])
    leave(phone_page, desktop_page)


def test_a_flaky_network_loses_nothing_and_duplicates_nothing(
    phone_page: Page, log_in: Any, tenancy: Any, enrolment: Enrolment
) -> None:
    bundle = _bundle(enrolment)
    failures = {"left": 3}

    def flaky(route: Route) -> None:
        if failures["left"] > 0:
            failures["left"] -= 1
            route.abort("failed")
        else:
            route.fallback()

    log_in(phone_page, tenancy.owner.user)
    phone_page.route(re.compile(r".*/play/[^/]+/events$"), flaky)
    phone_page.goto(f"/play/{CODE}/")
    for index in range(1, 6):
        _next(phone_page)
        _card(phone_page, bundle.order[index])
    expect(phone_page.locator("[data-sync]")).to_have_text("", timeout=15_000)
    phone_page.wait_for_function(
        "() => Object.keys(localStorage).filter(k => k.startsWith('ancrage.q.'))"
        ".every(k => JSON.parse(localStorage.getItem(k)).events.length === 0)",
        timeout=15_000,
    )
    assert failures["left"] == 0
    seen = set(CardProgress.objects.filter(enrolment=enrolment).values_list("card_key", flat=True))
    assert seen == set(bundle.order[:6])
    ids = list(Statement.objects.values_list("statement_id", flat=True))
    assert len(ids) == len(set(ids)) == PlayerEvent.objects.count()
    leave(phone_page)


def test_two_tabs_neither_lose_nor_double_progress(
    phone_page: Page, log_in: Any, tenancy: Any, enrolment: Enrolment
) -> None:
    bundle = _bundle(enrolment)
    log_in(phone_page, tenancy.owner.user)
    other = phone_page.context.new_page()
    phone_page.goto(f"/play/{CODE}/")
    other.goto(f"/play/{CODE}/?card={bundle.order[10]}")
    for index in range(1, 4):
        _next(phone_page)
        _card(phone_page, bundle.order[index])
        _next(other)
        _card(other, bundle.order[10 + index])
    for page in (phone_page, other):
        page.wait_for_function(
            "() => Object.keys(localStorage).filter(k => k.startsWith('ancrage.q.'))"
            ".every(k => JSON.parse(localStorage.getItem(k)).events.length === 0)"
        )
    seen = set(CardProgress.objects.filter(enrolment=enrolment).values_list("card_key", flat=True))
    assert seen == set(bundle.order[:4]) | set(bundle.order[10:14])
    assert PlayerEvent.objects.filter(kind="card_viewed").count() == 8
    ids = list(Statement.objects.values_list("statement_id", flat=True))
    assert len(ids) == len(set(ids))
    enrolment.refresh_from_db()
    assert enrolment.position == bundle.order[13]
    leave(other, phone_page)
    other.close()


def test_the_path_in_progress_stays_readable_offline_and_syncs_later(
    phone_page: Page, log_in: Any, tenancy: Any, enrolment: Enrolment
) -> None:
    bundle = _bundle(enrolment)
    log_in(phone_page, tenancy.owner.user)
    phone_page.goto(f"/play/{CODE}/")
    phone_page.evaluate("() => navigator.serviceWorker.ready")
    phone_page.reload()  # now controlled by the service worker
    _card(phone_page, bundle.order[0])
    assert phone_page.evaluate("() => !!navigator.serviceWorker.controller")
    bundle_url = f"/play/{CODE}/bundle.json"
    phone_page.wait_for_function(
        f"() => caches.match('{bundle_url}').then(r => !!r)", timeout=15_000
    )
    # The media are cached in the background too: wait for them before cutting the network.
    media = [url for key in bundle.order for url in bundle.cards[key].client.get("media", [])]
    phone_page.wait_for_function(
        "urls => Promise.all(urls.map(u => caches.match(u))).then(rs => rs.every(Boolean))",
        arg=media,
        timeout=30_000,
    )
    # set_offline does not reach the service worker's own requests: cut those too.
    network = {"down": True}

    def cut(route: Route) -> None:
        if network["down"]:
            route.abort("internetdisconnected")
        else:
            route.fallback()

    phone_page.context.route("**/*", cut)
    phone_page.context.set_offline(True)
    for index in range(1, 4):
        _next(phone_page)
        _card(phone_page, bundle.order[index])
    expect(phone_page.locator("[data-sync]")).to_have_text(fr(OFFLINE))
    assert not CardProgress.objects.filter(card_key=bundle.order[2]).exists()
    # Chromium lets an unloading page's keepalive request through set_offline: from here on
    # the server may already hold some of it, which is fine (ids make retries harmless).
    phone_page.reload()
    _card(phone_page, bundle.order[3])
    image = next(k for k in bundle.order if bundle.cards[k].type == CardType.IMAGE)
    phone_page.goto(f"/play/{CODE}/?card={image}")
    img = _card(phone_page, image).locator("img")
    phone_page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=img.element_handle()
    )
    network["down"] = False
    phone_page.context.set_offline(False)
    phone_page.wait_for_function(
        "() => Object.keys(localStorage).filter(k => k.startsWith('ancrage.q.'))"
        ".every(k => JSON.parse(localStorage.getItem(k)).events.length === 0)",
        timeout=20_000,
    )
    seen = set(CardProgress.objects.filter(enrolment=enrolment).values_list("card_key", flat=True))
    assert set(bundle.order[:4]) | {image} <= seen
    leave(phone_page)


def test_the_short_check_makes_mastered_modules_optional(
    desktop_page: Page, log_in: Any, axe_check: Axe, tenancy: Any, enrolment: Enrolment
) -> None:
    bundle = _bundle(enrolment)
    log_in(desktop_page, tenancy.owner.user)
    desktop_page.goto(f"/play/{CODE}/")
    desktop_page.get_by_role("link", name=fr("Take the short check")).click()
    axe_check(desktop_page)
    first = bundle.cards[bundle.placement[0]]
    for index, key in enumerate(bundle.placement):
        choices = bundle.cards[key].payload["choices"]
        pick = [i for i, c in enumerate(choices) if c["correct"] == (index == 0)][:1]
        if bundle.cards[key].payload.get("multiple") and index == 0:
            pick = [i for i, c in enumerate(choices) if c["correct"]]
        for choice in pick:
            desktop_page.locator(f"#q{index}-{choice}").check()
    desktop_page.get_by_role("button", name=fr("See my result")).click()
    desktop_page.goto(f"/play/{CODE}/?card={first.key}")
    expect(desktop_page.locator("[data-optional]")).to_be_visible()
    leave(desktop_page)
