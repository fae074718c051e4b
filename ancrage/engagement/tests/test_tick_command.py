"""`ancrage engagement_tick`: the scheduler as cron runs it, with a moment to replay."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from ancrage.engagement.actions import CampaignInput, create_campaign, schedule_campaign

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def test_the_command_sends_what_is_due_at_the_given_moment(
    tenancy, paths, smtp_server, django_capture_on_commit_callbacks
):
    with time_machine.travel(datetime(2027, 3, 10, 9, tzinfo=PARIS), tick=False):
        campaign = create_campaign(
            actor=tenancy.ld_lead,
            data=CampaignInput(
                title="IA générative : démystifier",
                strategic_stake="Démystifier les IA génératives",
                starts_on=date(2027, 3, 15),
                ends_on=date(2027, 3, 26),
                teams=[tenancy.team_a2],
                paths=paths[:1],
            ),
        )
        schedule_campaign(campaign=campaign)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("engagement_tick", "--now", "2027-03-12T10:00+01:00", stdout=out)
    assert "messages sent: 1, recipients: 3" in out.getvalue()
    assert {r for m in smtp_server.received for r in m.rcpt_tos} == {
        "outsider@alpha.test",
        "ld@alpha.test",
        "admin@alpha.test",
    }


def test_a_bad_moment_exits_2_naming_the_option(db):
    with pytest.raises(CommandError) as refused:
        call_command("engagement_tick", "--now", "mardi prochain")
    assert refused.value.returncode == 2
    assert "--now" in str(refused.value)
