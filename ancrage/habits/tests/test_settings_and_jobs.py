"""The organisation's quiet hours and default time zone (L&D lead or admin only), and the
periodic jobs registered with the scheduler."""

from datetime import time

import pytest

from ancrage.common.schedule import registered_jobs
from ancrage.habits.models import HabitSettings

pytestmark = pytest.mark.django_db
VALUES = {"time_zone": "America/Montreal", "quiet_start": "21:00", "quiet_end": "07:30"}


@pytest.mark.parametrize("who", ["ld_lead", "admin"])
def test_the_ld_lead_or_admin_sets_quiet_hours_for_their_organisation_only(tenancy, who):
    client = tenancy.client_for(getattr(tenancy, who))
    assert client.get("/habits/settings/").status_code == 200
    assert client.post("/habits/settings/", VALUES).status_code == 302
    saved = HabitSettings.objects.get(organisation=tenancy.org_a)
    assert (saved.time_zone, saved.quiet_start, saved.quiet_end) == (
        "America/Montreal",
        time(21, 0),
        time(7, 30),
    )
    assert not HabitSettings.objects.filter(organisation=tenancy.org_b).exists()


@pytest.mark.parametrize("who", ["owner", "manager"])
def test_learners_and_managers_cannot_change_them(tenancy, who):
    client = tenancy.client_for(getattr(tenancy, who))
    assert client.get("/habits/settings/").status_code == 403
    assert client.post("/habits/settings/", VALUES).status_code == 403
    assert not HabitSettings.objects.exists()


def test_a_bad_value_is_refused_with_the_field_named(tenancy):
    client = tenancy.client_for(tenancy.ld_lead)
    response = client.post("/habits/settings/", {**VALUES, "time_zone": "Mars/Olympus"})
    assert response.status_code == 400
    assert not HabitSettings.objects.exists()


def test_the_habit_jobs_are_registered_with_the_scheduler():
    names = {job.name: job.every.total_seconds() for job in registered_jobs()}
    assert names["habits.send_ritual_reminders"] == 300
    assert names["habits.schedule_recall_items"] == 300
    assert "habits.optimise_recall_parameters" in names
