"""Create the coming months' statement partitions (PostgreSQL; a no-op on SQLite)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from ancrage.lrs.partitions import ensure_partitions


class Command(BaseCommand):
    help = "Create missing monthly partitions of the LRS statement table."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--months-ahead", type=int, default=12)
        parser.add_argument("--months-back", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        created = ensure_partitions(
            connection, months_back=options["months_back"], months_ahead=options["months_ahead"]
        )
        self.stdout.write(f"created {len(created)} partition(s)")
