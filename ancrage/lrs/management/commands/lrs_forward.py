"""Retry due statement forwarding (run from cron every minute, or with --loop)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ancrage.lrs.forwarding import forward_due


class Command(BaseCommand):
    help = "Send outbox items whose next attempt is due to the organisations' own LRSs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", type=float, default=0, help="repeat every N seconds")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            delivered = forward_due()
            self.stdout.write(f"delivered {delivered} outbox item(s)")
            if not options["loop"]:
                return
            time.sleep(options["loop"])
