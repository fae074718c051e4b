"""Load (or refresh) the demo story and print one login per role."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from ancrage.demo.people import DEMO_PASSWORD, load_people


class Command(BaseCommand):
    help = "Load the French demo story (idempotent) and print the logins."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = load_people()
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Démo Ancrage prête — " + settings.SITE_URL))
        self.stdout.write(
            f"Mot de passe commun : {DEMO_PASSWORD}  (ou « Recevoir un code par e-mail » : le code s'affiche ici)"
        )
        for login in logins:
            self.stdout.write(
                f"  {login.role:<28} {login.name:<18} {login.email:<30} {login.organisation}"
            )
        self.stdout.write("")
