"""Reading the audit log: only an organisation's own entries, only for its admins."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ancrage.audit.models import AuditEntry
from ancrage.tenancy.models import Membership


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    person: str = ""
    since: date | None = None
    until: date | None = None


def entries_for(actor: Membership, filters: AuditFilter | None = None) -> "QuerySet[AuditEntry]":
    """The actor's organisation's entries, newest first, narrowed by `filters`."""
    qs = AuditEntry.objects.filter(organisation_id=actor.organisation_id)
    if filters is None:
        return qs
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.person:
        people = list(
            Membership.objects.filter(organisation_id=actor.organisation_id)
            .filter(
                Q(user__name__icontains=filters.person) | Q(user__email__icontains=filters.person)
            )
            .values_list("pk", "user_id")
        )
        ids = [pk for pk, _user in people]
        users = [user for _pk, user in people]
        qs = qs.filter(
            Q(actor_membership_id__in=ids)
            | Q(actor_user_id__in=users)
            | Q(target_id__in=[str(pk) for pk in ids + users])
        )
    tz = timezone.get_current_timezone()
    if filters.since:
        qs = qs.filter(at__gte=datetime.combine(filters.since, time.min, tzinfo=tz))
    if filters.until:
        qs = qs.filter(at__lte=datetime.combine(filters.until, time.max, tzinfo=tz))
    return qs


def access_entry(actor: Membership, entry_id: Any) -> AuditEntry:
    try:
        return entries_for(actor).get(pk=int(entry_id))
    except (AuditEntry.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


PERSON_TARGETS = ("tenancy.membership", "accounts.user")


def people_by_id(entries: list[AuditEntry], organisation_id: Any) -> dict[str, Membership]:
    """Members named by the entries (as actor or target), keyed by str(membership id) and
    str(user id)."""
    wanted: set[uuid.UUID] = set()
    for entry in entries:
        for value in (entry.actor_membership_id, entry.actor_user_id):
            if value:
                wanted.add(value)
        if entry.target_type in PERSON_TARGETS and entry.target_id:
            try:
                wanted.add(uuid.UUID(entry.target_id))
            except ValueError:
                continue
    members = (
        Membership.objects.filter(organisation_id=organisation_id)
        .filter(Q(pk__in=wanted) | Q(user_id__in=wanted))
        .select_related("user")
    )
    found: dict[str, Membership] = {}
    for member in members:
        found[str(member.pk)] = member
        found[str(member.user_id)] = member
    return found
