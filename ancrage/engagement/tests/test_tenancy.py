"""Campaigns, events, messages, reports and posters stay inside their organisation: another
organisation's L&D lead gets 404 on every URL, a learner gets 403 on L&D pages."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from ancrage.engagement.actions import (
    CampaignInput,
    EventInput,
    create_campaign,
    schedule_campaign,
)
from ancrage.engagement.models import CampaignStatus, SharedTakeaway

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def event(tenancy, paths):
    with time_machine.travel(datetime(2027, 3, 1, 9, tzinfo=PARIS), tick=False):
        campaign = create_campaign(
            actor=tenancy.ld_lead,
            data=CampaignInput(
                title="Semaine de la santé mentale positive",
                strategic_stake="Prendre soin de soi et des autres",
                starts_on=date(2027, 3, 15),
                ends_on=date(2027, 3, 19),
                everyone=True,
                paths=paths,
                event=EventInput(theme="mental_health", daily_card_time=time(9)),
            ),
        )
        schedule_campaign(campaign=campaign)
    return campaign


def _urls(campaign):
    message = campaign.messages.first()
    get = [
        reverse("engagement_campaign", args=[campaign.pk]),
        reverse("engagement_campaign_edit", args=[campaign.pk]),
        reverse("engagement_message_new", args=[campaign.pk]),
        reverse("engagement_message_edit", args=[campaign.pk, message.pk]),
        reverse("engagement_message_preview", args=[campaign.pk, message.pk]),
        reverse("engagement_message_preview_email", args=[campaign.pk, message.pk]),
        reverse("engagement_report", args=[campaign.pk]),
        reverse("engagement_report_pdf", args=[campaign.pk]),
        reverse("engagement_poster_pdf", args=[campaign.pk]),
        reverse("engagement_join", args=[campaign.pk]),
    ]
    post = [
        reverse("engagement_schedule", args=[campaign.pk]),
        reverse("engagement_pause", args=[campaign.pk]),
        reverse("engagement_cancel", args=[campaign.pk]),
        reverse("engagement_report_refresh", args=[campaign.pk]),
        reverse("engagement_message_delete", args=[campaign.pk, message.pk]),
        reverse("engagement_join", args=[campaign.pk]),
    ]
    return get, post


def test_another_organisation_gets_404_on_every_url(tenancy, event):
    client = tenancy.client_for(tenancy.other_ld_lead)
    get, post = _urls(event)
    for url in get:
        assert client.get(url).status_code == 404, url
    for url in post:
        assert client.post(url, {"text": "Intrus"}).status_code == 404, url
    event.refresh_from_db()
    assert event.status == CampaignStatus.SCHEDULED
    assert event.messages.count() == 4  # email only: no daily Teams cards
    assert not SharedTakeaway.objects.exists()
    assert (
        "Semaine de la santé mentale positive"
        not in client.get(reverse("engagement_events")).content.decode()
    )


def test_a_learner_cannot_reach_the_l_and_d_pages(tenancy, event):
    client = tenancy.client_for(tenancy.owner)
    get, post = _urls(event)
    join = reverse("engagement_join", args=[event.pk])
    for url in get:
        expected = 200 if url == join else 403
        assert client.get(url).status_code == expected, url
    for url in post:
        if url != join:
            assert client.post(url).status_code == 403, url
    assert client.get(reverse("engagement_campaigns")).status_code == 403


def test_the_campaign_page_is_open_to_the_organisation_once_scheduled(tenancy, paths, event):
    client = tenancy.client_for(tenancy.owner)
    page = client.get(reverse("engagement_join", args=[event.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Semaine de la santé mentale positive" in page.content.decode()
    response = client.post(
        reverse("engagement_join", args=[event.pk]),
        {"text": "Je prends dix minutes de pause.", "quote_allowed": "on"},
    )
    assert response.status_code == 302
    takeaway = SharedTakeaway.objects.get()
    assert (takeaway.author, takeaway.quote_allowed) == (tenancy.owner, True)

    with time_machine.travel(datetime(2027, 3, 1, 9, tzinfo=PARIS), tick=False):
        draft = create_campaign(
            actor=tenancy.ld_lead,
            data=CampaignInput(
                title="Brouillon",
                strategic_stake="Plus tard",
                starts_on=date(2027, 5, 3),
                ends_on=date(2027, 5, 7),
                everyone=True,
                paths=paths,
            ),
        )
    assert client.get(reverse("engagement_join", args=[draft.pk])).status_code == 404
