"""Home test fixtures: a running themed week at Alpha with real activity and rollups."""

from datetime import datetime, time, timedelta
from itertools import count

import pytest
from django.utils import timezone

from ancrage.engagement.actions import CampaignInput, EventInput, create_campaign
from ancrage.engagement.models import Campaign, CampaignStatus
from ancrage.engagement.tests.activity import finish, start
from ancrage.engagement.tests.conftest import add_people
from ancrage.evaluation.actions import refresh_rollups
from ancrage.licensing.tests.factories import make_path

_codes = count(1)


def running(actor, title, *, everyone=True, teams=(), event=True) -> Campaign:
    today = timezone.localdate()
    path = make_path(f"P-{next(_codes)}", title=f"Parcours {title}")
    campaign = create_campaign(
        actor=actor,
        data=CampaignInput(
            title=title,
            strategic_stake="Prendre soin les uns des autres",
            starts_on=today - timedelta(days=2),
            ends_on=today + timedelta(days=2),
            everyone=everyone,
            teams=teams,
            paths=[path],
            event=EventInput(theme="qvt", participation_target=40, daily_card_time=time(9))
            if event
            else None,
        ),
    )
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.RUNNING)
    campaign.refresh_from_db()
    return campaign


def morning() -> datetime:
    return timezone.now() - timedelta(hours=1)


@pytest.fixture
def qvt_week(tenancy):
    """A running themed week for everyone at Alpha (6 + 6 people): 6 start, 3 finish."""
    people = [
        tenancy.owner,
        tenancy.teammate,
        tenancy.manager,
        *add_people(tenancy, tenancy.team_a, 3, "sc"),
        *add_people(tenancy, tenancy.team_a2, 3, "ve"),
    ]
    campaign = running(tenancy.ld_lead, "Semaine de la qualité de vie au travail")
    path = campaign.paths.get()
    for index, person in enumerate(people[:6]):
        enrolment = start(person, path, morning())
        if index < 3:
            finish(enrolment, morning(), survey=("this_week", "planned", "can_ask"))
    refresh_rollups(organisation=tenancy.org_a)
    return campaign
