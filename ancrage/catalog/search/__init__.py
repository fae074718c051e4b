"""Full-text search over the published catalogue (a Django app of its own: `catalog_search`).

Public entry points: `ancrage.catalog.search.query.search_catalogue` (what a person may find)
and `ancrage.catalog.search.indexing.reindex_path` / `reindex_all` (keep the index true; the
catalogue calls `reindex_path` when a version is published or retired). The approach — one
index table, PostgreSQL's `french` configuration or SQLite FTS5 with a light French stemmer —
is described in docs/adr/0002-catalogue-search.md.

This package is imported while Django loads its apps, so it imports no model itself.
"""
