"""Fill `StatementAgent` for the statements stored before it existed.

The twin of migration 0005, over `related_agents` (rerunnable: ON CONFLICT DO NOTHING), with
the same hash in SQL (`shapes.agent_hash` is `shapes.activity_hash`). The GIN index on
`related_agents` stays: `privacy.subjects.statements_about` still finds a person's
statements with it.
"""

import importlib

from django.db import migrations

from ancrage.lrs.shapes import agent_hash

PG_AGENT_HASH = importlib.import_module(
    "ancrage.lrs.migrations.0005_backfill_statement_activities"
).PG_ACTIVITY_HASH

# Statements after a seq (0: all); bench/lrs/bench.py runs it too for the rows it COPYs.
POSTGRES_BACKFILL = (
    "INSERT INTO lrs_statementagent (organisation_id, agent_hash, stored, seq) "
    f"SELECT s.organisation_id, {PG_AGENT_HASH.format('a.value')}, s.stored, s.seq "
    "FROM lrs_statement s CROSS JOIN LATERAL jsonb_array_elements_text(s.related_agents) "
    "AS a(value) WHERE s.seq > %s ON CONFLICT DO NOTHING"
)
_SQLITE = (
    "INSERT INTO lrs_statementagent (organisation_id, agent_hash, stored, seq) "
    "SELECT s.organisation_id, ancrage_agent_hash(a.value), s.stored, s.seq "
    # WHERE true: SQLite's parser needs it between a SELECT and its ON CONFLICT clause
    "FROM lrs_statement s, json_each(s.related_agents) a WHERE true ON CONFLICT DO NOTHING"
)


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_BACKFILL, [0])
        else:
            connection.connection.create_function(
                "ancrage_agent_hash", 1, agent_hash, deterministic=True
            )
            cursor.execute(_SQLITE)


class Migration(migrations.Migration):
    dependencies = [("lrs", "0007_statement_agents")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False)]
