"""Periodic jobs of licensing (run by `ancrage schedule`)."""

from datetime import datetime, timedelta

from django.utils import timezone

from ancrage.common.schedule import periodic
from ancrage.licensing.expiry import expire_licences


@periodic(name="licensing.expire_licences", every=timedelta(hours=1))
def expire(now: datetime) -> str:
    """Record `expired` on licences past their last day (access never waited for it)."""
    return f"{expire_licences(today=timezone.localdate(now))} licence(s) expired"
