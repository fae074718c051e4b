"""`ancrage schedule`: the one process that runs periodic jobs (`<app>/jobs.py`).

Run one beside `ancrage worker`; more than one is safe (each period is claimed once)."""

import time
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ancrage.common.schedule import registered_jobs, run_due


class Command(BaseCommand):
    help = "Run the periodic jobs that are due (every 30 s, or once with --once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run what is due, then exit.")
        parser.add_argument("--list", action="store_true", help="List the jobs and exit.")
        parser.add_argument("--job", default="", help="Only this job (by name).")
        parser.add_argument(
            "--now", default="", help="Act as if it were this moment (ISO 8601; with --once)."
        )
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between rounds.")

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = registered_jobs()
        if options["list"]:
            for job in jobs:
                self.stdout.write(f"{job.name:<40} every {job.every}")
            return
        if options["job"] and options["job"] not in {job.name for job in jobs}:
            raise CommandError(
                f"--job: no periodic job named {options['job']!r} (see --list)", returncode=2
            )
        now = self._parse_now(options["now"])
        if now is not None and not options["once"]:
            raise CommandError("--now only makes sense with --once", returncode=2)
        while True:
            for outcome in run_due(now=now, only=options["job"]):
                style = self.style.SUCCESS if outcome.ok else self.style.ERROR
                self.stdout.write(style(f"{outcome.name}: {outcome.summary}"))
            if options["once"]:
                return
            time.sleep(options["interval"])

    def _parse_now(self, value: str) -> datetime | None:
        if not value:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError as exc:
            raise CommandError(f"--now: not an ISO 8601 moment: {value!r}", returncode=2) from exc
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
