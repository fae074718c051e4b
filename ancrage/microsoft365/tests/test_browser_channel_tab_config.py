"""The channel tab's configuration page, saved through TeamsJS inside a frame "the way Teams
does", with third-party cookies blocked.

The framing page is a stand-in for Microsoft's Teams client, not for our code. It plays the
host side of TeamsJS' postMessage protocol for the calls our page makes, as read in
node_modules/@microsoft/teams-js 2.58.0 (`internal/communication.js`, `internal/appHelpers.js`,
`public/pages/config.js`, `internal/pagesHelpers.js`):

- page → host `{id, uuidAsString, func: "initialize", args: [version, runtime api version]}`;
  the host answers `{id, uuidAsString, args: [frame context, host client type, runtime
  config (JSON), supported SDK version]}` with the "settings" frame context Teams gives a
  configuration page and a runtime that supports `pages.config`;
- page → host `registerHandler ["save"]` and `settings.setValidityState [bool]` (one-way):
  the host's Save button is enabled only while the choice is valid;
- host → page `{func: "settings.save", args: [{}]}` when Save is pressed;
- page → host `settings.setSettings [config]` (`pages.config.setConfig`), answered
  `args: [true]`; then `settings.save.success` (or `settings.save.failure [reason]`), after
  which the host loads the config's `contentUrl` in the frame, as Teams does.

The stand-in is served by Playwright at https://teams.microsoft.com/ (request interception:
nothing leaves the machine, and any other request off the live server is refused and fails
the test). TeamsJS accepts messages only from https origins on the list bundled in it, and
our page passes no extra origin to `app.initialize`, so a host on a loopback http origin
would be ignored by TeamsJS; only a Microsoft origin tests the page as it runs in Teams.
Chromium's Local Network Access asks before a public site frames localhost: the test grants
it (in production Ancrage is public, and nothing asks).

TeamsJS also asks Microsoft's CDN for a fresh list of Teams origins when it loads; our CSP
(`connect-src 'self'`) refuses it and TeamsJS keeps its bundled list. That refusal is the one
CSP report the framed page may log.
"""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, ConsoleMessage, Frame, Page, Route, expect

from ancrage.common.testing.browser import fr
from ancrage.microsoft365.models import ChannelTab

pytestmark = pytest.mark.browser

TEAMS = "https://teams.microsoft.com"
TEAMSJS_CDN = "https://res.cdn.office.net/teams-js/validDomains/json/validDomains.json"

HOST_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Teams (stand-in)</title></head>
<body>
<iframe id="tab" src="__FRAME_URL__" title="Ancrage" width="900" height="640"></iframe>
<p><button id="save" type="button" disabled>Enregistrer</button></p>
<script>
const ours = __OUR_ORIGIN__;
const frame = document.getElementById("tab");
const saveButton = document.getElementById("save");
const runtime = JSON.stringify({ apiVersion: 4, supports: { pages: { config: {} } } });
window.host = { calls: [], valid: null, config: null, outcome: null };

function answer(request, args) {
  frame.contentWindow.postMessage(
    { id: request.id, uuidAsString: request.uuidAsString, args }, ours);
}

window.addEventListener("message", (event) => {
  if (event.source !== frame.contentWindow || event.origin !== ours) return;
  const request = event.data;
  if (!request || typeof request.func !== "string") return;
  host.calls.push(request.func);
  switch (request.func) {
    case "initialize":
      answer(request, ["settings", "web", runtime, "2.58.0"]);
      break;
    case "settings.setValidityState":
      host.valid = request.args[0] === true;
      saveButton.disabled = !host.valid;
      break;
    case "settings.setSettings":
      host.config = request.args[0];
      answer(request, [true]);
      break;
    case "settings.save.success":
      host.outcome = "success";
      frame.src = host.config.contentUrl;
      break;
    case "settings.save.failure":
      host.outcome = "failure: " + request.args[0];
      break;
  }
});

