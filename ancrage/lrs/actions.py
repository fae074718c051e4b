"""Writes to the learning record store: statements, documents and credentials.

`record_statements` is the one way statements enter the LRS, over HTTP or from inside
Ancrage (the player). It guarantees:

* validation first (`ValidationError`, nothing written);
* all-or-nothing: the whole batch commits in one transaction or nothing does;
* no duplicate rows: ids are claimed with `INSERT … ON CONFLICT DO NOTHING`; a statement
  whose id exists with the same content is a no-op, with other content a `StatementConflict`
  (409) that rolls back the batch;
* the caller sees success only after the commit returned.
"""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ancrage.accounts.models import User
from ancrage.audit.actions import record
from ancrage.audit.models import Action
from ancrage.lrs import store
from ancrage.lrs.models import (
    Document,
    DocumentKind,
    ForwardingTarget,
    LrsCredential,
    OutboxItem,
    Scope,
)
from ancrage.lrs.queries import forget_credential, forwarding_enabled
from ancrage.lrs.shapes import (
    IndexValues,
    activity_hash,
    agent_hash,
    content_hash,
    index_values,
    normalise,
)
from ancrage.lrs.tasks import forward_outbox
from ancrage.lrs.validation import (
    VOIDED_VERB,
    ValidationError,
    parse_timestamp,
    validate_statements,
)
from ancrage.tenancy.models import Organisation


class StatementConflict(Exception):
    """A statement id already stored with different content (HTTP 409)."""


class PreconditionFailed(Exception):
    """If-Match / If-None-Match did not hold (HTTP 412)."""


class DocumentConflict(Exception):
    """A document exists and the request carried no concurrency header (HTTP 409)."""


@dataclass
class _Prepared:
    statement_id: str
    digest: str
    payload: dict[str, Any]
    index: IndexValues
    timestamp: datetime


def format_stored(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").removesuffix("+00:00") + "Z"


def _prepare(
    statement: dict[str, Any],
    *,
    stored: str,
    now: datetime,
    authority: dict[str, Any],
    version: str,
) -> _Prepared:
    statement_id = str(uuid.UUID(statement["id"])) if "id" in statement else str(uuid.uuid4())
    payload = normalise(statement)
    digest = content_hash(payload)
    payload["id"] = statement_id
    payload["stored"] = stored
    payload.setdefault("timestamp", stored)
    payload["authority"] = authority
    payload.setdefault("version", "1.0.0" if version.startswith("1") else "2.0.0")
    timestamp = parse_timestamp(payload["timestamp"], "statement.timestamp")
    return _Prepared(statement_id, digest, payload, index_values(payload), timestamp)


def _definitions(prepared: list[_Prepared]) -> dict[str, Any]:
    found: dict[str, Any] = {}

    def visit(activity: Any) -> None:
        if isinstance(activity, dict) and activity.get("definition") and "id" in activity:
            found[activity["id"]] = store.merge_definition(
                found.get(activity["id"], {}), activity["definition"]
            )

    for item in prepared:
        obj = item.payload["object"]
        if obj.get("objectType", "Activity") == "Activity":
            visit(obj)
        for value in ((item.payload.get("context") or {}).get("contextActivities") or {}).values():
            for activity in value if isinstance(value, list) else [value]:
                visit(activity)
    return found


def record_statements(
    *,
    organisation: Organisation,
    statements: Any,
    authority: dict[str, Any],
    version: str = "2.0.0",
    credential_id: uuid.UUID | None = None,
    attachments: dict[str, tuple[str, bytes]] | None = None,
) -> list[str]:
    """Validate and store one statement or a batch; return the statement ids in order."""
    batch = validate_statements(statements, version=version)
    now = timezone.now()
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)  # served with ms precision
    stored = format_stored(now)
    prepared = [
        _prepare(s, stored=stored, now=now, authority=authority, version=version) for s in batch
    ]
    org_id = organisation.pk
    if _single_statement_fast_path(org_id, prepared, attachments):
        return _record_one(org_id, prepared[0], now, credential_id)
    with transaction.atomic():
        rows, voided = _rows(org_id, prepared, now, credential_id)
        new_ids = store.claim_and_insert(org_id, rows, [p.digest for p in prepared])
        replayed = [p for p in prepared if p.statement_id not in new_ids]
        if replayed:
            hashes = store.existing_hashes(org_id, [p.statement_id for p in replayed])
            for item in replayed:
                if hashes.get(item.statement_id) != item.digest:
                    raise StatementConflict(
                        f"statement {item.statement_id} already exists with different content"
                    )
        fresh = [p for p in prepared if p.statement_id in new_ids]
        if fresh:
            fresh_voided = [target for sid, target in voided if sid in new_ids]
            if fresh_voided:
                store.void_statements(org_id, fresh_voided, VOIDED_VERB)
            store.upsert_activities(org_id, _definitions(fresh), now)
            if forwarding_enabled(org_id):
                outbox = OutboxItem.objects.create(
                    organisation=organisation, statements=[p.payload for p in fresh]
                )
                transaction.on_commit(lambda: _enqueue_forwarding(outbox.pk))
        if attachments:
            store.insert_attachments(org_id, attachments)
    return [p.statement_id for p in prepared]


