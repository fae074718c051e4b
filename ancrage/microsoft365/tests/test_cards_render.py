"""Every Adaptive Card template (ancrage.notify.cards) rendered by the npm `adaptivecards`
renderer in Chromium: parsed without warnings, `validateProperties()` empty, HTML produced.

The renderer runs in a blank page (no server involved); version 1.5 is what Teams renders
from a Workflows webhook.
"""

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from ancrage.engagement.actions import CampaignInput, EventInput, campaign_facts, create_campaign
from ancrage.engagement.models import MessageChannel, MessageKind
from ancrage.engagement.rendering import teams_card
from ancrage.licensing.tests.factories import make_licence, make_path
from ancrage.notify import cards
from ancrage.notify.actions import add_teams_channel

ROOT = Path(__file__).resolve().parents[3]
RENDERER = ROOT / "node_modules" / "adaptivecards" / "dist" / "adaptivecards.min.js"

RENDER = """
(card) => {
  const AC = window.AdaptiveCards;
  // adaptivecards 3.0.6 checks `lang` with a global (/g) regular expression, whose
  // lastIndex survives between cards: every second card of a page would be refused.
  AC.CardElement.langProperty.regEx.lastIndex = 0;
  const adaptive = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  adaptive.parse(card, context);
  const parse = [];
  for (let i = 0; i < context.eventCount; i++) parse.push(context.getEventAt(i).message);
  const validation = adaptive.validateProperties().validationEvents.map((e) => e.message);
  const element = adaptive.render();
  return {
    parse,
    validation,
    version: adaptive.version ? adaptive.version.toString() : "",
    html: element ? element.outerHTML : "",
    text: element ? element.innerText : "",
  };
}
"""


@pytest.fixture
def renderer_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    page.set_content("<!doctype html><html lang='fr'><body></body></html>")
    page.add_script_tag(content=RENDERER.read_text(encoding="utf-8"))
    yield page
    context.close()


def first_text(element: Any) -> str:
    """The text of the card's first TextBlock, wherever it is nested."""
    if isinstance(element, dict):
        if element.get("type") == "TextBlock":
            return str(element["text"])
        element = [v for k, v in element.items() if k in ("body", "items", "columns")]
    for item in element if isinstance(element, list) else []:
        if found := first_text(item):
            return found
    return ""


def render(page: Page, card: dict[str, Any]) -> dict[str, Any]:
    # A JSON round trip: exactly what the webhook receives.
    return page.evaluate(RENDER, json.loads(json.dumps(card)))


@pytest.mark.parametrize("name", sorted(cards.samples()))
def test_every_card_template_renders_and_validates(renderer_page, name):
    card = cards.samples()[name]

    result = render(renderer_page, card)

    assert card["version"] == "1.5"
    assert result["parse"] == []
    assert result["validation"] == []
    assert result["version"] == "1.5"
    assert "ac-adaptiveCard" in result["html"]
    assert first_text(card) in result["text"]


def test_the_renderer_does_report_a_broken_card(renderer_page):
    broken = {
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": [{"type": "TextBlock", "text": "x", "size": "Gigantic"}, {"type": "Nope"}],
        "actions": [{"type": "Action.OpenUrl", "title": "Go"}],
    }
    result = render(renderer_page, broken)
    assert result["parse"] or result["validation"]


def test_every_message_of_a_themed_event_renders_through_the_shared_templates(
    renderer_page, tenancy
):
    """engagement's Teams cards (launch, kick-off, daily cards…) come from notify.cards."""
    path = make_path("gerer-son-energie", title="Gérer son énergie")
    make_licence(tenancy.org_a)
    campaign = create_campaign(
        actor=tenancy.ld_lead,
        data=CampaignInput(
            title="Semaine QVT",
            strategic_stake="Prendre soin de soi pour prendre soin des autres",
            everyone=True,
            starts_on=date(2027, 3, 15),
            ends_on=date(2027, 3, 19),
            paths=[path],
            channels=[MessageChannel.EMAIL, MessageChannel.TEAMS],
            teams_channel=add_teams_channel(
                organisation=tenancy.org_a,
                name="Général",
                webhook_url="https://prod-1.westeurope.logic.azure.com/workflows/x",
            ),
            event=EventInput(
                theme="qvt",
                daily_card_time=time(9, 0),
                kickoff_starts_at=datetime(2027, 3, 15, 8, 30, tzinfo=UTC),
                kickoff_location="Salle Agora",
            ),
        ),
    )
    facts = campaign_facts(campaign)
    kinds = set()
    for message in campaign.messages.all():
        card = teams_card(facts, message)
        result = render(renderer_page, card)
        assert card["version"] == "1.5"
        assert (result["parse"], result["validation"]) == ([], []), message.kind
        assert result["html"]
        kinds.add(message.kind)
        if message.kind == MessageKind.KICKOFF:
            assert "Salle Agora" in result["text"]
        if message.kind == MessageKind.DAILY_CARD:
            assert "Gérer son énergie" in result["text"]
    assert {MessageKind.KICKOFF, MessageKind.DAILY_CARD} <= kinds
