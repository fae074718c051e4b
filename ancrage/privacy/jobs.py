"""Periodic job of privacy: each data kind's retention period, applied daily."""

from datetime import datetime, timedelta

from ancrage.common.schedule import periodic
from ancrage.privacy.actions import purge_expired as purge


@periodic(name="privacy.purge_expired", every=timedelta(days=1))
def purge_expired(now: datetime) -> str:
    done = purge(now=now)
    return f"{sum(done.values())} expired row(s) deleted or emptied"
