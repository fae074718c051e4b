"""The search index: one row per thing a person can find — a path, or one of its memo sheets.

Rows exist only for the published version of each path and are rebuilt from it
(`indexing.reindex_path`); they are derived data, never edited by hand.

`index_title`, `index_keywords` and `index_body` hold the text the database indexes, in
three weights (title first): folded text on PostgreSQL, which fills `vector` from it with the
`french` configuration (GIN index); folded and stemmed text on SQLite, where the FTS5 table
`catalog_search_fts` (external content, kept in step by triggers) indexes these columns. Both
the FTS5 table and the GIN index are created by migration 0001 for their database only.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.catalog.models import Card, Path, PathVersion

FTS_TABLE = "catalog_search_fts"


class EntryKind(models.TextChoices):
    PATH = "path", _("Path")
    MEMO_SHEET = "memo_sheet", _("Memo sheet")


class SearchEntry(models.Model):
    # An integer key: it is the FTS5 rowid on SQLite.
    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    path = models.ForeignKey(Path, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(PathVersion, on_delete=models.CASCADE, related_name="+")
    card = models.ForeignKey(
        Card, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    # Plain text shown around the words found (snippets).
    text = models.TextField(_("text"), blank=True)
    index_title = models.TextField(blank=True)
    index_keywords = models.TextField(blank=True)
    index_body = models.TextField(blank=True)
    vector = SearchVectorField(null=True, blank=True)

    class Meta:
        db_table = "catalog_search_entry"
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        indexes = [models.Index(fields=["path"], name="catalog_search_entry_path")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"
