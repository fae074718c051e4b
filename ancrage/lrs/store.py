"""Hand-written SQL for the ingest hot path, on PostgreSQL and SQLite.

Both engines understand multi-row `INSERT … ON CONFLICT … DO NOTHING RETURNING`; the
differences are how a UUID, a timestamp and a JSON value are passed (`db_uuid`,
`db_datetime`), and that PostgreSQL claims the ids and inserts the statements and their
`StatementActivity` and `StatementAgent` rows in one prepared statement (`run_prepared`),
where SQLite runs four.
"""

import functools
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import orjson
from django.db import connection

from ancrage.common.prepared import run_prepared
from ancrage.lrs.models import (
    Activity,
    Attachment,
    Statement,
    StatementActivity,
    StatementAgent,
    StatementKey,
)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def db_uuid(value: uuid.UUID | str | None, postgres: bool | None = None) -> Any:
    """A UUID as the engine takes it; `postgres` spares the lookup in a loop."""
    if value is None:
        return None
    value = value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    return value if (is_postgres() if postgres is None else postgres) else value.hex


def db_datetime(value: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def datetime_adapter() -> Callable[[datetime], Any]:
    """`db_datetime` looked up once, for a loop."""
    return connection.ops.adapt_datetimefield_value


def from_db_uuid(value: Any) -> str:
    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))


def load_json(value: Any) -> Any:
    if isinstance(value, str | bytes | bytearray | memoryview):
        return orjson.loads(bytes(value) if isinstance(value, memoryview) else value)
    return value


def _json_placeholder() -> str:
    return "CAST(%s AS jsonb)" if is_postgres() else "%s"


def _chunks(rows: Sequence[Any], size: int = 500) -> list[Sequence[Any]]:
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def insert_keys(organisation_id: uuid.UUID, keys: list[tuple[str, str]]) -> set[str]:
    """Insert (statement_id, content_hash) pairs; return the ids that were new."""
    table = StatementKey._meta.db_table
    org = db_uuid(organisation_id)
    inserted: set[str] = set()
    with connection.cursor() as cursor:
        for chunk in _chunks(keys):
            values = ",".join(["(%s,%s,%s)"] * len(chunk))
            params: list[Any] = []
            for statement_id, digest in chunk:
                params += [org, db_uuid(statement_id), digest]
            cursor.execute(
                f"INSERT INTO {table} (organisation_id, statement_id, content_hash) "  # noqa: S608  # nosec B608
                f"VALUES {values} ON CONFLICT (organisation_id, statement_id) DO NOTHING "
                "RETURNING statement_id",
                params,
            )
            inserted.update(from_db_uuid(row[0]) for row in cursor.fetchall())
    return inserted


def existing_hashes(organisation_id: uuid.UUID, statement_ids: list[str]) -> dict[str, str]:
    rows = StatementKey.objects.filter(
        organisation_id=organisation_id, statement_id__in=statement_ids
    ).values_list("statement_id", "content_hash")
    return {str(sid): digest for sid, digest in rows}


_STATEMENT_COLUMNS = (
    "organisation_id",
    "statement_id",
    "stored",
    "timestamp",
    "verb_id",
    "activity_id",
    "actor_key",
    "object_agent_key",
    "registration",
    "ref_target",
    "ref_verb_id",
    "ref_activity_id",
    "ref_actor_key",
    "ref_registration",
    "related_agents",
    "related_activities",
    "credential_id",
    "voided",
    "payload",
)
_JSON_COLUMNS = {"related_agents", "related_activities", "payload"}


_PG_TYPES = {
    "organisation_id": "uuid",
    "statement_id": "uuid",
    "stored": "timestamptz",
    "timestamp": "timestamptz",
    "registration": "uuid",
    "ref_target": "uuid",
    "ref_registration": "uuid",
    "credential_id": "uuid",
    "voided": "boolean",
    "related_agents": "jsonb",
    "related_activities": "jsonb",
    "payload": "jsonb",
}


def claim_and_insert(
    organisation_id: uuid.UUID, rows: list[dict[str, Any]], digests: list[str]
) -> set[str]:
    """Claim each row's statement id and insert the rows whose id was new, with their
    `StatementActivity` and `StatementAgent` rows (`activity_hashes`, `agent_hashes`); return
    the ids that were new.

    PostgreSQL does it all in one statement (data-modifying CTEs: one round trip); SQLite
    claims the ids with INSERT … RETURNING, then inserts the new rows and their activities.
    """
    if not is_postgres():
        new = insert_keys(
            organisation_id, [(r["statement_id"], d) for r, d in zip(rows, digests, strict=True)]
        )
        insert_statements([r for r in rows if from_db_uuid(r["statement_id"]) in new])
        return new
    inserted: set[str] = set()
    for chunk_rows, chunk_digests in zip(_chunks(rows, 200), _chunks(digests, 200), strict=True):
        params: list[Any] = []
        for row, digest in zip(chunk_rows, chunk_digests, strict=True):
            params += [row[col] for col in _STATEMENT_COLUMNS]
            params.append(digest)
            params.append(row["activity_hashes"])
            params.append(row["agent_hashes"])
        sql = _claim_and_insert_sql(len(chunk_rows))
        inserted.update(from_db_uuid(r[0]) for r in run_prepared(sql, params, numbered=True))
    return inserted


