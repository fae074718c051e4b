"""Reads from the learning record store, always scoped to one organisation.

Statement lists use a keyset cursor on (stored, seq): the `more` link never uses OFFSET, so
page 1,000 costs what page 1 costs. Payloads come back as the stored JSON text and are
spliced into the response without being decoded when the format is `exact`.
"""

import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from ancrage.common.prepared import run_prepared
from ancrage.lrs.models import (
    Activity,
    Attachment,
    Document,
    DocumentKind,
    ForwardingTarget,
    LrsCredential,
    Statement,
    StatementActivity,
    StatementAgent,
)
from ancrage.lrs.shapes import activity_hash, agent_hash
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


def _conditions(f: StatementFilter, prefix: str = "") -> list[list[Q]]:
    """Each filter as a list of alternatives (a statement matches one of them): its own
    column, or the same value copied from the statement its StatementRef targets.
    `prefix` names the statement from another model (`statement__`)."""

    def q(**lookup: Any) -> Q:
        return Q(**{prefix + name: value for name, value in lookup.items()})

    groups: list[list[Q]] = []
    if f.verb:
        groups.append([q(verb_id=f.verb), q(ref_verb_id=f.verb)])
    if f.activity:
        if f.related_activities:
            groups.append([q(related_activities__has_element=f.activity)])
        else:
            groups.append([q(activity_id=f.activity), q(ref_activity_id=f.activity)])
    if f.agent_key:
        if f.related_agents:
            groups.append([q(related_agents__has_element=f.agent_key)])
        else:
            groups.append(
                [
                    q(actor_key=f.agent_key),
                    q(object_agent_key=f.agent_key),
                    q(ref_actor_key=f.agent_key),
                ]
            )
    if f.registration:
        groups.append([q(registration=f.registration), q(ref_registration=f.registration)])
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


def _time_window(qs: "QuerySet[Any]", f: StatementFilter, prefix: str = "") -> "QuerySet[Any]":
    if f.since:
        qs = qs.filter(stored__gt=f.since)
    if f.until:
        qs = qs.filter(stored__lte=f.until)
    if f.credential_ids is not None:
        qs = qs.filter(**{f"{prefix}credential_id__in": f.credential_ids})
    return qs


def _after(
    qs: "QuerySet[Any]", cursor: tuple[datetime, int] | None, ascending: bool
) -> "QuerySet[Any]":
    """Rows past the keyset cursor (stored, seq) in the page order."""
    if cursor is None:
        return qs
    stored, seq = cursor
    if ascending:
        return qs.filter(Q(stored__gt=stored) | Q(stored=stored, seq__gt=seq))
    return qs.filter(Q(stored__lt=stored) | Q(stored=stored, seq__lt=seq))


def _rows(queryset: "QuerySet[Any]") -> list[tuple[Any, ...]]:
    """Run a values_list query; on PostgreSQL as a prepared statement (`common.prepared.run_prepared`)."""
    if connection.vendor != "postgresql":
        return list(queryset)
    return run_prepared(*queryset.query.sql_with_params())


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
    SQLite, which cannot limit the arms of a compound query, uses the plain OR. An activity
    with related_activities walks `StatementActivity` instead, and an agent with
    related_agents `StatementAgent`, on both engines.
    """
    order = ("stored", "seq") if f.ascending else ("-stored", "-seq")
    if f.related_activities and f.activity:
        activities = StatementActivity.objects.filter(activity_hash=activity_hash(f.activity))
        return _page(_by_side_table(activities, organisation, f, cursor).order_by(*order), limit)
    if f.related_agents and f.agent_key:
        agents = StatementAgent.objects.filter(agent_hash=agent_hash(f.agent_key))
        return _page(_by_side_table(agents, organisation, f, cursor).order_by(*order), limit)
    qs = _after(_base(organisation).filter(voided=False), cursor, f.ascending)
    qs = _time_window(qs, f)
    groups = _conditions(f)
    split = (
        next((g for g in groups if len(g) > 1), None) if connection.vendor == "postgresql" else None
    )
    for group in groups:
        if group is not split:
            qs = qs.filter(_any(group))
    arms = [qs.filter(alternative) for alternative in split] if split else [qs]
    if len(arms) == 1:
        return _page(arms[0].order_by(*order), limit)
    selected = [_page_rows(arm.order_by(*order), "payload", limit) for arm in arms]
    merged: dict[int, tuple[Any, ...]] = {}
    for row in _rows(selected[0].union(*selected[1:], all=True)):
        merged[row[0]] = row
    rows = sorted(merged.values(), key=lambda r: (r[1], r[0]), reverse=not f.ascending)
    return _as_page(rows[: limit + 1], limit)


def _page_rows(ordered: "QuerySet[Any]", payload: str, limit: int) -> "QuerySet[Any]":
    """(seq, stored, payload as text) of the first limit + 1 rows: one more tells `more`."""
    rows: QuerySet[Any] = ordered.annotate(raw=Cast(payload, output_field=TextField())).values_list(
        "seq", "stored", "raw"
    )[: limit + 1]
    return rows


def _page(ordered: "QuerySet[Any]", limit: int) -> Page:
    payload = "payload" if ordered.model is Statement else "statement__payload"
    return _as_page(_rows(_page_rows(ordered, payload, limit)), limit)


def _as_page(rows: list[tuple[Any, ...]], limit: int) -> Page:
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if rows else None
    return Page(
        payloads=[raw for _, _, raw in rows],
        next_cursor=(last[1], last[0]) if more and last else None,
        last_stored=max((r[1] for r in rows), default=None),
    )


def _by_side_table(
    rows: "QuerySet[Any]",
    organisation: Organisation,
    f: StatementFilter,
    cursor: tuple[datetime, int] | None,
) -> "QuerySet[Any]":
    """An activity with `related_activities` (`StatementActivity` rows of its hash) or an agent
    with `related_agents` (`StatementAgent` rows): walk those keys in page order and join each
    to its statement (one primary-key probe per row, in one partition), stopping after the
    page. The statement's own `related_activities` / `related_agents` is checked again (the
    key is a 64-bit hash), as are every other filter and voiding."""
    qs = rows.filter(
        organisation=organisation,
        statement__organisation=organisation,
        statement__voided=False,
    )
    qs = _time_window(_after(qs, cursor, f.ascending), f, "statement__")
    for group in _conditions(f, "statement__"):
        qs = qs.filter(_any(group))
    return qs


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
