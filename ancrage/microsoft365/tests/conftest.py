"""Fixtures of the framed-page browser tests (personal tab, channel tab configuration)."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings as django_conf
from django.test import Client
from playwright.sync_api import Browser, BrowserContext

from ancrage.common.testing.browser import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture
def blocking_browser(browser: Browser) -> Iterator[Browser]:
    """A second Chromium from the same Playwright, with third-party cookies blocked."""
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is needed at {CHROMIUM}", pytrace=False)
    strict = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[*CHROMIUM_ARGS, "--test-third-party-cookie-phaseout"],
    )
    yield strict
    strict.close()


@pytest.fixture
def signed_in_top_level(live_server: Any) -> Callable[[BrowserContext, Any], None]:
    """Give `context` a first-party session for `user` (what a person signed in to Ancrage in
    another tab has); a frame on another site never receives it."""

    def add(context: BrowserContext, user: Any) -> None:
        client = Client()
        client.force_login(user)
        context.add_cookies(
            [
                {
                    "name": django_conf.SESSION_COOKIE_NAME,
                    "value": client.cookies[django_conf.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                    "sameSite": "Lax",
                }
            ]
        )

    return add
