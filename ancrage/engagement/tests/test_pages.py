"""The L&D lead's pages: create a campaign from the form, preview a message as the
recipient will see it (email frame with its own narrow CSP, Teams card), edit and schedule."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from ancrage.engagement.models import Campaign, CampaignStatus, MessageKind
from ancrage.licensing.tests.factories import make_licence
from ancrage.notify.actions import add_teams_channel

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def test_an_l_and_d_lead_writes_previews_and_schedules_a_campaign(tenancy, paths, webhook_receiver):
    make_licence(tenancy.org_a)
    channel = add_teams_channel(
        organisation=tenancy.org_a, name="Général", webhook_url=webhook_receiver.url()
    )
    with time_machine.travel(datetime(2027, 3, 1, 9, tzinfo=PARIS), tick=True):
        client = tenancy.client_for(tenancy.ld_lead)
        form = client.get(reverse("engagement_campaign_new"), HTTP_ACCEPT_LANGUAGE="en")
        assert form.status_code == 200
        assert "Agir pour le climat au quotidien" in form.content.decode()
        response = client.post(
            reverse("engagement_campaign_new"),
            {
                "title": "La transition écologique, c'est nous",
                "strategic_stake": "Plan climat 2030",
                "description": "Chacun peut agir.",
                "teams": [str(tenancy.team_a.pk)],
                "roles": ["learner"],
                "paths": [str(p.pk) for p in paths],
                "channels": ["email", "teams"],
                "teams_channel": str(channel.pk),
                "starts_on": "2027-03-15",
                "ends_on": "2027-03-26",
            },
        )
        assert response.status_code == 302
        campaign = Campaign.objects.get()
        assert campaign.roles == ["learner"]
        assert list(campaign.teams.all()) == [tenancy.team_a]

        detail = client.get(
            reverse("engagement_campaign", args=[campaign.pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
        assert detail.status_code == 200
        assert "2 people" in detail.content.decode()  # Léa and Tom: learners of Service client

        message = campaign.messages.get(kind=MessageKind.LAUNCH)
        preview = client.get(
            reverse("engagement_message_preview", args=[campaign.pk, message.pk]),
            HTTP_ACCEPT_LANGUAGE="en",
        )
        page = preview.content.decode()
        assert "C&#x27;est parti : La transition écologique" in page
        assert "owner@alpha.test" in page  # the first person of the audience fills the preview
        assert "Bonjour à toutes et à tous," in page  # the Teams card speaks to the channel
        frame = client.get(
            reverse("engagement_message_preview_email", args=[campaign.pk, message.pk])
        )
        assert frame.status_code == 200
        assert "Bonjour Léa," in frame.content.decode()
        assert "script-src" not in frame["Content-Security-Policy"]
        assert "default-src 'none'" in frame["Content-Security-Policy"]
        assert frame["X-Frame-Options"] == "SAMEORIGIN"

        edit = client.post(
            reverse("engagement_message_edit", args=[campaign.pk, message.pk]),
            {
                "kind": "launch",
                "send_at": "2027-03-15T09:30",
                "audience": "all",
                "channels": ["email"],
                "path": "",
                "subject": "C'est parti, {prenom} !",
                "body": "Bonjour {prenom},\n\nOn commence : {lien}",
            },
        )
        assert edit.status_code == 302
        message.refresh_from_db()
        assert message.channels == ["email"]
        assert message.send_at == datetime(2027, 3, 15, 9, 30, tzinfo=PARIS)

        scheduled = client.post(reverse("engagement_schedule", args=[campaign.pk]))
        assert scheduled.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SCHEDULED


def test_the_lists_and_the_poster(tenancy, paths):
    from datetime import date, time

    from ancrage.engagement.actions import CampaignInput, EventInput, create_campaign

    with time_machine.travel(datetime(2027, 3, 1, 9, tzinfo=PARIS), tick=False):
        event = create_campaign(
            actor=tenancy.ld_lead,
            data=CampaignInput(
                title="Semaine de l'urgence écologique en pratique",
                strategic_stake="Plan climat 2030",
                starts_on=date(2027, 4, 5),
                ends_on=date(2027, 4, 9),
                everyone=True,
                paths=paths,
                event=EventInput(
                    theme="ecological", participation_target=35, daily_card_time=time(9)
                ),
            ),
        )
    client = tenancy.client_for(tenancy.ld_lead)
    events = client.get(reverse("engagement_events"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Semaine de l&#x27;urgence écologique en pratique" in events
    assert "urgence" not in client.get(reverse("engagement_campaigns")).content.decode()
    poster = client.get(
        reverse("engagement_poster_pdf", args=[event.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert poster.status_code == 200
    assert poster.content.startswith(b"%PDF")
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(poster.content))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Semaine de l'urgence écologique en pratique" in text
    assert "35 %" in text
    assert f"/engagement/join/{event.pk}/" in text
