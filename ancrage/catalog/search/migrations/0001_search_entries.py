"""The search index table, then its database-specific full-text index.

SQLite: an FTS5 table over the entry's index_* columns (external content, unicode61 tokenizer
without diacritics), kept in step with catalog_search_entry by triggers — so every write,
rollback or flush of the entry table applies to the index too. PostgreSQL: a GIN index on
the stored tsvector. Each database gets only its own; the other is a no-op.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

FTS = "catalog_search_fts"
ENTRY = "catalog_search_entry"
COLUMNS = "index_title, index_keywords, index_body"
NEW = "new.index_title, new.index_keywords, new.index_body"
OLD = "old.index_title, old.index_keywords, old.index_body"

SQLITE_CREATE = [
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5({COLUMNS}, content='{ENTRY}', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER {FTS}_ai AFTER INSERT ON {ENTRY} BEGIN
        INSERT INTO {FTS}(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END""",
    f"""CREATE TRIGGER {FTS}_ad AFTER DELETE ON {ENTRY} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD}); END""",
    f"""CREATE TRIGGER {FTS}_au AFTER UPDATE ON {ENTRY} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD});
        INSERT INTO {FTS}(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END""",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TABLE IF EXISTS {FTS}",
]
POSTGRES_CREATE = [f"CREATE INDEX catalog_search_entry_vector ON {ENTRY} USING gin (vector)"]
POSTGRES_DROP = ["DROP INDEX IF EXISTS catalog_search_entry_vector"]


def _run(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def create_full_text_index(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE})


def drop_full_text_index(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('catalog', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('kind', models.CharField(choices=[('path', 'Path'), ('memo_sheet', 'Memo sheet')], max_length=16, verbose_name='kind')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('text', models.TextField(blank=True, verbose_name='text')),
                ('index_title', models.TextField(blank=True)),
                ('index_keywords', models.TextField(blank=True)),
                ('index_body', models.TextField(blank=True)),
                ('vector', django.contrib.postgres.search.SearchVectorField(blank=True, null=True)),
                ('card', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalog.card')),
                ('path', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalog.path')),
                ('version', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalog.pathversion')),
            ],
            options={
                'verbose_name': 'search entry',
                'verbose_name_plural': 'search entries',
                'db_table': 'catalog_search_entry',
                'indexes': [models.Index(fields=['path'], name='catalog_search_entry_path')],
            },
        ),
        migrations.RunPython(create_full_text_index, drop_full_text_index),
    ]
