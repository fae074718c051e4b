"""Fixtures of the microsoft365 tests: what a channel tab can show, and for the framed-page
browser tests (personal tab, channel tab configuration) a strict browser and a session."""

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from django.conf import settings as django_conf
from django.test import Client
from playwright.sync_api import Browser, BrowserContext

from ancrage.common.testing.browser import CHROMIUM, CHROMIUM_ARGS
from ancrage.engagement.actions import CampaignInput, EventInput, create_campaign
from ancrage.licensing.actions import ItemSpec, create_programme
from ancrage.licensing.tests.factories import make_licence, make_path
from ancrage.microsoft365.actions import ensure_microsoft365_settings


@pytest.fixture
def subjects(tenancy: Any) -> tuple[Any, Any, Any]:
    """Organisation A's Microsoft 365 settings and the two things its channel tab can show:
    a programme ("Mieux se parler") and a themed event ("Semaine QVT"), both on one path."""
    config = ensure_microsoft365_settings(organisation=tenancy.org_a)
    path = make_path("ecoute-active", title="Écoute active")
    make_licence(tenancy.org_a)
    programme = create_programme(
        organisation=tenancy.org_a,
        by=tenancy.ld_lead,
        title="Mieux se parler",
        items=[ItemSpec(path=path)],
    )
    event = create_campaign(
        actor=tenancy.ld_lead,
        data=CampaignInput(
            title="Semaine QVT",
            strategic_stake="Prendre soin de soi",
            everyone=True,
            starts_on=date(2027, 3, 15),
            ends_on=date(2027, 3, 19),
            paths=[path],
            event=EventInput(theme="qvt"),
        ),
    )
    return config, programme, event


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
