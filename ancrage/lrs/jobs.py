"""Periodic jobs of the LRS (run by `ancrage schedule`)."""

from datetime import datetime, timedelta

from ancrage.common.schedule import periodic
from ancrage.lrs.forwarding import forward_due


@periodic(name="lrs.forward_statements", every=timedelta(minutes=1))
def forward(now: datetime) -> str:
    """Retry statement forwarding to organisations' own LRSs whose next attempt is due."""
    return f"{forward_due()} outbox item(s) delivered"
