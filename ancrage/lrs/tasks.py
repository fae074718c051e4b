"""Background work of the LRS: forwarding statements to an organisation's own LRS."""

from django.tasks import task

from ancrage.lrs.forwarding import forward_item


@task
def forward_outbox(outbox_id: int) -> bool:
    return forward_item(outbox_id)
