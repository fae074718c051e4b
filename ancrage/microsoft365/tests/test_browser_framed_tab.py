"""The personal tab framed "the way Teams does", with third-party cookies blocked.

A page on another site (http://127.0.0.1:<port>, while the live server is
http://localhost:<port>) frames the personal tab. Chromium runs with
`--test-third-party-cookie-phaseout`, so our ordinary cookies never reach the frame: the
person, although signed in at top level, sees "Sign in"; the popup signs in first-party and
posts a one-time token to the frame, which exchanges it for a partitioned session and then
shows the learner's home. The page's CSP names the framing site, and nothing else does.
"""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.conf import settings as django_conf
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from ancrage.common.testing.browser import fr
from ancrage.microsoft365.actions import ensure_microsoft365_settings, save_embed_hosts
from ancrage.microsoft365.embedding.middleware import FRAMED_SESSION_COOKIE

pytestmark = pytest.mark.browser


class Host:
    """A stand-in for Teams: one page that frames our tab."""

    def __init__(self) -> None:
        self.frame_url = ""
        host = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 — http.server's name
                body = (
                    "<!doctype html><html lang='fr'><head><title>Teams (test)</title></head>"
                    f"<body><iframe src='{host.frame_url}' title='Ancrage' width='800' "
                    "height='600'></iframe></body></html>"
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"


@pytest.fixture
def teams_host() -> Iterator[Host]:
    host = Host()
    host.thread.start()
    yield host
    host.server.shutdown()
    host.server.server_close()


def test_the_personal_tab_signs_in_inside_a_frame_without_third_party_cookies(
    blocking_browser, live_server, transactional_db, tenancy, teams_host, settings
):
    settings.EMBED_ALLOW_HTTP_HOSTS = True
    assert live_server.url.startswith("http://localhost:")
    config = ensure_microsoft365_settings(organisation=tenancy.org_a)
    save_embed_hosts(config=config, hosts=["127.0.0.1"])
    teams_host.frame_url = live_server.url + reverse(
        "microsoft365_personal_tab", args=[config.teams_app_id]
    )

    context = blocking_browser.new_context(locale="fr-FR")
    context.set_default_timeout(15_000)
    # Signed in at top level (first-party), and a SameSite=None cookie: neither may reach
    # the frame when third-party cookies are blocked.
    client = Client()
    client.force_login(tenancy.owner.user)
    context.add_cookies(
        [
            {
                "name": django_conf.SESSION_COOKIE_NAME,
                "value": client.cookies[django_conf.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
                "sameSite": "Lax",
            },
            {
                "name": "probe",
                "value": "third-party",
                "url": live_server.url,
                "sameSite": "None",
                "secure": True,
            },
        ]
    )
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(teams_host.url)

    frame = page.frame_locator("iframe")
    sign_in = frame.get_by_role("button", name=fr("Sign in"))
    expect(sign_in).to_be_visible()
    tab_frame = page.frames[1]
    assert "probe" not in tab_frame.evaluate("document.cookie")

    with page.expect_popup() as opened:
        sign_in.click()
    popup = opened.value
    popup.wait_for_event("close")

    expect(frame.get_by_role("heading", level=1)).to_contain_text("Léa")
    cookies = {cookie["name"]: cookie for cookie in context.cookies()}
    assert FRAMED_SESSION_COOKIE in cookies
    assert cookies[FRAMED_SESSION_COOKIE]["sameSite"] == "None"
    assert cookies[FRAMED_SESSION_COOKIE]["secure"] is True
    # Partitioned (CHIPS): kept under the framing site, not under ours.
    assert cookies[FRAMED_SESSION_COOKIE].get("partitionKey") == "http://127.0.0.1"
    assert cookies[django_conf.SESSION_COOKIE_NAME].get("partitionKey") is None
    assert errors == []
    context.close()


def test_a_stranger_signs_in_with_a_password_in_the_popup(
    blocking_browser, live_server, transactional_db, tenancy, teams_host, settings, password
):
    """Nobody signed in anywhere: the popup goes through the ordinary sign-in page and still
    reaches its opener (the sign-in pages keep `window.opener` during the popup flow)."""
    settings.EMBED_ALLOW_HTTP_HOSTS = True
    config = ensure_microsoft365_settings(organisation=tenancy.org_a)
    save_embed_hosts(config=config, hosts=["127.0.0.1"])
    teams_host.frame_url = live_server.url + reverse(
        "microsoft365_personal_tab", args=[config.teams_app_id]
    )
    context = blocking_browser.new_context(locale="fr-FR")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(teams_host.url)
    frame = page.frame_locator("iframe")

    with page.expect_popup() as opened:
        frame.get_by_role("button", name=fr("Sign in")).click()
    popup = opened.value
    popup.locator("input[name=login]").fill(tenancy.owner.user.email)
    popup.locator("input[name=password]").fill(password)
    popup.locator("input[name=password]").press("Enter")
    popup.wait_for_event("close")

    expect(frame.get_by_role("heading", level=1)).to_contain_text("Léa")
    context.close()
