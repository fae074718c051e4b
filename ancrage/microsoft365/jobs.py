"""Periodic jobs of microsoft365 (registered with `ancrage.common.schedule`)."""

from datetime import datetime, timedelta

from ancrage.common.schedule import periodic
from ancrage.microsoft365.models import Microsoft365Settings
from ancrage.microsoft365.viva.tasks import sync_viva_learning


@periodic(name="microsoft365.sync_viva_learning", every=timedelta(hours=1))
def enqueue_viva_learning_syncs(now: datetime) -> str:
    """Enqueue one sync per organisation connected to Viva Learning."""
    ids = list(
        Microsoft365Settings.objects.filter(viva_enabled=True).values_list(
            "organisation_id", flat=True
        )
    )
    for organisation_id in ids:
        sync_viva_learning.enqueue(str(organisation_id))
    return f"{len(ids)} Viva Learning sync(s) enqueued"