@functools.cache
def _claim_and_insert_sql(count: int) -> str:
    """The PostgreSQL statement of `claim_and_insert` for `count` rows ($n placeholders)."""
    columns = ",".join(f'"{col}"' for col in _STATEMENT_COLUMNS)
    types = [_PG_TYPES.get(col, "text") for col in (*_STATEMENT_COLUMNS, "content_hash")]
    types += ["bigint[]", "bigint[]"]  # activity_hashes, agent_hashes
    rows = []
    for row in range(count):
        first = row * len(types) + 1
        casts = (f"CAST(${first + i} AS {kind})" for i, kind in enumerate(types))
        rows.append("(" + ",".join(casts) + ")")
    # table and column names are ours; every value is a parameter
    return (
        f"WITH incoming ({columns}, content_hash, activity_hashes, agent_hashes) AS (VALUES "  # noqa: S608
        + ",".join(rows)
        + f"), claimed AS (INSERT INTO {StatementKey._meta.db_table} "  # noqa: S608  # nosec B608
        "(organisation_id, statement_id, content_hash) "
        "SELECT organisation_id, statement_id, content_hash FROM incoming "
        "ON CONFLICT (organisation_id, statement_id) DO NOTHING RETURNING statement_id), "
        f"inserted AS (INSERT INTO {Statement._meta.db_table} ({columns}) "
        f"SELECT {columns} FROM incoming "
        "WHERE statement_id IN (SELECT statement_id FROM claimed) "
        "RETURNING statement_id, stored, seq), "
        f"related AS (INSERT INTO {StatementActivity._meta.db_table} "
        "(organisation_id, activity_hash, stored, seq) "
        "SELECT incoming.organisation_id, hash, inserted.stored, inserted.seq "
        "FROM inserted JOIN incoming ON incoming.statement_id = inserted.statement_id "
        "CROSS JOIN LATERAL unnest(incoming.activity_hashes) AS hash), "
        f"agents AS (INSERT INTO {StatementAgent._meta.db_table} "
        "(organisation_id, agent_hash, stored, seq) "
        "SELECT incoming.organisation_id, hash, inserted.stored, inserted.seq "
        "FROM inserted JOIN incoming ON incoming.statement_id = inserted.statement_id "
        "CROSS JOIN LATERAL unnest(incoming.agent_hashes) AS hash) "
        "SELECT statement_id FROM inserted"
    )


def insert_statements(rows: list[dict[str, Any]]) -> None:
    """Insert statement rows (dicts keyed by column name, values already adapted), a
    `StatementActivity` row for each of their `activity_hashes` and a `StatementAgent` row
    for each of their `agent_hashes`."""
    table = Statement._meta.db_table
    placeholder = (
        "("
        + ",".join(
            _json_placeholder() if col in _JSON_COLUMNS else "%s" for col in _STATEMENT_COLUMNS
        )
        + ")"
    )
    columns = ",".join(f'"{col}"' for col in _STATEMENT_COLUMNS)
    by_id = {row["statement_id"]: row for row in rows}
    related: dict[type[StatementActivity | StatementAgent], list[Any]] = {
        StatementActivity: [],
        StatementAgent: [],
    }
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, 200):
            params = [row[col] for row in chunk for col in _STATEMENT_COLUMNS]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608  # nosec B608
                + ",".join([placeholder] * len(chunk))
                + " RETURNING statement_id, seq",
                params,
            )
            for statement_id, seq in cursor.fetchall():
                row = by_id[statement_id]
                for model, hashes in (
                    (StatementActivity, row["activity_hashes"]),
                    (StatementAgent, row["agent_hashes"]),
                ):
                    related[model] += [
                        (row["organisation_id"], h, row["stored"], seq) for h in hashes
                    ]
        for model, hash_column in (
            (StatementActivity, "activity_hash"),
            (StatementAgent, "agent_hash"),
        ):
            for chunk in _chunks(related[model]):
                cursor.execute(
                    f"INSERT INTO {model._meta.db_table} "  # noqa: S608  # nosec B608
                    f"(organisation_id, {hash_column}, stored, seq) VALUES "
                    + ",".join(["(%s,%s,%s,%s)"] * len(chunk)),
                    [value for row in chunk for value in row],
                )


def statement_facts(
    organisation_id: uuid.UUID, statement_ids: list[str]
) -> dict[str, dict[str, Any]]:
    """Filterable values of stored statements, for StatementRef targets and voiding checks."""
    rows = Statement.objects.filter(
        organisation_id=organisation_id, statement_id__in=statement_ids
    ).values(
        "statement_id",
        "verb_id",
        "activity_id",
        "actor_key",
        "object_agent_key",
        "registration",
        "related_agents",
        "related_activities",
    )
    return {str(row["statement_id"]): dict(row) for row in rows}


