"""A campaign driven on a controlled clock: announcement, launch, myth-busting, reminder to
those who have not started, last call to those who have not finished — each to the real
SMTP peer and the Teams receiver at its time, never twice, and closed with its report."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from ancrage.engagement.actions import CampaignInput, create_campaign, schedule_campaign
from ancrage.engagement.models import CampaignStatus, EventReport, MessageKind, MessageStatus
from ancrage.notify.actions import unsubscribe
from ancrage.notify.models import DeliveryStatus, OutboundMessage, Topic
from ancrage.player.models import Enrolment, EnrolmentOrigin, EnrolmentStatus

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 3, day, hour, minute, tzinfo=PARIS)


def enrol(member, path, *, when, completed=None):
    version = path.versions.get(status="published")
    return Enrolment.objects.create(
        organisation=member.organisation,
        membership=member,
        path=path,
        path_version=version,
        origin=EnrolmentOrigin.CAMPAIGN,
        status=EnrolmentStatus.COMPLETED if completed else EnrolmentStatus.STARTED,
        started_at=when,
        completed_at=completed,
        last_activity_at=completed or when,
    )


def subjects(smtp_server, address):
    return [str(m["Subject"]) for m in smtp_server.messages_to(address)]


def test_a_campaign_sends_each_message_at_its_time_to_the_right_people(
    tenancy, paths, teams_channel, sub_member, smtp_server, webhook_receiver, tick
):
    data = CampaignInput(
        title="La transition écologique, c'est nous",
        strategic_stake="Plan climat 2030",
        starts_on=date(2027, 3, 15),
        ends_on=date(2027, 3, 26),
        teams=[tenancy.team_a],  # Service client and its sub-team
        paths=paths,
        channels=["email", "teams"],
        teams_channel=teams_channel,
    )
    with time_machine.travel(at(10, 9), tick=False):
        campaign = create_campaign(actor=tenancy.ld_lead, data=data)
        kinds = list(campaign.messages.order_by("send_at").values_list("kind", flat=True))
        assert kinds == ["announce", "launch", "myth", "reminder", "last_call"]
        schedule_campaign(campaign=campaign)
    audience = {"owner@alpha.test", "teammate@alpha.test", "manager@alpha.test", "nord@alpha.test"}

    # Nothing is due before the announcement (13 March, 10:00 — three days before).
    assert tick(at(12, 9, 59)).messages_sent == 0
    assert smtp_server.messages == []

    report = tick(at(12, 10))
    assert (report.messages_sent, report.recipients) == (1, 4)
    assert {r for m in smtp_server.received for r in m.rcpt_tos} == audience
    announce = smtp_server.wait_for(to="nord@alpha.test")
    assert (
        announce["Subject"] == "La transition écologique, c'est nous : rendez-vous le lundi 15 mars"
    )
    text = smtp_server.text_body(announce)
    assert text.startswith("Bonjour Nina,")
    assert "Notre enjeu : Plan climat 2030." in text
    assert "Agir pour le climat au quotidien, Sobriété numérique en équipe" in text
    assert f"/engagement/join/{campaign.pk}/" in text
    assert announce["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert smtp_server.messages_to("outsider@alpha.test") == []
    [card] = webhook_receiver.wait_for(count=1)
    content = card.json["attachments"][0]["content"]
    assert content["type"] == "AdaptiveCard"
    assert content["body"][0]["text"].startswith("La transition écologique, c'est nous")
    assert "Bonjour à toutes et à tous," in [b.get("text") for b in content["body"]]
    assert content["actions"][0]["url"].endswith(f"/engagement/join/{campaign.pk}/")

    # The scheduler runs again at the same moment (cron overlap, a second host): nothing new.
    assert tick(at(12, 10)).recipients == 0
    assert len(smtp_server.messages) == 4
    assert webhook_receiver.attempts == 1

    tick(at(15, 9))  # launch
    tick(at(17, 12, 30))  # myth-busting
    assert subjects(smtp_server, "owner@alpha.test")[1:] == [
        "C'est parti : La transition écologique, c'est nous",
        "Microlearning : trois idées reçues",
    ]
    myths = smtp_server.text_body(smtp_server.wait_for(to="owner@alpha.test"))
    assert "formation au rabais" in myths
    assert "small is beautiful" in myths
    assert "n'est pas magique" in myths

    # Before the reminder: Léa (owner) started a path; Tom (teammate) unsubscribed from reminders.
    enrolment = enrol(tenancy.owner, paths[0], when=at(16, 8))
    unsubscribe(membership=tenancy.teammate, topic=Topic.REMINDERS)
    smtp_server.clear()
    tick(at(20, 9))  # reminder, to those who have not started
    assert {r for m in smtp_server.received for r in m.rcpt_tos} == {
        "manager@alpha.test",
        "nord@alpha.test",
    }
    assert (
        smtp_server.wait_for(to="manager@alpha.test")["Subject"]
        == "Karim, votre parcours vous attend"
    )
    skipped = OutboundMessage.objects.get(membership=tenancy.teammate, topic=Topic.REMINDERS)
    assert skipped.status == DeliveryStatus.SKIPPED

    # Before the last call: Léa finished; Nina started but has not finished.
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status=EnrolmentStatus.COMPLETED, completed_at=at(22, 18)
    )
    enrol(sub_member, paths[1], when=at(23, 12))
    smtp_server.clear()
    tick(at(24, 9))  # last call, to those who have not finished
    assert {r for m in smtp_server.received for r in m.rcpt_tos} == {
        "manager@alpha.test",
        "nord@alpha.test",
    }
    last_call = smtp_server.wait_for(to="nord@alpha.test")
    assert last_call["Subject"].startswith("Dernier appel")
    assert "plan d'action" in smtp_server.text_body(last_call)

    # Reminders went by email only; announce, launch and myth-busting also to Teams.
    assert len(webhook_receiver.wait_for(count=3)) == 3
    assert webhook_receiver.attempts == 3

    # The day after the last day, the tick closes the campaign and freezes its final report.
    assert tick(at(27, 0, 5)).campaigns_closed == 1
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED
    final = EventReport.objects.get(campaign=campaign, final=True)
    assert final.figures["audience"] == 4
    assert final.figures["participants"] == 2
    assert final.figures["completions"] == 1
    assert set(campaign.messages.values_list("status", flat=True)) == {MessageStatus.SENT}
    assert campaign.messages.get(kind=MessageKind.LAST_CALL).recipient_count == 2


def test_a_paused_campaign_sends_nothing_until_it_is_scheduled_again(
    tenancy, paths, smtp_server, tick
):
    from ancrage.engagement.actions import pause_campaign

    data = CampaignInput(
        title="IA générative : démystifier",
        strategic_stake="Démystifier les IA génératives",
        starts_on=date(2027, 3, 15),
        ends_on=date(2027, 3, 26),
        everyone=True,
        paths=paths[:1],
    )
    with time_machine.travel(at(10, 9), tick=False):
        campaign = create_campaign(actor=tenancy.ld_lead, data=data)
        schedule_campaign(campaign=campaign)
        pause_campaign(campaign=campaign)
    assert tick(at(12, 10)).messages_sent == 0
    assert smtp_server.messages == []
    campaign.messages.filter(kind=MessageKind.ANNOUNCE).update(send_at=at(13, 10))
    with time_machine.travel(at(12, 11), tick=False):
        schedule_campaign(campaign=campaign)
    tick(at(13, 10))
    assert len(smtp_server.messages) == 6  # everyone active in Alpha
    assert smtp_server.messages_to("other@beta.test") == []