def _single_statement_fast_path(
    org_id: uuid.UUID, prepared: list[_Prepared], attachments: dict[str, Any] | None
) -> bool:
    """One plain statement on PostgreSQL, outside any transaction: a single SQL statement
    (claim the id and insert the row) is atomic by itself, so BEGIN/COMMIT round trips are
    saved. Anything with side effects (voiding, references, attachments, forwarding, an
    activity definition that adds to the stored one) takes the transactional path."""
    if len(prepared) != 1 or attachments or not store.is_postgres():
        return False
    if not connection.get_autocommit() or prepared[0].index.ref_target:
        return False
    if forwarding_enabled(org_id):
        return False
    definitions = _definitions(prepared)
    if not store.definitions_known(org_id, definitions):
        # First seen by this process: read what is stored; most often it is already there.
        store.learn_definitions(org_id, list(definitions))
    return store.definitions_known(org_id, definitions)


def _record_one(
    org_id: uuid.UUID, item: _Prepared, now: datetime, credential_id: uuid.UUID | None
) -> list[str]:
    rows, _ = _rows(org_id, [item], now, credential_id)
    if not store.claim_and_insert(org_id, rows, [item.digest]):
        existing = store.existing_hashes(org_id, [item.statement_id])
        if existing.get(item.statement_id) != item.digest:
            raise StatementConflict(
                f"statement {item.statement_id} already exists with different content"
            )
    return [item.statement_id]


