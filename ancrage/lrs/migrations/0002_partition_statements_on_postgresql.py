"""PostgreSQL only: rebuild lrs_statement as a table partitioned by month of `stored`.

The primary key becomes (stored, seq) — PostgreSQL requires the partition key in it; `seq`
still comes from one identity sequence, so it stays unique. Django's indexes are recreated
on the parent (and so on every partition), plus GIN indexes for related_agents and
related_activities. SQLite keeps the plain table from 0001.
"""

from django.db import migrations

from ancrage.lrs.partitions import ensure_partitions


def partition(apps, schema_editor):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'lrs_statement' "
            "AND indexname NOT LIKE '%%_pkey'"
        )
        index_defs = [row[0] for row in cursor.fetchall()]
        cursor.execute("ALTER TABLE lrs_statement RENAME TO lrs_statement_plain")
        for definition in index_defs:
            name = definition.split(" INDEX ")[1].split(" ON ")[0]
            cursor.execute(f"DROP INDEX {name}")
        cursor.execute(
            "CREATE TABLE lrs_statement (LIKE lrs_statement_plain INCLUDING DEFAULTS "
            "INCLUDING IDENTITY) PARTITION BY RANGE (stored)"
        )
        cursor.execute("ALTER TABLE lrs_statement ADD PRIMARY KEY (stored, seq)")
        cursor.execute(
            "ALTER TABLE lrs_statement ADD CONSTRAINT lrs_statement_organisation_fk "
            "FOREIGN KEY (organisation_id) REFERENCES tenancy_organisation (id) "
            "DEFERRABLE INITIALLY DEFERRED"
        )
        cursor.execute("DROP TABLE lrs_statement_plain")
        for definition in index_defs:
            cursor.execute(definition.replace(" ON public.lrs_statement_plain ", " ON lrs_statement "))
        cursor.execute(
            "CREATE INDEX lrs_st_rel_agents ON lrs_statement USING gin (related_agents jsonb_path_ops)"
        )
        cursor.execute(
            "CREATE INDEX lrs_st_rel_activities ON lrs_statement "
            "USING gin (related_activities jsonb_path_ops)"
        )
        cursor.execute("CREATE TABLE lrs_statement_default PARTITION OF lrs_statement DEFAULT")
    ensure_partitions(connection)


class Migration(migrations.Migration):
    dependencies = [("lrs", "0001_initial")]

    operations = [migrations.RunPython(partition, migrations.RunPython.noop, elidable=False)]
