"""The daily expiry of licences: a write of its own so that tasks and commands share it."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from ancrage.licensing.models import Licence, LicenceStatus


def expire_licences(*, today: date | None = None) -> int:
    """Record `expired` on active licences whose last day has passed; returns how many.

    Idempotent. Access never waits for this (`Licence.is_effective` already refuses after
    the last day); it keeps the publisher's lists and the licence history truthful.
    """
    day = today or timezone.localdate()
    with transaction.atomic():
        return Licence.objects.filter(status=LicenceStatus.ACTIVE, ends_on__lt=day).update(
            status=LicenceStatus.EXPIRED, updated_at=timezone.now()
        )
