"""Reads from the learning record store, always scoped to one organisation.

Statement lists use a keyset cursor on (stored, seq): the `more` link never uses OFFSET, so
page 1,000 costs what page 1 costs. Payloads come back as the stored JSON text and are
spliced into the response without being decoded when the format is `exact`.
"""

import time
import uuid
import weakref
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from django.db import connection
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from ancrage.lrs.models import (
    Activity,
    Attachment,
    Document,
    DocumentKind,
    ForwardingTarget,
    LrsCredential,
    Statement,
)
from ancrage.tenancy.models import Organisation


@dataclass
class StatementFilter:
    agent_key: str | None = None
    verb: str | None = None
    activity: str | None = None
    registration: str | None = None
    related_activities: bool = False
    related_agents: bool = False
    since: datetime | None = None
    until: datetime | None = None
    ascending: bool = False
    credential_ids: list[uuid.UUID] | None = None


@dataclass
class Page:
    payloads: list[str]
    next_cursor: tuple[datetime, int] | None
    last_stored: datetime | None


def _base(organisation: Organisation) -> "QuerySet[Statement]":
    return Statement.objects.filter(organisation=organisation)


def _conditions(f: StatementFilter) -> list[list[Q]]:
    """Each filter as a list of alternatives (a statement matches one of them): its own
    column, or the same value copied from the statement its StatementRef targets."""
    groups: list[list[Q]] = []
    if f.verb:
        groups.append([Q(verb_id=f.verb), Q(ref_verb_id=f.verb)])
    if f.activity:
        if f.related_activities:
            groups.append([Q(related_activities__has_element=f.activity)])
        else:
            groups.append([Q(activity_id=f.activity), Q(ref_activity_id=f.activity)])
    if f.agent_key:
        if f.related_agents:
            groups.append([Q(related_agents__has_element=f.agent_key)])
        else:
            groups.append(
                [
                    Q(actor_key=f.agent_key),
                    Q(object_agent_key=f.agent_key),
                    Q(ref_actor_key=f.agent_key),
                ]
            )
    if f.registration:
        groups.append([Q(registration=f.registration), Q(ref_registration=f.registration)])
    return groups


def _any(alternatives: list[Q]) -> Q:
    combined = alternatives[0]
    for alternative in alternatives[1:]:
        combined |= alternative
    return combined


def _filtered(organisation: Organisation, f: StatementFilter) -> "QuerySet[Statement]":
    qs = _base(organisation).filter(voided=False)
    for group in _conditions(f):
        qs = qs.filter(_any(group))
    return _time_window(qs, f)


def _time_window(qs: "QuerySet[Statement]", f: StatementFilter) -> "QuerySet[Statement]":
    if f.since:
        qs = qs.filter(stored__gt=f.since)
    if f.until:
        qs = qs.filter(stored__lte=f.until)
    if f.credential_ids is not None:
        qs = qs.filter(credential_id__in=f.credential_ids)
    return qs


def _rows(queryset: "QuerySet[Any]") -> list[tuple[Any, ...]]:
    """Run a values_list query; on PostgreSQL as a prepared statement with server-side
    binding, so the planner's work over every monthly partition is done once per connection
    rather than on each request (planning dominated read latency at 1 M statements)."""
    if connection.vendor != "postgresql":
        return list(queryset)
    sql, params = queryset.query.sql_with_params()
    connection.ensure_connection()
    raw = connection.connection
    with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
        if raw not in _GENERIC_PLANS:
            # Django disables preparation (threshold None); allow it for explicit prepare=True
            # only: no query is ever prepared automatically.
            raw.prepare_threshold = 2**31 - 1
            # Only our prepared statements exist on this connection (Django binds client-side),
            # so this affects nothing else: reuse one plan instead of re-planning per value.
            cursor.execute("SET plan_cache_mode = force_generic_plan")
            _GENERIC_PLANS.add(raw)
        cursor.execute(sql, params, prepare=True)
        return cursor.fetchall()


