"""Run the production web server: Granian (a Rust HTTP server) on the WSGI application.

Why Granian and not gunicorn: docs/adr/0016-granian-web-server.md (half the CPU per request
on the player's card endpoint). Worker processes × threads per worker as before (2 × 4 by
default: WEB_WORKERS, WEB_THREADS); a worker that dies is started again. No access log by
default (the reverse proxy keeps one; here it costs a third of a card's CPU): `--access-log`
or WEB_ACCESS_LOG=1.
"""

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from granian import Granian
from granian.constants import Interfaces


class Command(BaseCommand):
    help = "Run Ancrage with Granian (static files served by WhiteNoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))
        parser.add_argument(
            "--access-log",
            action="store_true",
            default=os.environ.get("WEB_ACCESS_LOG", "") not in ("", "0"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, _colon, port = options["bind"].rpartition(":")
        if not host or not port.isdigit():
            raise CommandError(f"--bind must be host:port, not {options['bind']!r}.")
        Granian(
            "config.wsgi:application",
            address=host.strip("[]"),
            port=int(port),
            interface=Interfaces.WSGI,
            workers=options["workers"],
            blocking_threads=options["threads"],
            websockets=False,
            log_access=options["access_log"],
            respawn_failed_workers=True,
        ).serve()
