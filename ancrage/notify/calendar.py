"""Calendar invitations (RFC 5545 / iTIP): an .ics built with `icalendar` from a CalendarEvent.

Times are written in the event's own time zone (TZID=Europe/Paris by default) with its
VTIMEZONE, so Outlook and Google place a 9:30 session at 9:30 local time on both sides of
a daylight-saving change. An update is the same UID with a higher SEQUENCE and
METHOD:REQUEST; a cancellation is METHOD:CANCEL with STATUS:CANCELLED.
"""

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import icalendar

from ancrage.notify.models import CalendarEvent

PRODID = "-//Ancrage//Ancrage notify//FR"
REQUEST = "REQUEST"
CANCEL = "CANCEL"


def calendar_invitation(
    *,
    event: CalendarEvent,
    method: str,
    attendee_email: str,
    attendee_name: str,
    organiser_email: str,
    organiser_name: str,
    stamp: datetime,
    rrule: dict[str, Any] | None = None,
) -> str:
    """The iCalendar text of `event` for one attendee (METHOD:REQUEST or METHOD:CANCEL).

    `rrule` (e.g. {"freq": "weekly", "byday": ["MO"]}) makes it a recurring event; its
    occurrences follow DTSTART's wall-clock time in the event's TZID across DST changes.
    """
    if method not in (REQUEST, CANCEL):
        raise ValueError(f"Unsupported iTIP method: {method}")
    zone = ZoneInfo(event.time_zone)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)

    entry = icalendar.Event()
    entry.add("uid", event.uid)
    entry.add("sequence", event.sequence)
    entry.add("dtstamp", stamp.astimezone(UTC))
    entry.add("dtstart", event.starts_at.astimezone(zone))
    entry.add("dtend", event.ends_at.astimezone(zone))
    if rrule:
        entry.add("rrule", rrule)
    entry.add("summary", event.summary)
    if event.description:
        entry.add("description", event.description)
    if event.location:
        entry.add("location", event.location)
    if event.url:
        entry.add("url", event.url)
    entry.add("organizer", f"mailto:{organiser_email}", parameters={"CN": organiser_name})
    entry.add(
        "attendee",
        f"mailto:{attendee_email}",
        parameters={
            "CN": attendee_name or attendee_email,
            "ROLE": "REQ-PARTICIPANT",
            "PARTSTAT": "NEEDS-ACTION",
            "RSVP": "TRUE",
        },
    )
    if method == CANCEL:
        entry.add("status", "CANCELLED")
    else:
        entry.add("status", "CONFIRMED")
        entry.add("transp", "OPAQUE")
    calendar.add_component(entry)
    calendar.add_missing_timezones()
    return str(calendar.to_ical().decode("utf-8"))
