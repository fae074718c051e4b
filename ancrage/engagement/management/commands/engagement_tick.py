"""`ancrage engagement_tick`: send due campaign messages, close finished campaigns, retry
failed deliveries. Run it every minute (cron, a systemd timer, or a loop beside the worker);
running it twice, or on two hosts at once, sends nothing twice."""

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ancrage.engagement.actions import run_tick


class Command(BaseCommand):
    help = "Send due campaign and event messages, close finished campaigns, retry deliveries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            help="Act as if it were this moment (ISO 8601, e.g. 2027-03-15T09:00+01:00): for tests and replays.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options.get("now"):
            try:
                now = datetime.fromisoformat(options["now"])
            except ValueError as exc:
                raise CommandError(
                    f"--now: not an ISO 8601 moment: {options['now']!r}", returncode=2
                ) from exc
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        report = run_tick(now=now)
        self.stdout.write(
            f"messages sent: {report.messages_sent}, recipients: {report.recipients}, "
            f"campaigns closed: {report.campaigns_closed}, deliveries retried: {report.retries}"
        )
