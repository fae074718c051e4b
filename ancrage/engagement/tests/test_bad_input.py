"""Bad input is refused with a reason a person can act on, before anything is sent."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from ancrage.engagement.actions import (
    CampaignError,
    CampaignInput,
    create_campaign,
    save_message,
    schedule_campaign,
)
from ancrage.engagement.forms import MessageForm
from ancrage.engagement.models import Campaign, CampaignStatus, MessageKind
from ancrage.engagement.placeholders import problems
from ancrage.licensing.tests.factories import make_licence
from ancrage.notify.models import OutboundMessage

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2027, 3, 10, 9, 0, tzinfo=PARIS)


def _data(paths, **changes):
    values = {
        "title": "La transition écologique, c'est nous",
        "strategic_stake": "Plan climat 2030",
        "starts_on": date(2027, 3, 15),
        "ends_on": date(2027, 3, 26),
        "everyone": True,
        "paths": paths,
    }
    values.update(changes)
    return CampaignInput(**values)


def test_a_campaign_with_no_audience_is_refused(tenancy, paths):
    with pytest.raises(CampaignError) as refused:
        create_campaign(actor=tenancy.ld_lead, data=_data(paths, everyone=False))
    assert refused.value.field == "everyone"
    assert "no audience" in refused.value.message
    assert not Campaign.objects.exists()


def test_the_form_names_the_missing_audience(tenancy, paths):
    make_licence(tenancy.org_a)
    client = tenancy.client_for(tenancy.ld_lead)
    response = client.post(
        reverse("engagement_campaign_new"),
        {
            "title": "Sans public",
            "strategic_stake": "Plan climat 2030",
            "starts_on": "2027-03-15",
            "ends_on": "2027-03-26",
            "paths": [str(paths[0].pk)],
            "channels": ["email"],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "This campaign has no audience" in response.content.decode()
    assert not Campaign.objects.exists()


def test_an_audience_with_nobody_in_it_cannot_be_scheduled(tenancy, paths, smtp_server):
    empty_team = tenancy.team_b  # another organisation's team is refused outright
    with pytest.raises(CampaignError):
        create_campaign(
            actor=tenancy.ld_lead, data=_data(paths, everyone=False, teams=[empty_team])
        )
    with time_machine.travel(NOW, tick=False):
        campaign = create_campaign(
            actor=tenancy.ld_lead, data=_data(paths, everyone=False, roles=["org_admin"])
        )
        tenancy.admin.status = "deactivated"
        tenancy.admin.save()
        with pytest.raises(CampaignError) as refused:
            schedule_campaign(campaign=campaign)
    assert "Nobody is in this audience" in " ".join(refused.value.reasons)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_a_schedule_in_the_past_is_refused_and_nothing_is_sent(
    tenancy, paths, smtp_server, django_capture_on_commit_callbacks
):
    with time_machine.travel(datetime(2027, 3, 14, 9, 0, tzinfo=PARIS), tick=False):
        campaign = create_campaign(actor=tenancy.ld_lead, data=_data(paths))
        with django_capture_on_commit_callbacks(execute=True):
            with pytest.raises(CampaignError) as refused:
                schedule_campaign(campaign=campaign)
    reasons = refused.value.reasons
    assert len(reasons) == 1
    assert "is scheduled in the past" in reasons[0]
    assert "Announcement" in reasons[0]
    assert "move it later or remove it" in reasons[0]
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT
    assert OutboundMessage.objects.count() == 0
    assert smtp_server.messages == []


def test_scheduling_from_the_page_shows_every_reason(tenancy, paths):
    with time_machine.travel(datetime(2027, 3, 14, 9, 0, tzinfo=PARIS), tick=True):
        campaign = create_campaign(actor=tenancy.ld_lead, data=_data(paths))
        campaign.messages.filter(kind=MessageKind.MYTH).update(body="Bonjour {prenon}")
        client = tenancy.client_for(tenancy.ld_lead)
        response = client.post(
            reverse("engagement_schedule", args=[campaign.pk]),
            follow=True,
            HTTP_ACCEPT_LANGUAGE="en",
        )
    page = response.content.decode()
    assert "is scheduled in the past" in page
    assert "Unknown placeholder {prenon}" in page
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_an_unknown_placeholder_is_a_form_error_naming_it(tenancy, paths):
    with time_machine.travel(NOW, tick=False):
        campaign = create_campaign(actor=tenancy.ld_lead, data=_data(paths))
    form = MessageForm(
        {
            "kind": "custom",
            "send_at": "2027-03-18T09:00",
            "audience": "all",
            "channels": ["email"],
            "subject": "Bonjour {prenom}",
            "body": "Rendez-vous le {date_limite} sur {lien}.",
        },
        campaign=campaign,
        paths={},
        titles={},
    )
    assert not form.is_valid()
    [error] = form.errors["body"]
    assert "{date_limite}" in error
    assert "{date_fin}" in error  # the message lists the placeholders that exist


def test_the_action_refuses_an_unknown_placeholder_too(tenancy, paths):
    with time_machine.travel(NOW, tick=False):
        campaign = create_campaign(actor=tenancy.ld_lead, data=_data(paths))
        with pytest.raises(CampaignError) as refused:
            save_message(
                campaign=campaign,
                message=None,
                kind="custom",
                send_at=datetime(2027, 3, 18, 9, tzinfo=PARIS),
                audience="all",
                channels=["email"],
                subject="{Prenom}, bonjour",
                body="Texte.",
            )
    assert refused.value.field == "subject"
    assert "{Prenom}" in refused.value.message


def test_a_lone_brace_is_reported():
    assert problems("Bonjour {prenom, à bientôt")
    assert problems("Bonjour prenom}")
    assert problems("Bonjour {prenom} et {lien}") == []


def test_teams_without_a_channel_is_refused(tenancy, paths):
    with pytest.raises(CampaignError) as refused:
        create_campaign(actor=tenancy.ld_lead, data=_data(paths, channels=["email", "teams"]))
    assert refused.value.field == "teams_channel"