def _rows(
    org_id: uuid.UUID,
    prepared: list[_Prepared],
    now: datetime,
    credential_id: uuid.UUID | None,
) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """Database rows for the batch, and (voiding statement id, target id) pairs.

    A StatementRef target's filterable values are copied into the `ref_*` columns; a
    voiding statement may not target another voiding statement (stored or in this batch).
    """
    targets = sorted({p.index.ref_target for p in prepared if p.index.ref_target})
    facts = store.statement_facts(org_id, targets) if targets else {}
    in_batch = {p.statement_id: p for p in prepared}
    voided: list[tuple[str, str]] = []
    rows: list[dict[str, Any]] = []
    db_datetime = store.datetime_adapter()
    db_now = db_datetime(now)
    pg = store.is_postgres()
    db_org, db_credential = store.db_uuid(org_id, pg), store.db_uuid(credential_id, pg)
    for index_in_batch, item in enumerate(prepared):
        idx = item.index
        target = facts.get(idx.ref_target or "")
        batch_target = in_batch.get(idx.ref_target or "")
        if idx.is_voiding and idx.ref_target:
            target_verb = (
                target["verb_id"]
                if target
                else (batch_target.index.verb_id if batch_target else None)
            )
            if target_verb == VOIDED_VERB:
                raise ValidationError(
                    f"statements[{index_in_batch}].object.id",
                    "a voiding statement cannot target another voiding statement",
                )
            voided.append((item.statement_id, idx.ref_target))
        agents, activities = idx.related_agents, idx.related_activities
        if target:
            agents = sorted(set(agents) | set(store.load_json(target["related_agents"])))
            activities = sorted(
                set(activities) | set(store.load_json(target["related_activities"]))
            )
        rows.append(
            {
                "organisation_id": db_org,
                "statement_id": store.db_uuid(item.statement_id, pg),
                "stored": db_now,
                "timestamp": db_datetime(item.timestamp),
                "verb_id": idx.verb_id,
                "activity_id": idx.activity_id,
                "actor_key": idx.actor_key,
                "object_agent_key": idx.object_agent_key,
                "registration": store.db_uuid(idx.registration, pg),
                "ref_target": store.db_uuid(idx.ref_target, pg),
                "ref_verb_id": target["verb_id"] if target else None,
                "ref_activity_id": target["activity_id"] if target else None,
                "ref_actor_key": target["actor_key"] if target else None,
                "ref_registration": store.db_uuid(target["registration"], pg) if target else None,
                "related_agents": store.dumps(agents),
                "related_activities": store.dumps(activities),
                "credential_id": db_credential,
                "voided": False,
                "payload": store.dumps(item.payload),
                "activity_hashes": sorted({activity_hash(a) for a in activities}),
                "agent_hashes": sorted({agent_hash(a) for a in agents}),
            }
        )
    return rows, voided


def _enqueue_forwarding(outbox_id: int) -> None:
    forward_outbox.enqueue(outbox_id)


# --- documents ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentAddress:
    kind: DocumentKind
    activity_id: str = ""
    agent_key: str = ""
    registration: str = ""
    document_id: str = ""


def etag_for(content: bytes) -> str:
    return hashlib.sha1(content, usedforsecurity=False).hexdigest()


def _check_preconditions(
    existing: Document | None,
    *,
    if_match: str | None,
    if_none_match: str | None,
    require_header: bool | str,
) -> None:
    if if_match is not None:
        tags = {tag.strip().removeprefix("W/").strip('"') for tag in if_match.split(",")}
        if existing is None or ("*" not in tags and existing.etag not in tags):
            raise PreconditionFailed("If-Match does not match the document's current ETag")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/").strip('"') for tag in if_none_match.split(",")}
        if existing is not None and ("*" in tags or existing.etag in tags):
            raise PreconditionFailed("If-None-Match: the document already exists")
    if require_header and existing is None and if_match is None and if_none_match is None:
        if require_header == "always":
            raise ValidationError(
                "If-Match", "send If-None-Match: * to create, or If-Match with the ETag to replace"
            )
    if require_header and existing is not None and if_match is None and if_none_match is None:
        raise DocumentConflict(
            "the document exists: send If-Match with its ETag (or If-None-Match: *) to change it"
        )


def _locked(organisation: Organisation, address: DocumentAddress) -> Document | None:
    return (
        Document.objects.select_for_update()
        .filter(
            organisation=organisation,
            kind=address.kind,
            activity_id=address.activity_id,
            agent_key=address.agent_key,
            registration=address.registration,
            document_id=address.document_id,
        )
        .first()
    )


