"""A themed week on a controlled clock: the kick-off session as a calendar invitation
(updated, then cancelled, by UID), the kick-off message, and a Teams card each working day."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine

from ancrage.engagement.actions import (
    CampaignError,
    CampaignInput,
    EventInput,
    cancel_campaign,
    create_campaign,
    pause_campaign,
    schedule_campaign,
    update_campaign,
)
from ancrage.engagement.forms import EventForm
from ancrage.engagement.models import MessageKind

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, month, day, hour, minute, tzinfo=PARIS)


def calendar_entry(message):
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    calendar = icalendar.Calendar.from_ical(part.get_content())
    [entry] = calendar.walk("VEVENT")
    return part.get_param("method"), entry


def event_input(tenancy, paths, channel, kickoff):
    return CampaignInput(
        title="Semaine de la qualité de vie au travail",
        strategic_stake="Accord QVT 2027",
        starts_on=date(2027, 3, 29),  # Monday, the day after the switch to summer time
        ends_on=date(2027, 4, 2),
        everyone=True,
        paths=paths,
        channels=["email", "teams"],
        teams_channel=channel,
        event=EventInput(
            theme="qvt",
            participation_target=40,
            daily_card_time=time(9, 0),
            kickoff_starts_at=kickoff,
            kickoff_minutes=30,
            kickoff_location="Salle Innovation",
        ),
    )


def test_a_themed_week_invites_updates_and_posts_its_daily_cards(
    tenancy,
    paths,
    teams_channel,
    smtp_server,
    webhook_receiver,
    tick,
    django_capture_on_commit_callbacks,
):
    with (
        time_machine.travel(at(3, 15, 9), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        campaign = create_campaign(
            actor=tenancy.ld_lead,
            data=event_input(tenancy, paths, teams_channel, at(3, 29, 9, 30)),
        )
        cards = campaign.messages.filter(kind=MessageKind.DAILY_CARD).order_by("send_at")
        assert [timezone_local(c.send_at) for c in cards] == [
            at(3, 29, 9),
            at(3, 30, 9),
            at(3, 31, 9),
            at(4, 1, 9),
            at(4, 2, 9),
        ]
        assert [c.path for c in cards] == [paths[0], paths[1], paths[0], paths[1], paths[0]]
        schedule_campaign(campaign=campaign)

    # Scheduling sends the kick-off session to everyone as a calendar invitation.
    invitation = smtp_server.wait_for(to="owner@alpha.test")
    method, entry = calendar_entry(invitation)
    assert method == "REQUEST"
    event = campaign.event
    assert str(entry["UID"]) == event.calendar_uid
    assert int(entry["SEQUENCE"]) == 0
    start = entry.decoded("DTSTART")
    assert entry["DTSTART"].params["TZID"] == "Europe/Paris"
    assert (start.hour, start.minute, start.utcoffset()) == (9, 30, timedelta(hours=2))
    assert len(smtp_server.messages) == 6

    # The L&D lead pauses, moves the kick-off to 10:00 and schedules again: an update.
    with (
        time_machine.travel(at(3, 16, 9), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        pause_campaign(campaign=campaign)
        update_campaign(
            campaign=campaign,
            data=event_input(tenancy, paths, teams_channel, at(3, 29, 10)),
        )
        schedule_campaign(campaign=campaign)
    method, entry = calendar_entry(smtp_server.messages_to("owner@alpha.test")[-1])
    assert method == "REQUEST"
    assert str(entry["UID"]) == event.calendar_uid
    assert int(entry["SEQUENCE"]) == 1
    assert entry.decoded("DTSTART").hour == 10
    assert len(smtp_server.messages) == 12

    tick(at(3, 22, 10))  # announcement, a week before
    smtp_server.clear()
    tick(at(3, 29, 8, 30))  # kick-off message
    kickoff = smtp_server.wait_for(to="owner@alpha.test")
    assert kickoff["Subject"] == "Semaine de la qualité de vie au travail : c'est parti !"
    assert "que 40 % d'entre nous" in smtp_server.text_body(kickoff)

    for day in (
        date(2027, 3, 29),
        date(2027, 3, 30),
        date(2027, 3, 31),
        date(2027, 4, 1),
        date(2027, 4, 2),
    ):
        tick(datetime.combine(day, time(9, 0), tzinfo=PARIS))
        tick(datetime.combine(day, time(9, 0), tzinfo=PARIS))  # the scheduler runs twice

    daily = [
        r.json["attachments"][0]["content"]
        for r in webhook_receiver.requests
        if r.json["attachments"][0]["content"]["body"][0]["text"].endswith("le parcours du jour")
    ]
    assert len(daily) == 5
    assert any(
        t.startswith("Aujourd'hui : Agir pour le climat au quotidien.") for t in _texts(daily[0])
    )
    assert any(
        t.startswith("Aujourd'hui : Sobriété numérique en équipe.") for t in _texts(daily[1])
    )
    # Announcement, kick-off and the reminder went to Teams too; no card twice.
    texts = [
        r.json["attachments"][0]["content"]["body"][0]["text"] for r in webhook_receiver.requests
    ]
    assert len(texts) == len(set(texts)) + 4  # the five daily cards share one title
    assert set(campaign.messages.values_list("status", flat=True)) == {"sent"}


def _texts(element: object) -> list[str]:
    """Every TextBlock text of an Adaptive Card, in reading order (containers included)."""
    if isinstance(element, list):
        return [text for item in element for text in _texts(item)]
    if not isinstance(element, dict):
        return []
    found = [str(element["text"])] if element.get("type") == "TextBlock" else []
    for key in ("body", "items", "columns"):
        found += _texts(element.get(key, []))
    return found


def test_cancelling_the_event_cancels_the_invitation_by_uid(
    tenancy, paths, teams_channel, smtp_server, tick, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(at(3, 15, 9), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        campaign = create_campaign(
            actor=tenancy.ld_lead,
            data=event_input(tenancy, paths, teams_channel, at(3, 29, 9, 30)),
        )
        schedule_campaign(campaign=campaign)
        cancel_campaign(campaign=campaign)
    method, entry = calendar_entry(smtp_server.messages_to("teammate@alpha.test")[-1])
    assert method == "CANCEL"
    assert str(entry["UID"]) == campaign.event.calendar_uid
    assert str(entry["STATUS"]) == "CANCELLED"
    assert int(entry["SEQUENCE"]) == 1
    smtp_server.clear()
    tick(at(3, 22, 10))
    tick(at(3, 29, 9))
    assert smtp_server.messages == []
    with pytest.raises(CampaignError) as refused:  # an event is called an event
        cancel_campaign(campaign=campaign)
    assert str(refused.value) == "This event is already over."  # English here (conftest)


def test_an_event_without_audience_is_refused_as_an_event(tenancy, paths, teams_channel):
    data = event_input(tenancy, paths, teams_channel, at(3, 29, 9, 30))
    data.everyone = False
    with pytest.raises(CampaignError) as refused:
        create_campaign(actor=tenancy.ld_lead, data=data)
    assert str(refused.value) == (
        "This event has no audience: choose everyone, some teams or some roles."
    )


def test_the_event_form_refuses_a_target_outside_1_to_100(tenancy, paths):
    form = EventForm(
        {
            "title": "Semaine de l'intelligence collective",
            "theme": "collective_intelligence",
            "strategic_stake": "Coopérer entre équipes",
            "starts_on": "2027-06-07",
            "ends_on": "2027-06-11",
            "participation_target": "140",
            "everyone": "on",
            "channels": ["email"],
            "kickoff_minutes": "30",
        },
        actor=tenancy.ld_lead,
    )
    assert not form.is_valid()
    assert "participation_target" in form.errors


def timezone_local(value: datetime) -> datetime:
    return value.astimezone(PARIS)