_GENERIC_PLANS: "weakref.WeakSet[Any]" = weakref.WeakSet()


def find_statements(
    organisation: Organisation,
    f: StatementFilter,
    *,
    limit: int,
    cursor: tuple[datetime, int] | None = None,
) -> Page:
    """One page of matching statements, newest first unless `ascending`.

    On PostgreSQL the first multi-column filter becomes a UNION ALL of one ordered, limited
    index scan per alternative (an OR would force a bitmap scan and a sort of every match);
    SQLite, which cannot limit the arms of a compound query, uses the plain OR.
    """
    order = ("stored", "seq") if f.ascending else ("-stored", "-seq")
    qs = _base(organisation).filter(voided=False)
    if cursor is not None:
        stored, seq = cursor
        if f.ascending:
            qs = qs.filter(Q(stored__gt=stored) | Q(stored=stored, seq__gt=seq))
        else:
            qs = qs.filter(Q(stored__lt=stored) | Q(stored=stored, seq__lt=seq))
    qs = _time_window(qs, f)
    groups = _conditions(f)
    split = (
        next((g for g in groups if len(g) > 1), None) if connection.vendor == "postgresql" else None
    )
    for group in groups:
        if group is not split:
            qs = qs.filter(_any(group))
    by_gin = (f.related_activities and f.activity) or (f.related_agents and f.agent_key)
    if split is None and by_gin and connection.vendor == "postgresql":
        return _page_by_keys(organisation, qs.order_by(*order), limit)
    arms = [qs.filter(alternative) for alternative in split] if split else [qs]
    selected = [
        arm.order_by(*order)
        .annotate(raw=Cast("payload", output_field=TextField()))
        .values_list("seq", "stored", "raw")[: limit + 1]
        for arm in arms
    ]
    if len(selected) == 1:
        rows = _rows(selected[0])
    else:
        merged: dict[int, tuple[Any, ...]] = {}
        for row in _rows(selected[0].union(*selected[1:], all=True)):
            merged[row[0]] = row
        rows = sorted(merged.values(), key=lambda r: (r[1], r[0]), reverse=not f.ascending)
        rows = rows[: limit + 1]
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if rows else None
    return Page(
        payloads=[raw for _, _, raw in rows],
        next_cursor=(last[1], last[0]) if more and last else None,
        last_stored=max((r[1] for r in rows), default=None),
    )


def _page_by_keys(organisation: Organisation, ordered: "QuerySet[Statement]", limit: int) -> Page:
    """A related_* page on PostgreSQL: the GIN index yields every matching row unordered, so
    order and limit the (stored, seq) keys first, then read the payloads of that page only
    (decoding hundreds of payloads to keep twenty was most of the time at 1 M statements)."""
    keys = _rows(ordered.values_list("seq", "stored")[: limit + 1])
    more = len(keys) > limit
    keys = keys[:limit]
    if not keys:
        return Page(payloads=[], next_cursor=None, last_stored=None)
    wanted = Q()
    for seq, stored in keys:
        wanted |= Q(stored=stored, seq=seq)
    raw = dict(
        _rows(
            _base(organisation)
            .filter(wanted)
            .annotate(raw=Cast("payload", output_field=TextField()))
            .values_list("seq", "raw")
        )
    )
    last_seq, last_stored = keys[-1]
    return Page(
        payloads=[raw[seq] for seq, _ in keys],
        next_cursor=(last_stored, last_seq) if more else None,
        last_stored=max(stored for _, stored in keys),
    )


def statement_by_id(organisation: Organisation, statement_id: str, *, voided: bool) -> str | None:
    """The stored JSON of one statement; `voided` selects voidedStatementId semantics."""
    row = (
        _base(organisation)
        .filter(statement_id=statement_id, voided=voided)
        .annotate(raw=Cast("payload", output_field=TextField()))
        .values_list("raw", flat=True)
        .first()
    )
    return row


