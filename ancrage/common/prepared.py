"""Prepared statements on PostgreSQL, for the few hot queries that are planned on every call.

Django binds parameters on the client and never prepares a statement. For the LRS's ingest
and reads and the player's card row, parsing and planning cost as much as running (planning
over every monthly partition of the statements dominated read latency at 1 M statements):
`run_prepared` has PostgreSQL parse and plan them once per connection instead.
"""

import weakref
from collections.abc import Sequence
from typing import Any

import psycopg
from django.db import connection

# Django turns psycopg's automatic preparing off (None); a threshold no query reaches keeps it
# off while letting `prepare=True` through: no other query is ever prepared.
_EXPLICIT_ONLY = 2**31 - 1
_GENERIC_PLANS: "weakref.WeakSet[Any]" = weakref.WeakSet()


def run_prepared(
    sql: str, params: Sequence[Any], *, numbered: bool = False
) -> list[tuple[Any, ...]]:
    """Run one statement on PostgreSQL as a prepared statement with server-side binding and
    return its rows. `numbered`: the SQL already has PostgreSQL's $1, $2… placeholders
    (psycopg rewrites %s on every call when a statement has more than 50 parameters: half the
    CPU of a batch of 100 LRS statements)."""
    connection.ensure_connection()
    raw = connection.connection
    cursor_class = psycopg.RawCursor if numbered else psycopg.Cursor
    with connection.wrap_database_errors, cursor_class(raw) as cursor:
        raw.prepare_threshold = _EXPLICIT_ONLY
        if raw not in _GENERIC_PLANS and raw.autocommit:
            # Only our prepared statements exist on this connection, so this affects nothing
            # else: reuse one plan instead of re-planning per value. Outside a transaction
            # only: a rollback would undo it.
            cursor.execute("SET plan_cache_mode = force_generic_plan")
            _GENERIC_PLANS.add(raw)
        cursor.execute(sql, params, prepare=True)
        return cursor.fetchall() if cursor.description else []