def void_statements(organisation_id: uuid.UUID, statement_ids: list[str], voided_verb: str) -> None:
    Statement.objects.filter(
        organisation_id=organisation_id, statement_id__in=statement_ids
    ).exclude(verb_id=voided_verb).update(voided=True)


def merge_definition(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Newer values win; language maps (name, description) keep every language seen."""
    merged = old | new
    for key in ("name", "description"):
        if isinstance(old.get(key), dict) and isinstance(new.get(key), dict):
            merged[key] = old[key] | new[key]
    return merged


# Definitions this process last saw in the database: a statement whose definition adds
# nothing to them skips the read (and the write) entirely. Stale entries only delay a merge.
_KNOWN: dict[tuple[uuid.UUID, str], dict[str, Any]] = {}


def _remember(organisation_id: uuid.UUID, activity_id: str, definition: dict[str, Any]) -> None:
    if len(_KNOWN) > 50_000:
        _KNOWN.clear()
    _KNOWN[(organisation_id, activity_id)] = definition


def definitions_known(organisation_id: uuid.UUID, definitions: dict[str, Any]) -> bool:
    """True when every definition adds nothing to what this process last stored."""
    for activity_id, definition in definitions.items():
        known = _KNOWN.get((organisation_id, activity_id))
        if known is None or merge_definition(known, definition) != known:
            return False
    return True


def learn_definitions(organisation_id: uuid.UUID, activity_ids: list[str]) -> None:
    """Remember the stored definitions of these activities: one read, no lock, no
    transaction (what `upsert_activities` would read before finding nothing to write)."""
    if is_postgres():
        rows = run_prepared(
            f"SELECT activity_id, definition FROM {Activity._meta.db_table} "  # noqa: S608  # nosec B608
            "WHERE organisation_id = %s AND activity_id = ANY(%s)",
            [organisation_id, activity_ids],
        )
    else:
        rows = list(
            Activity.objects.filter(
                organisation_id=organisation_id, activity_id__in=activity_ids
            ).values_list("activity_id", "definition")
        )
    for activity_id, definition in rows:
        _remember(organisation_id, activity_id, load_json(definition))


def upsert_activities(
    organisation_id: uuid.UUID, definitions: dict[str, Any], now: datetime
) -> None:
    """Merge definitions into the canonical ones; rows whose definition is unchanged are not
    written (and so not locked), which keeps hot activities from serialising ingest."""
    known = [
        activity_id
        for activity_id, definition in definitions.items()
        if merge_definition(_KNOWN.get((organisation_id, activity_id), {}), definition)
        != _KNOWN.get((organisation_id, activity_id))
    ]
    definitions = {activity_id: definitions[activity_id] for activity_id in known}
    if not definitions:
        return
    current = dict(
        Activity.objects.filter(
            organisation_id=organisation_id, activity_id__in=list(definitions)
        ).values_list("activity_id", "definition")
    )
    changed = {}
    for activity_id, definition in definitions.items():
        merged = merge_definition(current.get(activity_id) or {}, definition)
        if merged != current.get(activity_id):
            changed[activity_id] = merged
    for activity_id in definitions:
        _remember(organisation_id, activity_id, changed.get(activity_id) or current[activity_id])
    if not changed:
        return
    table = Activity._meta.db_table
    org = db_uuid(organisation_id)
    stamp = db_datetime(now)
    items = sorted(changed.items())
    with connection.cursor() as cursor:
        for chunk in _chunks(items):
            values = ",".join([f"(%s,%s,{_json_placeholder()},%s)"] * len(chunk))
            params: list[Any] = []
            for activity_id, definition in chunk:
                params += [org, activity_id, orjson.dumps(definition).decode(), stamp]
            cursor.execute(
                f"INSERT INTO {table} (organisation_id, activity_id, definition, updated) "  # noqa: S608  # nosec B608
                f"VALUES {values} ON CONFLICT (organisation_id, activity_id) DO UPDATE SET "
                "definition = EXCLUDED.definition, updated = EXCLUDED.updated",
                params,
            )


def insert_attachments(organisation_id: uuid.UUID, parts: dict[str, tuple[str, bytes]]) -> None:
    if not parts:
        return
    table = Attachment._meta.db_table
    org = db_uuid(organisation_id)
    with connection.cursor() as cursor:
        for sha2, (content_type, content) in parts.items():
            cursor.execute(
                f"INSERT INTO {table} (organisation_id, sha2, content_type, content) "  # noqa: S608  # nosec B608
                "VALUES (%s,%s,%s,%s) ON CONFLICT (organisation_id, sha2) DO NOTHING",
                [org, sha2, content_type, content],
            )


def dumps(value: Any) -> str:
    return orjson.dumps(value).decode()
