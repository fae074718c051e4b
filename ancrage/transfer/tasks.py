"""Background work of transfer: asking due check-ins (+1/+7/+30 days), idempotently."""

from django.tasks import task

from ancrage.transfer.actions import send_check_in_reminders


@task()
def ask_due_check_ins() -> int:
    """Mark passed plans due and email each check-in whose day has come, once."""
    return len(send_check_in_reminders())
