"""A ritual lands in the learner's calendar as one recurring series (RRULE, TZID, one UID),
updated when moved and cancelled when stopped; the reminder email links to what is next
and carries one-tap snooze and stop links that work without signing in."""

from datetime import UTC, datetime, time, timedelta

import icalendar
import pytest
import time_machine
from django.utils import timezone

from ancrage.habits.actions import create_recall_items, stop_ritual
from ancrage.habits.models import RecallItem, Ritual, RitualState
from ancrage.habits.reminders import send_ritual_reminders
from ancrage.habits.tests.conftest import MODULE, make_ritual
from ancrage.habits.tokens import read_ritual_token, ritual_token
from ancrage.notify.emails import render_email
from ancrage.notify.models import OutboundMessage

pytestmark = pytest.mark.django_db


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def _invitations(owner):
    rows = OutboundMessage.objects.filter(
        membership=owner, payload__template="notify/email/calendar_invitation"
    ).order_by("created_at")
    return [
        (row.payload["method"], icalendar.Calendar.from_ical(row.payload["ics"])) for row in rows
    ]


def _event(calendar):
    [event] = calendar.walk("VEVENT")
    return event


def test_a_ritual_is_one_recurring_series_moved_and_cancelled_by_uid(tenancy):
    ritual = make_ritual(tenancy.owner, now=_utc(2026, 3, 25, 12, 0))
    [(method, calendar)] = _invitations(tenancy.owner)
    entry = _event(calendar)
    assert method == "REQUEST"
    assert str(entry["UID"]) == f"ritual-{ritual.pk}@ancrage"
    assert entry["DTSTART"].params["TZID"] == "Europe/Paris"
    start = entry.decoded("DTSTART")
    assert (start.weekday(), start.hour, start.minute) == (0, 9, 30)
    assert entry.decoded("DTEND") - start == timedelta(minutes=10)
    assert entry["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=MO"
    assert "après le stand-up du lundi" in str(entry["SUMMARY"])

    # Moving it (Tuesday and Thursday at 14:00) updates the same series.
    moved = make_ritual(
        tenancy.owner, now=_utc(2026, 3, 26, 12, 0), weekdays=[1, 3], at=time(14, 0)
    )
    assert moved.pk == ritual.pk
    method, calendar = _invitations(tenancy.owner)[-1]
    entry = _event(calendar)
    assert (method, str(entry["UID"]), int(entry["SEQUENCE"])) == (
        "REQUEST",
        f"ritual-{ritual.pk}@ancrage",
        1,
    )
    assert entry["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=TU,TH"
    assert entry.decoded("DTSTART").hour == 14

    stop_ritual(ritual=moved, now=_utc(2026, 3, 27, 12, 0))
    method, calendar = _invitations(tenancy.owner)[-1]
    entry = _event(calendar)
    assert method == "CANCEL"
    assert str(entry["UID"]) == f"ritual-{ritual.pk}@ancrage"
    assert int(entry["SEQUENCE"]) == 2
    assert str(entry["STATUS"]) == "CANCELLED"
    assert len(_invitations(tenancy.owner)) == 3


def test_saving_the_same_ritual_again_sends_no_second_invitation(tenancy):
    make_ritual(tenancy.owner, now=_utc(2026, 3, 25, 12, 0))
    make_ritual(tenancy.owner, now=_utc(2026, 3, 25, 12, 5))
    assert len(_invitations(tenancy.owner)) == 1


def test_the_reminder_links_to_the_recall_items_due(tenancy, licensed, demo_path):
    ritual = make_ritual(tenancy.owner, now=_utc(2026, 3, 25, 12, 0))
    create_recall_items(
        learner=tenancy.owner,
        path=demo_path,
        module_slug=MODULE,
        completed_at=_utc(2026, 3, 27, 10, 0),
    )
    send_ritual_reminders(now=_utc(2026, 3, 30, 7, 31))
    message = OutboundMessage.objects.get(idempotency_key__startswith=f"ritual:{ritual.pk}:")
    context = message.payload["context"]
    assert context["recall_count"] == 2
    assert context["recall_url"].endswith("/habits/recall/")
    assert read_ritual_token(context["snooze_hour_url"].rstrip("/").rsplit("/", 1)[-1]).action == (
        "hour"
    )
    email = render_email(message)
    assert "après le stand-up du lundi" in email.subject
    assert context["recall_url"] in email.body
    assert context["stop_url"] in email.body
    html = email.alternatives[0][0]
    assert context["snooze_tomorrow_url"] in str(html)


def test_the_reminder_links_to_the_next_card_of_the_path_in_progress(tenancy, licensed, demo_path):
    from ancrage.player.actions import start_path

    start_path(membership=tenancy.owner, path=demo_path, origin="self")
    ritual = make_ritual(tenancy.owner, now=timezone.now())
    assert ritual.next_slot_at is not None
    send_ritual_reminders(now=ritual.next_slot_at + timedelta(minutes=1))
    message = OutboundMessage.objects.get(idempotency_key__startswith=f"ritual:{ritual.pk}:")
    assert RecallItem.objects.count() == 0
    assert "/play/ECOUTE-ACTIVE/?card=" in message.payload["context"]["next_url"]


def test_snooze_one_hour_from_the_email_link_reminds_again_an_hour_later(tenancy, client):
    ritual = make_ritual(tenancy.owner, now=_utc(2026, 3, 25, 12, 0))
    send_ritual_reminders(now=_utc(2026, 3, 30, 7, 31))
    token = ritual_token(ritual.pk, "hour", _utc(2026, 3, 30, 7, 30))
    with time_machine.travel(_utc(2026, 3, 30, 7, 33), tick=False):
        page = client.get(f"/habits/r/{token}/")  # a mail scanner's GET changes nothing
        assert page.status_code == 200
        ritual.refresh_from_db()
        assert ritual.next_slot_at == _utc(2026, 4, 6, 7, 30)
        done = client.post(f"/habits/r/{token}/")
    assert done.status_code == 200
    ritual.refresh_from_db()
    assert ritual.next_slot_at == _utc(2026, 3, 30, 8, 33)
    assert send_ritual_reminders(now=_utc(2026, 3, 30, 8, 34))["sent"] == 1
    keys = sorted(
        OutboundMessage.objects.filter(idempotency_key__startswith="ritual:").values_list(
            "idempotency_key", flat=True
        )
    )
    assert [k.rsplit(":", 3)[1:] for k in keys] == [
        ["2026-03-30", "09", "30"],
        ["2026-03-30", "10", "33"],
    ]
    ritual.refresh_from_db()
    assert ritual.next_slot_at == _utc(2026, 4, 6, 7, 30)  # the regular rhythm resumes


def test_snooze_into_quiet_hours_is_refused_with_a_reason(tenancy, client):
    ritual = make_ritual(tenancy.owner, now=_utc(2026, 3, 25, 12, 0), at=time(19, 0))
    token = ritual_token(ritual.pk, "hour", ritual.next_slot_at)
    with time_machine.travel(_utc(2026, 3, 30, 17, 2), tick=False):
        refused = client.post(f"/habits/r/{token}/")
    assert refused.status_code == 409
    assert "quiet hours" in refused.content.decode() or "calme" in refused.content.decode()


def test_snooze_to_tomorrow_and_stop_from_the_email(tenancy, client):
    ritual = make_ritual(tenancy.owner, now=_utc(2026, 3, 25, 12, 0))
    slot = _utc(2026, 3, 30, 7, 30)
    with time_machine.travel(_utc(2026, 3, 30, 7, 35), tick=False):
        client.post(f"/habits/r/{ritual_token(ritual.pk, 'tomorrow', slot)}/")
    ritual.refresh_from_db()
    assert ritual.next_slot_at == _utc(2026, 3, 31, 7, 30)  # Tuesday 09:30 in Paris
    with time_machine.travel(_utc(2026, 3, 30, 7, 36), tick=False):
        client.post(f"/habits/r/{ritual_token(ritual.pk, 'stop')}/")
    ritual.refresh_from_db()
    assert ritual.state == RitualState.STOPPED
    assert send_ritual_reminders(now=_utc(2026, 3, 31, 7, 31))["sent"] == 0


def test_forged_or_expired_links_are_refused(tenancy, client):
    ritual = make_ritual(tenancy.owner, now=_utc(2026, 3, 25, 12, 0))
    assert client.post("/habits/r/forged-token/").status_code == 404
    with time_machine.travel(_utc(2026, 3, 20, 12, 0), tick=False):
        old = ritual_token(ritual.pk, "hour", _utc(2026, 3, 23, 8, 30))
    with time_machine.travel(_utc(2026, 3, 30, 12, 0), tick=False):
        assert client.post(f"/habits/r/{old}/").status_code == 404
    assert Ritual.objects.get(pk=ritual.pk).state == RitualState.ACTIVE


def test_the_learner_moves_snoozes_and_stops_from_the_page(tenancy):
    client = tenancy.client_for(tenancy.owner)
    with time_machine.travel(_utc(2026, 3, 25, 12, 0), tick=False):
        bad = client.post(
            "/habits/ritual/",
            {
                "frequency": "weekly",
                "weekdays": ["0", "2"],
                "local_time": "09:30",
                "minutes": "5",
                "time_zone": "Europe/Paris",
            },
        )
        assert bad.status_code == 400
        assert "exactly one day" in bad.content.decode() or "un seul jour" in bad.content.decode()
        ok = client.post(
            "/habits/ritual/",
            {
                "frequency": "weekly",
                "weekdays": ["0"],
                "local_time": "09:30",
                "minutes": "5",
                "cue": "après le stand-up du lundi",
                "time_zone": "Europe/Paris",
            },
        )
        assert ok.status_code == 302
        ritual = Ritual.objects.get(learner=tenancy.owner)
        page = client.get("/habits/")
        assert page.status_code == 200
        assert "après le stand-up du lundi" in page.content.decode()
        client.post(f"/habits/ritual/{ritual.pk}/snooze", {"until": "hour"})
        ritual.refresh_from_db()
        assert ritual.next_slot_at == _utc(2026, 3, 30, 8, 30)
        client.post(f"/habits/ritual/{ritual.pk}/stop")
        ritual.refresh_from_db()
        assert ritual.state == RitualState.STOPPED
