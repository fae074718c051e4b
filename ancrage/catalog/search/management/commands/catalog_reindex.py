"""`manage.py catalog_reindex`: rebuild the catalogue search index from published versions."""

from typing import Any

from django.core.management.base import BaseCommand

from ancrage.catalog.search.indexing import reindex_all


class Command(BaseCommand):
    help = "Rebuild the catalogue search index from the published version of every path."

    def handle(self, *args: Any, **options: Any) -> None:
        count = reindex_all()
        if options["verbosity"] > 0:
            self.stdout.write(f"Search index rebuilt: {count} entries.")
