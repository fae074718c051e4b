"""Retention periods per data kind, applied by the daily `privacy.purge_expired` job."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from ancrage.accounts.models import User
from ancrage.common.schedule import registered_jobs
from ancrage.notify.models import Channel, OutboundMessage
from ancrage.privacy.actions import purge_expired as purge
from ancrage.privacy.jobs import purge_expired
from ancrage.tenancy.models import MembershipStatus
from ancrage.transfer.models import JournalEntry

pytestmark = pytest.mark.django_db
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _message(tenancy, key: str) -> OutboundMessage:  # type: ignore[no-untyped-def]
    return OutboundMessage.objects.create(
        organisation=tenancy.org_a,
        idempotency_key=key,
        channel=Channel.EMAIL,
        recipient=tenancy.owner.user.email,
        membership=tenancy.owner,
    )


def test_messages_are_deleted_after_a_year(tenancy) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(START, tick=False):
        old = _message(tenancy, "old")
    with time_machine.travel(START + timedelta(days=300), tick=False):
        recent = _message(tenancy, "recent")
    with time_machine.travel(START + timedelta(days=366), tick=False):
        summary = purge_expired(START + timedelta(days=366))
    assert "1 expired" in summary
    assert not OutboundMessage.objects.filter(pk=old.pk).exists()
    assert OutboundMessage.objects.filter(pk=recent.pk).exists()


def test_journal_is_kept_while_a_member_and_purged_a_year_after_leaving(
    tenancy, person_data
) -> None:  # type: ignore[no-untyped-def]
    owner = tenancy.owner
    far = datetime.now(tz=UTC) + timedelta(days=800)
    purge_expired(far)
    assert JournalEntry.objects.filter(author=owner).exists()  # still a member
    with time_machine.travel(far, tick=False):
        owner.status = MembershipStatus.DEACTIVATED
        owner.save()
    purge_expired(far + timedelta(days=200))
    assert JournalEntry.objects.filter(author=owner).exists()  # left 200 days ago
    purge_expired(far + timedelta(days=366))
    assert not JournalEntry.objects.filter(author=owner).exists()
    assert JournalEntry.objects.filter(author=tenancy.teammate).exists()


def test_purge_is_a_registered_daily_job() -> None:
    jobs = {job.name: job for job in registered_jobs()}
    assert jobs["privacy.purge_expired"].every == timedelta(days=1)
    assert jobs["audit.purge_old"].every == timedelta(days=1)


def test_people_who_left_over_a_year_ago_are_erased(tenancy, person_data) -> None:  # type: ignore[no-untyped-def]
    left = datetime.now(tz=UTC) - timedelta(days=400)
    with time_machine.travel(left, tick=False):
        tenancy.teammate.status = MembershipStatus.DEACTIVATED
        tenancy.teammate.save()
    done = purge()
    assert done["departed members erased"] == 1
    assert not JournalEntry.objects.filter(author=tenancy.teammate).exists()
    assert User.objects.get(pk=tenancy.teammate.user_id).email.endswith("@invalid")
    assert JournalEntry.objects.filter(author=tenancy.owner).exists()
    assert purge()["departed members erased"] == 0
