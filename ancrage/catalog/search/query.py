"""`search_catalogue`: what a person finds for a few words, within what their licence covers.

The query is reduced to at most 12 words of letters and digits (folded like the index), so
no character a person types — quotes, `*`, `:`, `NEAR`, `AND`, parentheses — ever reaches a
full-text query parser as syntax. Each word is matched as a prefix ("reform" finds
"reformuler"); every word must match, and when that finds nothing any word may.

* PostgreSQL: `to_tsquery('french', 'w1:* & w2:*')` against the stored `tsvector`, ranked by
  `ts_rank` with the title weighted highest (GIN index).
* SQLite: FTS5 `MATCH '"w1"* "w2"*'` on the lightly stemmed words, ranked by `bm25` with
  column weights 10 (title), 4 (keywords), 1 (body).

Scope and filters are applied inside the same query, so a path outside the person's licence
can never crowd out or leak into the results.
"""

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, F, QuerySet, Value, When

from ancrage.catalog.browsing.filters import CatalogueFilters, filter_versions
from ancrage.catalog.browsing.scope import CatalogueScope, licensed_paths
from ancrage.catalog.models import PathVersion
from ancrage.catalog.search.models import FTS_TABLE, SearchEntry
from ancrage.catalog.search.text import fold, fold_char, stem
from ancrage.tenancy.models import Membership

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
MAX_TERM_CHARS = 40
MAX_RESULTS = 50
SNIPPET_CHARS = 220
TERM = re.compile(r"[^\W_]+")  # runs of letters and digits


@dataclass(frozen=True)
class Segment:
    text: str
    match: bool


@dataclass
class SearchHit:
    entry: SearchEntry
    rank: float
    snippet: list[Segment] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.entry.kind

    @property
    def title(self) -> str:
        return self.entry.title

    @property
    def version(self) -> PathVersion:
        return self.entry.version

    @property
    def card_id(self) -> uuid.UUID | None:
        return self.entry.card_id


def query_terms(query: str) -> list[str]:
    """The words searched for: folded, letters and digits only, at most MAX_TERMS of them."""
    terms: list[str] = []
    for word in TERM.findall(fold(query[:MAX_QUERY_CHARS])):
        token = word[:MAX_TERM_CHARS]
        if len(token) >= 2 and token not in terms:
            terms.append(token)
    return terms[:MAX_TERMS]


def search_catalogue(
    *,
    query: str,
    membership: Membership | None,
    filters: CatalogueFilters | None = None,
    everything: bool = False,
    limit: int = MAX_RESULTS,
) -> list[SearchHit]:
    """Paths and memo sheets matching `query`, best first, from the published catalogue.

    Scoped to what `membership`'s licences cover; publisher staff pass `membership=None,
    everything=True`. With neither, nothing is found. An empty query finds nothing.
    """
    terms = query_terms(query)
    if not terms:
        return []
    if membership is not None:
        scope = licensed_paths(membership)
    elif everything:
        scope = CatalogueScope.everything()
    else:
        return []
    versions = filter_versions(scope.apply(PathVersion.objects.published()), filters)
    entries = SearchEntry.objects.filter(version__in=versions.values("pk"))
    ranked = _ranked(entries, terms, limit, any_term=False)
    if not ranked and len(terms) > 1:
        ranked = _ranked(entries, terms, limit, any_term=True)
    return _hits(ranked, terms)


def _ranked(
    entries: "QuerySet[SearchEntry]", terms: list[str], limit: int, *, any_term: bool
) -> list[tuple[int, float]]:
    if connection.vendor == "postgresql":
        return _ranked_postgres(entries, terms, limit, any_term=any_term)
    return _ranked_sqlite(entries, terms, limit, any_term=any_term)


