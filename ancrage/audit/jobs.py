"""Periodic job of the audit log: entries older than 12 months are removed, daily."""

from datetime import datetime, timedelta

from ancrage.audit.models import RETENTION, AuditEntry
from ancrage.common.schedule import periodic


@periodic(name="audit.purge_old", every=timedelta(days=1))
def purge_old(now: datetime) -> str:
    count = AuditEntry.objects.purge_before(now - RETENTION)
    return f"{count} audit entrie(s) older than 12 months removed"