saveButton.addEventListener("click", () => {
  frame.contentWindow.postMessage({ func: "settings.save", args: [{}] }, ours);
});
</script>
</body></html>
"""


class Watch:
    """Requests that would leave the machine, and CSP reports, of every frame of the page."""

    def __init__(self, live_origin: str) -> None:
        self.live_origin = live_origin
        self.off_machine: list[str] = []
        self.csp: list[str] = []

    def route(self, route: Route) -> None:
        url = route.request.url
        if url.startswith(self.live_origin + "/"):
            route.continue_()
        else:
            self.off_machine.append(url)
            route.abort("blockedbyclient")

    def console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.csp.append(message.text)

    def unexpected_csp(self) -> list[str]:
        return [text for text in self.csp if TEAMSJS_CDN not in text]


def _teams_host(context: BrowserContext, frame_url: str, live_origin: str) -> None:
    body = HOST_PAGE.replace("__FRAME_URL__", frame_url).replace(
        "__OUR_ORIGIN__", json.dumps(live_origin)
    )
    context.route(
        f"{TEAMS}/", lambda route: route.fulfill(status=200, content_type="text/html", body=body)
    )
    context.grant_permissions(["local-network-access"], origin=TEAMS)


def _tab_frame(page: Page) -> Frame:
    [frame] = [f for f in page.frames if f is not page.main_frame]
    return frame


def test_a_manager_saves_the_channel_tab_through_teamsjs_and_teams_shows_the_programme(
    blocking_browser,
    live_server,
    transactional_db,
    tenancy,
    subjects,
    settings,
    signed_in_top_level: Callable[[BrowserContext, Any], None],
    axe_check,
):
    settings.SITE_URL = live_server.url
    config, programme, _event = subjects
    frame_url = live_server.url + reverse("microsoft365_tab_configure", args=[config.teams_app_id])

    context = blocking_browser.new_context(locale="fr-FR")
    context.set_default_timeout(30_000)
    watch = Watch(live_server.url)
    context.route("**/*", watch.route)
    _teams_host(context, frame_url, live_server.url)
    signed_in_top_level(context, tenancy.manager.user)
    errors: list[str] = []
    page = context.new_page()
    page.on("console", watch.console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{TEAMS}/")

    # Third-party cookies blocked: the manager signs in through the popup first.
    tab = page.frame_locator("#tab")
    with page.expect_popup() as opened:
        tab.get_by_role("button", name=fr("Sign in")).click()
    opened.value.wait_for_event("close")

    expect(tab.get_by_role("heading", level=1)).to_have_text(fr("Set up the Ancrage tab"))
    page.wait_for_function("() => window.host.valid === false")
    expect(page.locator("#save")).to_be_disabled()
    axe_check(_tab_frame(page))

    tab.get_by_role("radio", name="Mieux se parler").check()
    page.wait_for_function("() => window.host.valid === true")
    page.locator("#save").click()
    page.wait_for_function("() => window.host.outcome !== null")

    host = page.evaluate("() => window.host")
    assert host["outcome"] == "success"
    assert host["calls"][0] == "initialize"
    assert "registerHandler" in host["calls"]
    saved = ChannelTab.objects.get()
    assert saved.programme == programme
    content_url = live_server.url + reverse(
        "microsoft365_channel_tab", args=[config.teams_app_id, saved.pk]
    )
    assert host["config"] == {
        "contentUrl": content_url,
        "websiteUrl": content_url,
        "entityId": str(saved.pk),
        "suggestedDisplayName": "Mieux se parler",
    }

    # The host then shows the tab: the programme, in the same partitioned session.
    expect(tab.get_by_role("heading", level=1)).to_have_text("Mieux se parler")
    expect(tab.get_by_role("link", name=f"{fr('Open')} Écoute active")).to_be_visible()
    assert _tab_frame(page).url == content_url

    assert errors == []
    assert watch.off_machine == []
    assert watch.unexpected_csp() == []
    context.close()


def test_outside_teams_the_configuration_page_says_so_instead_of_waiting(
    browser, live_server, transactional_db, tenancy, subjects, signed_in_top_level, axe_check
):
    """Framed by a page that never answers TeamsJS (here one on our own origin, like an
    intranet page): after the connection timeout the page explains where it works."""
    config, *_ = subjects
    lms_page = f"{live_server.url}/test-intranet/"
    frame_url = reverse("microsoft365_tab_configure", args=[config.teams_app_id])
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(30_000)
    watch = Watch(live_server.url)
    context.route("**/*", watch.route)
    context.route(
        lms_page,
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            body=(
                "<!doctype html><html lang='fr'><head><title>Intranet</title></head><body>"
                f"<iframe src='{frame_url}' title='Ancrage' width='900' height='640'></iframe>"
                "</body></html>"
            ),
        ),
    )
    signed_in_top_level(context, tenancy.manager.user)
    page = context.new_page()
    page.on("console", watch.console)
    page.goto(lms_page)

    tab = page.frame_locator("iframe")
    expect(tab.get_by_role("radio", name="Mieux se parler")).to_be_visible()
    expect(tab.get_by_role("alert")).to_have_text(
        fr(
            "This page sets up the Ancrage tab of a Microsoft Teams channel and works only "
            "inside Teams. In Teams, open the channel, add a tab and choose Ancrage."
        ),
        timeout=15_000,
    )
    axe_check(_tab_frame(page))
    assert not ChannelTab.objects.exists()
    assert watch.off_machine == []
    assert watch.unexpected_csp() == []
    context.close()
