"""Fill `StatementActivity` for the statements stored before it existed.

One INSERT … SELECT over every statement's `related_activities` (rerunnable: ON CONFLICT DO
NOTHING). PostgreSQL computes the 64-bit hash in SQL, bit for bit `shapes.activity_hash`
(a test holds them equal); SQLite calls that function itself. On PostgreSQL the GIN index
on `related_activities` goes: `StatementActivity` answers those queries now, and each
ingest no longer pays for it.
"""

from django.db import migrations

from ancrage.lrs.shapes import activity_hash

PG_ACTIVITY_HASH = "('x' || left(encode(sha256(convert_to({}, 'UTF8')), 'hex'), 16))::bit(64)::bigint"

# Statements after a seq (0: all); bench/lrs/bench.py runs it too for the rows it COPYs.
POSTGRES_BACKFILL = (
    "INSERT INTO lrs_statementactivity (organisation_id, activity_hash, stored, seq) "
    f"SELECT s.organisation_id, {PG_ACTIVITY_HASH.format('a.value')}, s.stored, s.seq "
    "FROM lrs_statement s CROSS JOIN LATERAL jsonb_array_elements_text(s.related_activities) "
    "AS a(value) WHERE s.seq > %s ON CONFLICT DO NOTHING"
)
_SQLITE = (
    "INSERT INTO lrs_statementactivity (organisation_id, activity_hash, stored, seq) "
    "SELECT s.organisation_id, ancrage_activity_hash(a.value), s.stored, s.seq "
    # WHERE true: SQLite's parser needs it between a SELECT and its ON CONFLICT clause
    "FROM lrs_statement s, json_each(s.related_activities) a WHERE true ON CONFLICT DO NOTHING"
)


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_BACKFILL, [0])
            cursor.execute("DROP INDEX IF EXISTS lrs_st_rel_activities")
        else:
            connection.connection.create_function(
                "ancrage_activity_hash", 1, activity_hash, deterministic=True
            )
            cursor.execute(_SQLITE)


def restore_gin_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS lrs_st_rel_activities ON lrs_statement "
                "USING gin (related_activities jsonb_path_ops)"
            )


class Migration(migrations.Migration):
    dependencies = [("lrs", "0004_statement_activities")]

    operations = [migrations.RunPython(backfill, restore_gin_index, elidable=False)]
