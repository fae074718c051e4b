"""Background work of licensing (Django Tasks API): seat-request emails, daily expiry."""

from django.conf import settings
from django.tasks import task

from ancrage.licensing.emails import deliver_seat_request
from ancrage.licensing.expiry import expire_licences


@task()
def send_seat_request_email(seat_request_id: str, language: str = "") -> bool:
    """Tell the L&D leads a learner found no seat; idempotent: a handled request sends nothing."""
    return deliver_seat_request(
        seat_request_id=seat_request_id, language=language or settings.LANGUAGE_CODE
    )


@task()
def expire_licences_task() -> int:
    """Daily: record `expired` on licences past their last day (`manage.py expire_licences`)."""
    return expire_licences()
