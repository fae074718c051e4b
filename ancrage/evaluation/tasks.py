"""Background work of evaluation: refresh the rollups, ask follow-up surveys (idempotent)."""

from django.tasks import task

from ancrage.evaluation.actions import ask_follow_up_surveys, refresh_rollups
from ancrage.tenancy.models import Organisation


@task()
def refresh_all_rollups() -> int:
    """Recompute every organisation's dashboard figures."""
    return sum(refresh_rollups(organisation=org) for org in Organisation.objects.all())


@task()
def ask_due_surveys() -> int:
    return len(ask_follow_up_surveys())