def is_json_type(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() == "application/json"


def save_document(
    *,
    organisation: Organisation,
    address: DocumentAddress,
    content: bytes,
    content_type: str,
    merge: bool,
    if_match: str | None = None,
    if_none_match: str | None = None,
    require_header: bool | str = False,
) -> Document:
    """PUT (replace) or POST (merge) one document, honouring ETags; see `_save_document`.

    Two writers creating the same new document at once: the loser's INSERT hits the unique
    constraint, and it is retried once, now seeing (and locking) the winner's row.
    """
    kwargs: dict[str, Any] = {
        "organisation": organisation,
        "address": address,
        "content": content,
        "content_type": content_type,
        "merge": merge,
        "if_match": if_match,
        "if_none_match": if_none_match,
        "require_header": require_header,
    }
    try:
        return _save_document(**kwargs)
    except IntegrityError:
        return _save_document(**kwargs)


def _save_document(
    *,
    organisation: Organisation,
    address: DocumentAddress,
    content: bytes,
    content_type: str,
    merge: bool,
    if_match: str | None = None,
    if_none_match: str | None = None,
    require_header: bool | str = False,
) -> Document:
    """`require_header`: True — a PUT over an existing document needs If-Match/If-None-Match
    (409 otherwise); "always" — xAPI 1.0.3 profiles: a PUT without either is 400 even when new."""
    with transaction.atomic():
        existing = _locked(organisation, address)
        _check_preconditions(
            existing, if_match=if_match, if_none_match=if_none_match, require_header=require_header
        )
        if merge and existing is not None:
            if not (existing.is_json and is_json_type(content_type)):
                raise ValidationError(
                    "Content-Type", "POST merges only JSON documents (application/json both sides)"
                )
            old = orjson.loads(bytes(existing.content))
            new = orjson.loads(content)
            if not isinstance(old, dict) or not isinstance(new, dict):
                raise ValidationError("content", "POST merges only JSON objects")
            content = orjson.dumps(old | new)
        now = timezone.now()
        if existing is None:
            existing = Document(
                organisation=organisation,
                kind=address.kind,
                activity_id=address.activity_id,
                agent_key=address.agent_key,
                registration=address.registration,
                document_id=address.document_id,
            )
        existing.content = content
        existing.content_type = content_type or "application/octet-stream"
        existing.etag = etag_for(content)
        existing.updated = now
        existing.save()
        return existing


def delete_documents(
    *,
    organisation: Organisation,
    address: DocumentAddress,
    if_match: str | None = None,
) -> int:
    """Delete one document (address.document_id set) or every State document of the agent."""
    with transaction.atomic():
        qs = Document.objects.filter(
            organisation=organisation,
            kind=address.kind,
            activity_id=address.activity_id,
            agent_key=address.agent_key,
        )
        if address.document_id:
            existing = _locked(organisation, address)
            _check_preconditions(
                existing, if_match=if_match, if_none_match=None, require_header=False
            )
            qs = qs.filter(registration=address.registration, document_id=address.document_id)
        elif address.registration:
            qs = qs.filter(registration=address.registration)
        deleted, _ = qs.delete()
        return deleted


# --- credentials and forwarding ----------------------------------------------------------
#
# Every change names who made it (`by`: the staff user in Django's admin, the `--by` account
# of `ancrage lrs_credential`) in the audit log of the credential's organisation.


@dataclass(frozen=True)
class IssuedCredential:
    credential: LrsCredential
    secret: str


def issue_credential(
    *,
    organisation: Organisation,
    label: str,
    scopes: list[str],
    by: User | None = None,
    authority: dict[str, Any] | None = None,
    expires_at: datetime | None = None,
    rate_limit_per_minute: int = 6000,
    rotated_from: str = "",
) -> IssuedCredential:
    """Create a key/secret pair (256 random bits of secret); the secret is shown only here."""
    unknown = set(scopes) - set(Scope.values)
    if unknown or not scopes:
        raise ValidationError("scopes", f"unknown or empty scopes: {', '.join(sorted(unknown))}")
    secret = secrets.token_urlsafe(32)
    key = secrets.token_hex(16)
    with transaction.atomic():
        credential = LrsCredential.objects.create(
            organisation=organisation,
            label=label,
            key=key,
            secret_hash=LrsCredential.hash_secret(secret),
            scopes=sorted(set(scopes)),
            authority=authority
            or {
                "objectType": "Agent",
                "name": label,
                "account": {
                    "homePage": "https://ancrage.app/lrs",
                    "name": f"{organisation.slug}:{key}",
                },
            },
            expires_at=expires_at,
            rate_limit_per_minute=rate_limit_per_minute,
        )
        details: dict[str, Any] = {"key": key, "scopes": ",".join(credential.scopes)}
        if rotated_from:
            details["rotated_from"] = rotated_from
        record(
            action=Action.LRS_KEY_CREATED,
            user_id=by.pk if by is not None else None,
            target=credential,
            details=details,
        )
    return IssuedCredential(credential, secret)


def revoke_credential(
    *,
    credential: LrsCredential,
    by: User | None = None,
    at: datetime | None = None,
    rotated_to: str = "",
) -> bool:
    """Stop the key from `at` (now by default). Idempotent: a key already revoked by then is
    left alone and nothing is recorded; a revocation scheduled later (a rotation's overlap)
    is brought forward. Returns whether anything changed; `credential` is refreshed."""
    when = at or timezone.now()
    with transaction.atomic():
        current = LrsCredential.objects.select_for_update().get(pk=credential.pk)
        changed = current.revoked_at is None or current.revoked_at > when
        if changed:
            current.revoked_at = when
            current.save(update_fields=["revoked_at", "updated_at"])
            details: dict[str, Any] = {
                "key": current.key,
                "revoked_at": when.isoformat(timespec="seconds"),
            }
            if rotated_to:
                details["rotated_to"] = rotated_to
            record(
                action=Action.LRS_KEY_REVOKED,
                user_id=by.pk if by is not None else None,
                target=current,
                details=details,
            )
    credential.revoked_at = current.revoked_at
    credential.updated_at = current.updated_at
    forget_credential(credential.key)
    return changed


def rotate_credential(
    *, credential: LrsCredential, overlap: timedelta, by: User | None = None
) -> IssuedCredential:
    """Issue a successor with the same scopes and authority; the old one expires after `overlap`
    (or stays revoked from its earlier date: a rotation never revives a revoked key)."""
    with transaction.atomic():
        successor = issue_credential(
            organisation=credential.organisation,
            label=credential.label,
            scopes=list(credential.scopes),
            by=by,
            authority=credential.authority,
            rate_limit_per_minute=credential.rate_limit_per_minute,
            rotated_from=credential.key,
        )
        revoke_credential(
            credential=credential,
            by=by,
            at=timezone.now() + overlap,
            rotated_to=successor.credential.key,
        )
    return successor


FORWARDING_SETTINGS = ("endpoint", "username", "enabled")


def save_forwarding_target(*, target: ForwardingTarget, by: User | None = None) -> list[str]:
    """Create or change an organisation's forwarding target (its own LRS); returns the names
    of the changed fields. The audit entry names them, and says whether the secret was
    replaced, never what it is or was. A save that changes nothing records nothing."""
    with transaction.atomic():
        before = (
            None
            if target._state.adding
            else ForwardingTarget.objects.select_for_update()
            .filter(pk=target.pk)
            .values(*FORWARDING_SETTINGS, "password")
            .first()
        )
        changed = [
            name
            for name in FORWARDING_SETTINGS
            if before is None or before[name] != getattr(target, name)
        ]
        secret_replaced = before is None or before["password"] != target.password
        target.save()
        if changed or secret_replaced:
            record(
                action=Action.LRS_FORWARDING_CHANGED,
                user_id=by.pk if by is not None else None,
                target=target,
                details={
                    "created": before is None,
                    "enabled": target.enabled,
                    "settings_changed": ",".join(changed),
                    "secret_replaced": secret_replaced,
                },
            )
    return changed + (["password"] if secret_replaced else [])


def remove_forwarding_target(*, target: ForwardingTarget, by: User | None = None) -> None:
    """Stop forwarding for good: the target is deleted (queued copies stay in the outbox)."""
    with transaction.atomic():
        record(
            action=Action.LRS_FORWARDING_CHANGED,
            user_id=by.pk if by is not None else None,
            target=target,
            details={"removed": True, "enabled": False},
        )
        target.delete()
