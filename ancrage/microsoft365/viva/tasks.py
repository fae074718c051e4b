"""Background work of the Viva Learning sync (Django Tasks API); idempotent per object."""

from django.tasks import task

from ancrage.microsoft365.models import Microsoft365Settings
from ancrage.microsoft365.viva.sync import sync_organisation


@task()
def sync_viva_learning(organisation_id: str) -> str:
    """Sync one organisation, if it is connected to Viva Learning."""
    config = (
        Microsoft365Settings.objects.select_related("organisation")
        .filter(organisation_id=organisation_id, viva_enabled=True)
        .first()
    )
    if config is None:
        return "not connected"
    return sync_organisation(config).summary()
