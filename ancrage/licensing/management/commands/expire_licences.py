"""Record `expired` on licences past their last day; run it daily (cron or a scheduler)."""

from typing import Any

from django.core.management.base import BaseCommand

from ancrage.licensing.expiry import expire_licences


class Command(BaseCommand):
    help = "Mark active licences whose last day has passed as expired (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = expire_licences()
        self.stdout.write(f"{count} licence(s) expired.")
