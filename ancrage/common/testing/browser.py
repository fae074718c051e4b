"""pytest plugin for browser tests: Debian's Chromium driven by Playwright, checked by axe-core.

Registered in the root conftest.py (`pytest_plugins`). Fixtures:

- `browser`: one headless Chromium for the session, always `/usr/bin/chromium` (never a
  downloaded build). When it is missing the test fails and says how to install it.
- `phone_page` (390×844, touch, mobile user agent) and `desktop_page` (1366×900): a fresh page
  on pytest-django's live server, in French, with relative URLs (`page.goto("/")`). They need
  `transactional_db`, so the live server sees the test's rows. The page may only talk to the
  live server: any other request is blocked, and it, a Content-Security-Policy violation or an
  uncaught script error fails the test.
- `axe_check(page)`: runs axe-core (npm `axe-core`, from node_modules) on the page as it stands
  and fails listing every serious or critical violation (rule, impact, target selectors).
- `log_in(page, user)`: gives the page's browser context a signed-in session, for tests whose
  subject is not sign-in itself.

`fr(msgid)` is what a French page shows for an English msgid, so tests find buttons and
headings by their French text today and keep passing when the translations change.

Tests using these fixtures are marked `browser` automatically, so `-m "not browser"` leaves
them out of the unit run.
"""

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Error,
    Page,
    Route,
    expect,
    sync_playwright,
)

# Assertions wait up to 15 s (Playwright's 5 s is short on a loaded 2-core CI machine).
expect.set_options(timeout=15_000)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[3]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING_IMPACTS = ("serious", "critical")
FAILURE_DIR = ROOT / "var" / "browser-failures"

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36"
    ),
}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
BROWSER_FIXTURES = {"browser", "phone_page", "desktop_page", "axe_check", "log_in"}
_CALL_FAILED = pytest.StashKey[bool]()  # did the test body fail? (then keep a screenshot)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


def fr(message: str) -> str:
    """The French text the site shows for this msgid (the msgid itself until translated)."""
    with translation.override("fr"):
        return translation.gettext(message)


def go_via_navigation(page: Page, link: str, section: str = "") -> None:
    """Click `link` in the main navigation, opening its `section` menu first when given."""
    navigation = page.get_by_role("navigation", name=fr("Main"))
    if section:
        navigation.locator("summary", has_text=fr(section)).click()
    navigation.get_by_role("link", name=fr(link), exact=True).click()


@dataclass
class PageWatch:
    """What a page did that a test must not let pass: off-origin requests, CSP and JS errors."""

    origin: str
    off_origin: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)

    def is_same_origin(self, url: str) -> bool:
        return url == self.origin or url.startswith(self.origin + "/")

    def route(self, route: Route) -> None:
        url = route.request.url
        if self.is_same_origin(url) or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            self.off_origin.append(url)
            route.abort("blockedbyclient")

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)

    def page_error(self, error: Error) -> None:
        self.script_errors.append(str(error))

    def problems(self) -> list[str]:
        return (
            [f"request off the live server (blocked): {url}" for url in self.off_origin]
            + [f"Content-Security-Policy violation: {text}" for text in self.csp_violations]
            + [f"uncaught script error: {text}" for text in self.script_errors]
        )


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Browser tests need Debian's Chromium at {CHROMIUM}: run "
            "'apt-get install chromium' (.ci/run installs it). Ancrage never downloads a browser.",
            pytrace=False,
        )
    # Playwright's sync API runs an event loop in this thread; Django would then refuse the
    # test's own ORM calls as "async unsafe". Allowed for the browser session only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _open_page(
    request: pytest.FixtureRequest, browser: Browser, origin: str, options: dict[str, Any]
) -> Iterator[Page]:
    context: BrowserContext = browser.new_context(
        base_url=origin, locale="fr-FR", timezone_id="Europe/Paris", **options
    )
    # Generous: a first request in a fresh test process imports every app, which takes
    # seconds on a busy 2-core machine; a real failure still fails, only later.
    context.set_default_timeout(30_000)
    context.set_default_navigation_timeout(30_000)
    watch = PageWatch(origin=origin)
    context.route("**/*", watch.route)
    page = context.new_page()
    page.on("console", watch.console)
    page.on("pageerror", watch.page_error)
    yield page
    if request.node.stash.get(_CALL_FAILED, False):
        FAILURE_DIR.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
        shot = FAILURE_DIR / f"{name}.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"\nScreenshot of the failed page ({page.url}): {shot}")
    context.close()
    if problems := watch.problems():
        raise AssertionError("The page did something it must not:\n" + "\n".join(problems))


@pytest.fixture
def phone_page(
    request: pytest.FixtureRequest, browser: Browser, live_server: Any, transactional_db: None
) -> Iterator[Page]:
    yield from _open_page(request, browser, live_server.url, PHONE)


@pytest.fixture
def desktop_page(
    request: pytest.FixtureRequest, browser: Browser, live_server: Any, transactional_db: None
) -> Iterator[Page]:
    yield from _open_page(request, browser, live_server.url, DESKTOP)


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_SCRIPT.exists():
        pytest.fail(
            f"axe-core is missing ({AXE_SCRIPT}): run 'npm ci' in {ROOT} ('make install' does).",
            pytrace=False,
        )
    return AXE_SCRIPT.read_text(encoding="utf-8")


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core: {len(violations)} serious or critical violation(s) on {url}"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} [{violation['impact']}] {violation['help']} ({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    at {target}: {summary[:300]}")
    return "\n".join(lines)


@pytest.fixture
def axe_check(axe_source: str) -> Callable[[Page], list[dict[str, Any]]]:
    """Run axe-core on a page and fail on serious or critical violations.

    The script is evaluated through the DevTools protocol (page.evaluate), which the page's
    Content-Security-Policy does not govern, so the page is checked with its real CSP on.
    """

    def check(page: Page) -> list[dict[str, Any]]:
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(f"() => {{ {axe_source}\n}}")
        results = page.evaluate(
            "options => window.axe.run(document, options)",
            {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
        )
        blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
        if blocking:
            raise AssertionError(format_violations(page.url, blocking))
        return blocking

    return check


@pytest.fixture
def log_in(live_server: Any) -> Callable[[Page, Any], None]:
    """Sign `user` in for the page's context through a real session cookie."""

    def sign_in(page: Page, user: Any) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )

    return sign_in
