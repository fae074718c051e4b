"""Audit entries are only ever inserted; the ORM and the database both refuse the rest."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from ancrage.audit.actions import record
from ancrage.audit.jobs import purge_old
from ancrage.audit.models import Action, AppendOnly, AuditEntry

pytestmark = pytest.mark.django_db


def test_an_entry_cannot_be_changed_or_deleted_through_the_orm(tenancy) -> None:  # type: ignore[no-untyped-def]
    entry = record(action=Action.SIGN_IN, actor=tenancy.owner)
    entry.action = Action.SIGN_IN_FAILED
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(action=Action.ERASURE)
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == Action.SIGN_IN


def test_the_database_refuses_updates_and_early_deletes(tenancy) -> None:  # type: ignore[no-untyped-def]
    entry = record(action=Action.SIGN_IN, actor=tenancy.owner)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'erasure' WHERE id = %s", [entry.pk])
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk, action=Action.SIGN_IN).exists()


def test_entries_are_kept_twelve_months_then_purged(tenancy) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    old = AuditEntry.objects.create(
        action=Action.SIGN_IN, organisation_id=tenancy.org_a.pk, at=now - timedelta(days=370)
    )
    kept = AuditEntry.objects.create(
        action=Action.SIGN_IN, organisation_id=tenancy.org_a.pk, at=now - timedelta(days=300)
    )
    assert purge_old(now) == "1 audit entrie(s) older than 12 months removed"
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=kept.pk).exists()
    # A clock set in the future cannot purge young entries.
    AuditEntry.objects.purge_before(now + timedelta(days=900))
    assert AuditEntry.objects.filter(pk=kept.pk).exists()
