"""The message list of a campaign or event page: subjects filled for the campaign (personal
placeholders as a readable stand-in), Teams cards said published in their channel rather than
"sent to 0 people", and the cancel action named after the kind (campaign or event)."""

import html
import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext

from ancrage.engagement.actions import (
    CampaignInput,
    EventInput,
    campaign_facts,
    create_campaign,
    save_message,
    schedule_campaign,
)
from ancrage.engagement.models import MessageKind, MessageStatus
from ancrage.engagement.timeline import message_rows, teams_note
from ancrage.notify.models import DeliveryStatus, OutboundMessage

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, month, day, hour, minute, tzinfo=PARIS)


def week(tenancy, paths, channel, *, event: bool) -> CampaignInput:
    return CampaignInput(
        title="Semaine de la qualité de vie au travail",
        strategic_stake="Accord QVT 2027",
        starts_on=date(2027, 3, 29),
        ends_on=date(2027, 4, 2),
        everyone=True,
        paths=paths,
        channels=["email", "teams"],
        teams_channel=channel,
        event=EventInput(theme="qvt", participation_target=40, daily_card_time=time(9, 0))
        if event
        else None,
    )


def messages_section(page: str) -> str:
    return html.unescape(page.split('id="messages-title"', 1)[1])


def subjects(page: str) -> list[str]:
    return [html.unescape(s) for s in re.findall(r"<h3>(.*?)</h3>", page)]


def test_the_list_fills_the_campaign_placeholders_and_shows_a_stand_in_for_the_person(
    tenancy, paths, teams_channel, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(at(3, 15, 9), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        campaign = create_campaign(
            actor=tenancy.ld_lead, data=week(tenancy, paths, teams_channel, event=False)
        )
        save_message(
            campaign=campaign,
            message=None,
            kind=MessageKind.CUSTOM,
            send_at=at(3, 30, 9),
            audience="all",
            channels=["teams"],
            subject="Bonjour {prenom} : {campagne}",
            body="Texte.",
            path=None,
        )
        page = (
            tenancy.client_for(tenancy.ld_lead)
            .get(reverse("engagement_campaign", args=[campaign.pk]))
            .content.decode()
        )
    section = messages_section(page)
    assert "{" not in section
    assert "}" not in section
    with translation.override("fr"):
        stand_in = pgettext("placeholder stand-in", "First name")
    listed = subjects(section)
    assert "Semaine de la qualité de vie au travail : rendez-vous le lundi 29 mars" in listed
    assert f"{stand_in}, votre parcours vous attend" in listed
    # Teams only: the card's neutral greeting, as the channel reads it.
    assert "Bonjour à toutes et à tous : Semaine de la qualité de vie au travail" in listed
    # The screen-reader names of the actions carry the filled subject too.
    hidden = re.findall(r'<span class="visually-hidden">([^<]*)</span>', section)
    assert any(f"{stand_in}, votre parcours vous attend" in name for name in hidden)


def test_an_event_page_says_where_each_daily_card_was_published(
    tenancy, paths, teams_channel, tick, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(at(3, 15, 9), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        campaign = create_campaign(
            actor=tenancy.ld_lead, data=week(tenancy, paths, teams_channel, event=True)
        )
        schedule_campaign(campaign=campaign)
    tick(at(3, 29, 9))
    first_card = campaign.messages.filter(kind=MessageKind.DAILY_CARD).order_by("send_at")[0]
    assert first_card.status == MessageStatus.SENT

    with time_machine.travel(at(3, 29, 10), tick=False):
        response = tenancy.client_for(tenancy.ld_lead).get(
            reverse("engagement_campaign", args=[campaign.pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
    section = messages_section(response.content.decode())
    assert "to 0 people" not in section
    assert "to 0 person" not in section
    assert section.count("Published in the Teams channel “Alpha — Général”.") >= 1
    assert "Cancel the event" in response.content.decode()
    assert "Cancel the campaign" not in response.content.decode()

    rows = {row.message.pk: row for row in message_rows(campaign_facts(campaign), [first_card])}
    assert not rows[first_card.pk].emailed


def test_a_teams_note_tells_a_waiting_a_failed_and_a_missing_post(
    tenancy, paths, teams_channel, tick, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(at(3, 15, 9), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        campaign = create_campaign(
            actor=tenancy.ld_lead, data=week(tenancy, paths, teams_channel, event=True)
        )
    card = campaign.messages.filter(kind=MessageKind.DAILY_CARD).order_by("send_at")[0]
    assert teams_note(card, None) == ""  # not its time yet: the status says "To send"
    card.status = MessageStatus.SENT
    assert teams_note(card, None) == (
        "Teams card not published: the campaign had no active Teams channel."
    )
    post = OutboundMessage(recipient="Alpha — Général", status=DeliveryStatus.PENDING)
    assert teams_note(card, post) == (
        "Not published yet in the Teams channel “Alpha — Général” (waiting)."
    )
    post.status = DeliveryStatus.FAILED
    assert (
        teams_note(card, post) == "Could not be published in the Teams channel “Alpha — Général”."
    )


def test_a_campaign_page_offers_to_cancel_the_campaign(tenancy, paths, teams_channel):
    with time_machine.travel(at(3, 15, 9), tick=False):
        campaign = create_campaign(
            actor=tenancy.ld_lead, data=week(tenancy, paths, teams_channel, event=False)
        )
        page = (
            tenancy.client_for(tenancy.ld_lead)
            .get(reverse("engagement_campaign", args=[campaign.pk]), HTTP_ACCEPT_LANGUAGE="en")
            .content.decode()
        )
    assert "Cancel the campaign" in page
    assert "Cancel the event" not in page
