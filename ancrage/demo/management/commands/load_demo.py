"""Load (or refresh) the demo story and print one login per role."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ancrage.catalog.packs.importer import PackInvalid
from ancrage.demo.catalogue import load_catalogue
from ancrage.demo.engagement import load_engagement
from ancrage.demo.licensing import load_licensing
from ancrage.demo.lrs import load_lrs
from ancrage.demo.people import DEMO_PASSWORD, load_people
from ancrage.demo.transfer import load_transfer


class Command(BaseCommand):
    help = "Load the French demo story (idempotent) and print the logins."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = load_people()
        try:
            catalogue = load_catalogue()
        except PackInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError("The demo pack has problems (see above).", returncode=2) from exc
        for outcome in catalogue.outcomes:
            self.stdout.write(f"  Catalogue : {outcome}")
        for line in load_licensing():
            self.stdout.write(f"  Licences : {line}")
        for line in load_transfer():
            self.stdout.write(f"  Transfert : {line}")
        for line in load_engagement():
            self.stdout.write(f"  Campagnes : {line}")
        lrs = load_lrs()
        endpoint = settings.SITE_URL + lrs.endpoint_path
        self.stdout.write(f"  LRS xAPI : {endpoint}  clé {lrs.key}  secret {lrs.secret}")
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
