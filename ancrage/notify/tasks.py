"""Background work of notify (Django Tasks API): delivering recorded messages, retrying."""

from django.tasks import task

from ancrage.notify.delivery import deliver


@task()
def deliver_outbound_messages(message_ids: list[str]) -> dict[str, int]:
    """Deliver a batch of recorded messages over one SMTP connection; idempotent per row."""
    return deliver(message_ids)
