"""Periodic jobs of campaigns and themed events (run by `ancrage schedule`)."""

from datetime import datetime, timedelta

from ancrage.common.schedule import periodic
from ancrage.engagement.actions import run_tick
from ancrage.engagement.recognition import actions as recognition


@periodic(name="engagement.tick", every=timedelta(minutes=1))
def tick(now: datetime) -> str:
    """Send due campaign messages, close finished campaigns, retry failed deliveries."""
    report = run_tick(now=now)
    return (
        f"{report.messages_sent} message(s) to {report.recipients} recipient(s), "
        f"{report.campaigns_closed} campaign(s) closed, {report.retries} delivery retry(ies)"
    )


@periodic(name="engagement.propose_recognitions", every=timedelta(hours=1))
def propose_recognitions(now: datetime) -> str:
    """Propose each active recognition rule to the people who meet it (once per period)."""
    return f"{recognition.propose_recognitions(now=now)} recognition(s) proposed"
