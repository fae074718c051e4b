"""Calendar invitations: a real .ics (parsed back with icalendar) in Europe/Paris time,
updates that bump SEQUENCE, and cancellation by UID."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from ancrage.notify.actions import (
    cancel_calendar_event,
    save_calendar_event,
    send_calendar_invitation,
)
from ancrage.notify.models import Channel, OutboundMessage

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def _calendar_of(smtp_server, message):
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert parts, "no text/calendar part"
    part = parts[0]
    calendar = icalendar.Calendar.from_ical(part.get_content())
    return part, calendar


def _event(calendar):
    [event] = calendar.walk("VEVENT")
    return event


def _save(tenancy, starts_at):
    return save_calendar_event(
        organisation=tenancy.org_a,
        uid="kickoff-qvt@ancrage",
        summary="Semaine QVT — lancement",
        description="Trente minutes pour lancer la semaine.",
        location="Salle Innovation",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=30),
        url="https://ancrage.test/engagement/join/1/",
    )


def test_an_invitation_is_a_request_in_paris_time_across_daylight_saving(
    tenancy, smtp_server, django_capture_on_commit_callbacks
):
    # 30 March 2027 is after the switch to summer time (28 March): UTC+2.
    summer = datetime(2027, 3, 30, 9, 30, tzinfo=PARIS)
    event = _save(tenancy, summer)
    with django_capture_on_commit_callbacks(execute=True):
        send_calendar_invitation(event=event, attendees=[tenancy.owner], language="fr")

    message = smtp_server.wait_for(to="owner@alpha.test")
    assert message["Subject"].startswith("Invitation")
    part, calendar = _calendar_of(smtp_server, message)
    assert part.get_param("method") == "REQUEST"
    assert str(calendar["METHOD"]) == "REQUEST"
    entry = _event(calendar)
    assert str(entry["UID"]) == "kickoff-qvt@ancrage"
    assert int(entry["SEQUENCE"]) == 0
    start = entry.decoded("DTSTART")
    assert entry["DTSTART"].params["TZID"] == "Europe/Paris"
    assert (start.hour, start.minute) == (9, 30)
    assert start.utcoffset() == timedelta(hours=2)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert "owner@alpha.test" in str(entry["ATTENDEE"])
    assert str(entry["LOCATION"]) == "Salle Innovation"
    assert "Salle Innovation" in smtp_server.text_body(message)
    assert any(p.get_filename() == "invitation.ics" for p in message.walk())
    row = OutboundMessage.objects.get(recipient="owner@alpha.test")
    assert row.channel == Channel.CALENDAR


def test_an_update_keeps_the_uid_and_bumps_the_sequence(
    tenancy, smtp_server, django_capture_on_commit_callbacks
):
    winter = datetime(2027, 3, 23, 9, 30, tzinfo=PARIS)  # before the change: UTC+1
    event = _save(tenancy, winter)
    with django_capture_on_commit_callbacks(execute=True):
        send_calendar_invitation(event=event, attendees=[tenancy.owner])
    _part, first = _calendar_of(smtp_server, smtp_server.wait_for(to="owner@alpha.test"))
    assert _event(first).decoded("DTSTART").utcoffset() == timedelta(hours=1)

    moved = _save(tenancy, winter + timedelta(days=7))  # same UID, one week later (summer)
    assert moved.pk == event.pk
    assert moved.sequence == 1
    with django_capture_on_commit_callbacks(execute=True):
        send_calendar_invitation(event=moved, attendees=[tenancy.owner])
        send_calendar_invitation(event=moved, attendees=[tenancy.owner])  # a double click

    messages = smtp_server.messages_to("owner@alpha.test")
    assert len(messages) == 2
    assert messages[1]["Subject"] != messages[0]["Subject"]  # says it is an update
    assert "Semaine QVT — lancement" in messages[1]["Subject"]
    _part, second = _calendar_of(smtp_server, messages[1])
    entry = _event(second)
    assert str(entry["UID"]) == "kickoff-qvt@ancrage"
    assert int(entry["SEQUENCE"]) == 1
    start = entry.decoded("DTSTART")
    assert (start.hour, start.minute, start.utcoffset()) == (9, 30, timedelta(hours=2))

    unchanged = _save(tenancy, winter + timedelta(days=7))  # saving the same again: no bump
    assert unchanged.sequence == 1


def test_a_cancellation_names_the_same_uid(
    tenancy, smtp_server, django_capture_on_commit_callbacks
):
    event = _save(tenancy, datetime(2027, 6, 1, 14, 0, tzinfo=PARIS))
    with django_capture_on_commit_callbacks(execute=True):
        send_calendar_invitation(event=event, attendees=[tenancy.owner, tenancy.teammate])
        cancel_calendar_event(event=event, attendees=[tenancy.owner, tenancy.teammate])

    for address in ("owner@alpha.test", "teammate@alpha.test"):
        cancel = smtp_server.messages_to(address)[-1]
        part, calendar = _calendar_of(smtp_server, cancel)
        assert part.get_param("method") == "CANCEL"
        assert str(calendar["METHOD"]) == "CANCEL"
        entry = _event(calendar)
        assert str(entry["UID"]) == "kickoff-qvt@ancrage"
        assert str(entry["STATUS"]) == "CANCELLED"
        assert int(entry["SEQUENCE"]) == 1
    event.refresh_from_db()
    assert event.cancelled_at is not None


def test_a_person_who_turned_invitations_off_gets_none(
    tenancy, smtp_server, django_capture_on_commit_callbacks
):
    from ancrage.notify.actions import set_preferences

    set_preferences(membership=tenancy.owner, campaigns=True, reminders=True, calendar=False)
    event = _save(tenancy, datetime(2027, 6, 1, 14, 0, tzinfo=PARIS))
    with django_capture_on_commit_callbacks(execute=True):
        send_calendar_invitation(event=event, attendees=[tenancy.owner, tenancy.teammate])
    smtp_server.wait_for(to="teammate@alpha.test")
    assert smtp_server.messages_to("owner@alpha.test") == []