def attachments_for(organisation: Organisation, digests: set[str]) -> dict[str, tuple[str, bytes]]:
    rows = Attachment.objects.filter(organisation=organisation, sha2__in=digests).values_list(
        "sha2", "content_type", "content"
    )
    return {sha2: (content_type, bytes(content)) for sha2, content_type, content in rows}


def activity_definition(organisation: Organisation, activity_id: str) -> dict[str, Any] | None:
    row = (
        Activity.objects.filter(organisation=organisation, activity_id=activity_id)
        .values_list("definition", flat=True)
        .first()
    )
    return row if isinstance(row, dict) else None


def get_document(
    organisation: Organisation,
    *,
    kind: DocumentKind,
    activity_id: str = "",
    agent_key: str = "",
    registration: str = "",
    document_id: str,
) -> Document | None:
    return Document.objects.filter(
        organisation=organisation,
        kind=kind,
        activity_id=activity_id,
        agent_key=agent_key,
        registration=registration,
        document_id=document_id,
    ).first()


def document_ids(
    organisation: Organisation,
    *,
    kind: DocumentKind,
    activity_id: str = "",
    agent_key: str = "",
    registration: str = "",
    since: datetime | None = None,
) -> tuple[list[str], datetime | None]:
    qs = Document.objects.filter(
        organisation=organisation, kind=kind, activity_id=activity_id, agent_key=agent_key
    )
    if kind == DocumentKind.STATE:
        qs = qs.filter(registration=registration)
    if since is not None:
        qs = qs.filter(updated__gt=since)
    rows = list(qs.order_by("document_id").values_list("document_id", "updated"))
    return [doc for doc, _ in rows], max((u for _, u in rows), default=None)


_CREDENTIALS: dict[str, tuple[float, LrsCredential | None]] = {}
CREDENTIAL_CACHE_SECONDS = 5.0


def credential_for_key(key: str) -> LrsCredential | None:
    """The credential for a key, cached per process for a few seconds (a revocation takes
    effect within CREDENTIAL_CACHE_SECONDS); every request still checks the secret."""
    now = time.monotonic()
    hit = _CREDENTIALS.get(key)
    if hit is not None and now - hit[0] < CREDENTIAL_CACHE_SECONDS:
        return hit[1]
    credential = LrsCredential.objects.select_related("organisation").filter(key=key).first()
    if len(_CREDENTIALS) > 10_000:
        _CREDENTIALS.clear()
    _CREDENTIALS[key] = (now, credential)
    return credential


def forget_credential(key: str) -> None:
    _CREDENTIALS.pop(key, None)


def credentials_sharing_authority(credential: LrsCredential) -> list[uuid.UUID]:
    """`statements/read/mine`: every credential of the organisation with the same authority."""
    return [
        c.pk
        for c in LrsCredential.objects.filter(organisation=credential.organisation).only(
            "id", "authority"
        )
        if c.authority == credential.authority
    ]


def credentials_of(organisation: Organisation) -> "QuerySet[LrsCredential]":
    return LrsCredential.objects.filter(organisation=organisation)


def now() -> datetime:
    return timezone.now()


def statement_written_by(
    organisation: Organisation, statement_id: str, credential_ids: list[uuid.UUID]
) -> bool:
    return (
        _base(organisation)
        .filter(statement_id=statement_id, credential_id__in=credential_ids)
        .exists()
    )


_FORWARDING: dict[uuid.UUID, tuple[float, bool]] = {}


def forwarding_enabled(organisation_id: uuid.UUID) -> bool:
    """Whether the organisation forwards statements (cached per process for 5 s)."""
    now = time.monotonic()
    hit = _FORWARDING.get(organisation_id)
    if hit is not None and now - hit[0] < CREDENTIAL_CACHE_SECONDS:
        return hit[1]
    enabled = ForwardingTarget.objects.filter(
        organisation_id=organisation_id, enabled=True
    ).exists()
    _FORWARDING[organisation_id] = (now, enabled)
    return enabled
