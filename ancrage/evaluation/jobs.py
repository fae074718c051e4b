"""Periodic jobs of evaluation: dashboard rollups and follow-up surveys (`ancrage schedule`)."""

from datetime import datetime, timedelta

from ancrage.common.schedule import periodic
from ancrage.evaluation.actions import ask_follow_up_surveys, refresh_rollups
from ancrage.tenancy.models import Organisation


@periodic(name="evaluation.refresh_rollups", every=timedelta(hours=1))
def refresh_all_rollups(now: datetime) -> str:
    """Dashboards read rollups, never raw statements: refresh every organisation's figures."""
    figures = sum(
        refresh_rollups(organisation=organisation, now=now)
        for organisation in Organisation.objects.all()
    )
    return f"{figures} figure(s) written"


@periodic(name="evaluation.ask_follow_up_surveys", every=timedelta(hours=1))
def ask_due_surveys(now: datetime) -> str:
    """The L3 self-report at +30 days and the success-case survey at +90 days, once each."""
    return f"{len(ask_follow_up_surveys(now=now))} survey(s) asked"
