"""Run the production web server (gunicorn, threaded workers) on the WSGI application."""

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from gunicorn.app.wsgiapp import WSGIApplication


class Command(BaseCommand):
    help = "Run Ancrage behind gunicorn (static files served by WhiteNoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))

    def handle(self, *args: Any, **options: Any) -> None:
        sys.argv = [
            "gunicorn",
            "config.wsgi:application",
            f"--bind={options['bind']}",
            f"--workers={options['workers']}",
            f"--threads={options['threads']}",
            "--worker-class=gthread",
            "--access-logfile=-",
        ]
        WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