def _ranked_postgres(
    entries: "QuerySet[SearchEntry]", terms: list[str], limit: int, *, any_term: bool
) -> list[tuple[int, float]]:
    operator = " | " if any_term else " & "
    tsquery = SearchQuery(
        operator.join(f"{term}:*" for term in terms), search_type="raw", config="french"
    )
    rows = (
        entries.filter(vector=tsquery)
        .annotate(
            rank=SearchRank(F("vector"), tsquery),
            # weights are D, C, B, A: only the title (A) counts here.
            title_rank=SearchRank(F("vector"), tsquery, weights=[0.0, 0.0, 0.0, 1.0]),
            title_hit=Case(When(title_rank__gt=0, then=Value(1)), default=Value(0)),
        )
        .order_by("-title_hit", "-rank", "title", "id")
        .values_list("id", "rank")[:limit]
    )
    return [(pk, float(rank)) for pk, rank in rows]


def _ranked_sqlite(
    entries: "QuerySet[SearchEntry]", terms: list[str], limit: int, *, any_term: bool
) -> list[tuple[int, float]]:
    # Each term is letters and digits only; quoted, it is a plain token, never syntax.
    words = (" OR " if any_term else " ").join(f'"{stem(term)}"*' for term in terms)
    in_title = f"index_title : ({words})"
    try:
        scoped_sql, scoped_params = entries.values("id").query.sql_with_params()
    except EmptyResultSet:  # nothing in scope (e.g. an à la carte licence with no path)
        return []
    # bm25's IDF is flat on a small catalogue, so a title match is ordered first explicitly.
    sql = (
        f"SELECT e.id, bm25({FTS_TABLE}, 10.0, 4.0, 1.0) AS score, "  # noqa: S608 — constants  # nosec B608
        f"e.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) AS title_hit "
        f"FROM {FTS_TABLE} JOIN {SearchEntry._meta.db_table} e ON e.id = {FTS_TABLE}.rowid "
        f"WHERE {FTS_TABLE} MATCH %s AND e.id IN ({scoped_sql}) "
        "ORDER BY title_hit DESC, score, e.title, e.id LIMIT %s"
    )
    params: list[Any] = [in_title, words, *scoped_params, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # bm25 is lower for better matches; turn it into "higher is better".
        return [(pk, -float(score)) for pk, score, _title_hit in cursor.fetchall()]


def _hits(ranked: list[tuple[int, float]], terms: list[str]) -> list[SearchHit]:
    if not ranked:
        return []
    by_id = SearchEntry.objects.select_related("version__path__theme", "card").in_bulk(
        [pk for pk, _rank in ranked]
    )
    return [
        SearchHit(entry=by_id[pk], rank=rank, snippet=snippet(by_id[pk].text, terms))
        for pk, rank in ranked
        if pk in by_id
    ]


def snippet(text: str, terms: list[str], size: int = SNIPPET_CHARS) -> list[Segment]:
    """A window of `text` around the first word found, split into matched/unmatched parts.

    A word matches when it starts with a searched term or with its stem, without accents.
    """
    if not text:
        return []
    folded = "".join(fold_char(c) for c in text)
    prefixes = sorted({*terms, *(stem(t) for t in terms)}, key=len, reverse=True)
    spans: list[tuple[int, int]] = []
    for found in _word_spans(folded):
        start, end = found
        word = folded[start:end]
        if any(word.startswith(p) for p in prefixes):
            spans.append(found)
    first = spans[0][0] if spans else 0
    begin = max(0, first - size // 3)
    if begin:
        space = text.rfind(" ", 0, begin)
        begin = space + 1 if space != -1 else begin
    end = min(len(text), begin + size)
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > begin else end
    segments: list[Segment] = []
    if begin:
        segments.append(Segment("… ", False))
    cursor = begin
    for start, stop in spans:
        if start < begin or stop > end:
            continue
        if start > cursor:
            segments.append(Segment(text[cursor:start], False))
        segments.append(Segment(text[start:stop], True))
        cursor = stop
    if cursor < end:
        segments.append(Segment(text[cursor:end], False))
    if end < len(text):
        segments.append(Segment(" …", False))
    return segments


def _word_spans(folded: str) -> list[tuple[int, int]]:
    spans = []
    start = None
    for index, char in enumerate(folded):
        if char.isalnum():
            if start is None:
                start = index
        elif start is not None:
            spans.append((start, index))
            start = None
    if start is not None:
        spans.append((start, len(folded)))
    return spans
