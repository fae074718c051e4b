"""Slot arithmetic of rituals: pure functions over local wall-clock times, no database.

A ritual says "on these weekdays, at this local time, in this time zone". Its occurrences are
computed in the learner's zone and converted to UTC one by one, so a Monday 9:30 ritual in
Paris is at 07:30 UTC in summer and 08:30 UTC in winter, and a New York one follows New
York's own change dates. A local time that does not exist on a spring-forward day (02:30 in
Paris on the last Sunday of March) happens at the first instant after the gap (03:30); on
the autumn day when it happens twice, it happens once, at the first of the two.
"""

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


COMMON_ZONES = (
    "Europe/Paris",
    "Europe/Brussels",
    "Europe/Luxembourg",
    "Europe/Zurich",
    "Europe/Monaco",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Madrid",
    "Europe/Berlin",
    "Europe/Rome",
    "Europe/Amsterdam",
    "Europe/Warsaw",
    "Europe/Athens",
    "Europe/Bucharest",
    "Europe/Istanbul",
    "Africa/Casablanca",
    "Africa/Algiers",
    "Africa/Tunis",
    "Africa/Dakar",
    "Africa/Abidjan",
    "Africa/Douala",
    "Africa/Kinshasa",
    "Indian/Reunion",
    "Indian/Mayotte",
    "Indian/Mauritius",
    "America/Martinique",
    "America/Guadeloupe",
    "America/Cayenne",
    "America/Montreal",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Noumea",
    "Pacific/Tahiti",
)


def zone_choices(current: str = "") -> list[tuple[str, str]]:
    """The zones offered in forms (a short list a phone can scroll), plus `current`."""
    names = list(COMMON_ZONES)
    if current and current not in names and current in zone_names():
        names.insert(0, current)
    return [(name, name.replace("_", " ")) for name in names]


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name (Region/City), sorted."""
    return tuple(
        sorted(
            name
            for name in available_timezones()
            if "/" in name and not name.startswith(("Etc/", "SystemV/", "posix/", "right/"))
        )
    )


def local_slot(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of `at` on `day` in `zone` (after the gap when `at` does not exist)."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def next_slot(*, weekdays: list[int], at: time, zone: ZoneInfo, after: datetime) -> datetime | None:
    """The first occurrence strictly after `after` (UTC), or None without weekdays."""
    if not weekdays:
        return None
    start = after.astimezone(zone).date()
    for offset in range(0, 9):
        day = start + timedelta(days=offset)
        if day.weekday() not in weekdays:
            continue
        slot = local_slot(day, at, zone)
        if slot > after:
            return slot
    return None  # pragma: no cover — 9 days always contain every weekday


def in_quiet_hours(moment: time, quiet_start: time, quiet_end: time) -> bool:
    """True when `moment` falls in [quiet_start, quiet_end), which may span midnight."""
    if quiet_start == quiet_end:
        return False
    if quiet_start < quiet_end:
        return quiet_start <= moment < quiet_end
    return moment >= quiet_start or moment < quiet_end


def slot_touches_quiet_hours(at: time, minutes: int, quiet_start: time, quiet_end: time) -> bool:
    """True when any minute of [at, at + minutes) is inside the quiet hours."""
    base = datetime.combine(date(2000, 1, 3), at)
    return any(
        in_quiet_hours((base + timedelta(minutes=m)).time(), quiet_start, quiet_end)
        for m in range(minutes)
    )


def occurrence_key(ritual_id: object, slot_at: datetime, zone: ZoneInfo) -> str:
    """One reminder per ritual per occurrence: ritual + local date + local slot time."""
    local = slot_at.astimezone(zone)
    return f"ritual:{ritual_id}:{local.date().isoformat()}:{local.strftime('%H:%M')}"


def rrule_for(weekdays: list[int]) -> dict[str, object]:
    """The iCalendar recurrence: every day, or weekly on the chosen days."""
    if sorted(set(weekdays)) == list(range(7)):
        return {"freq": "daily"}
    return {"freq": "weekly", "byday": [WEEKDAY_CODES[d] for d in sorted(set(weekdays))]}
