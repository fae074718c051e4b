"""Keep the search index true: rebuild a path's entries from its published version.

`reindex_path` runs inside the caller's transaction (the catalogue calls it from
`publish_version` and `retire_version`), so a version is never published without being
findable, nor retired while still found. `reindex_all` rebuilds everything (the
`catalog_reindex` command, after restoring a database or changing the indexing rules).

What is indexed, by weight (A counts most):

| entry      | A (title)        | B (keywords)                                    | C (body)                  |
|------------|------------------|-------------------------------------------------|---------------------------|
| path       | version title    | skills, theme, summary, objectives, behaviours  | module titles, card text  |
| memo sheet | memo sheet title | path title, skills                              | memo sheet text           |
"""

import uuid

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction

from ancrage.catalog.models import Card, CardType, KeyBehaviour, Module, PathVersion, VersionStatus
from ancrage.catalog.search.models import FTS_TABLE, EntryKind, SearchEntry
from ancrage.catalog.search.text import card_texts, fold, joined, markdown_to_text, stemmed


def _index_text(text: str) -> str:
    """What the database indexes: folded text for PostgreSQL, stemmed as well for SQLite."""
    return stemmed(text) if connection.vendor == "sqlite" else fold(text)


def _entry(
    version: PathVersion,
    *,
    kind: str,
    title: str,
    keywords: str,
    body: str,
    text: str,
    card: Card | None = None,
) -> SearchEntry:
    return SearchEntry(
        kind=kind,
        path_id=version.path_id,
        version=version,
        card=card,
        title=title[:200],
        text=text,
        index_title=_index_text(title),
        index_keywords=_index_text(keywords),
        index_body=_index_text(body),
    )


def entries_for(version: PathVersion) -> list[SearchEntry]:
    """The entries of one version: the path itself, then each memo sheet in reading order."""
    modules = list(Module.objects.filter(version=version).order_by("order"))
    cards = list(Card.objects.filter(module__version=version).order_by("module__order", "order"))
    behaviours = KeyBehaviour.objects.filter(version=version).order_by("order")
    skills = ", ".join(version.skills)
    card_text = joined(joined(card_texts(card.type, card.payload)) for card in cards)
    summary = version.summary
    entries = [
        _entry(
            version,
            kind=EntryKind.PATH,
            title=version.title,
            keywords=joined(
                [
                    skills,
                    version.path.theme.title,
                    summary,
                    *version.objectives,
                    *(kb.statement for kb in behaviours),
                ]
            ),
            body=joined([*(m.title for m in modules), card_text]),
            text=joined([summary, *version.objectives]),
        )
    ]
    for card in cards:
        if card.type != CardType.MEMO_SHEET:
            continue
        body = markdown_to_text(card.payload.get("body", ""))
        entries.append(
            _entry(
                version,
                kind=EntryKind.MEMO_SHEET,
                title=card.payload.get("title", "") or version.title,
                keywords=joined([version.title, skills]),
                body=body,
                text=body,
                card=card,
            )
        )
    return entries


def _fill_vectors(path_id: uuid.UUID | None) -> None:
    if connection.vendor != "postgresql":
        return
    entries = SearchEntry.objects.all()
    if path_id is not None:
        entries = entries.filter(path_id=path_id)
    entries.update(
        vector=SearchVector("index_title", weight="A", config="french")
        + SearchVector("index_keywords", weight="B", config="french")
        + SearchVector("index_body", weight="C", config="french")
    )


@transaction.atomic
def reindex_path(*, path_id: uuid.UUID) -> int:
    """Replace the path's entries by those of its published version (none if it has none).

    Returns the number of entries written.
    """
    SearchEntry.objects.filter(path_id=path_id).delete()
    version = (
        PathVersion.objects.filter(path_id=path_id, status=VersionStatus.PUBLISHED)
        .select_related("path__theme")
        .first()
    )
    if version is None:
        return 0
    entries = SearchEntry.objects.bulk_create(entries_for(version))
    _fill_vectors(path_id)
    return len(entries)


@transaction.atomic
def reindex_all() -> int:
    """Rebuild the whole index from the published versions; returns the number of entries."""
    SearchEntry.objects.all().delete()
    entries: list[SearchEntry] = []
    for version in PathVersion.objects.published().select_related("path__theme"):
        entries += entries_for(version)
    SearchEntry.objects.bulk_create(entries, batch_size=500)
    _fill_vectors(None)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # Realign the FTS5 table with its content table, whatever happened to it.
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")  # noqa: S608  # nosec B608
    return len(entries)
