"""Load (or refresh) the demo story and print one login per role."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ancrage.catalog.packs.importer import PackInvalid
from ancrage.demo.bridges import load_bridges
from ancrage.demo.catalogue import load_catalogue
from ancrage.demo.engagement import load_engagement
from ancrage.demo.exports import load_exports
from ancrage.demo.habits import load_habits
from ancrage.demo.licensing import load_licensing
from ancrage.demo.lrs import load_lrs
from ancrage.demo.lti import load_lti
from ancrage.demo.microsoft365 import load_microsoft365
from ancrage.demo.people import DEMO_PASSWORD, load_people
from ancrage.demo.privacy import load_privacy
from ancrage.demo.recognition import load_recognition
from ancrage.demo.rollups import load_rollups
from ancrage.demo.security import load_security
from ancrage.demo.sharing import load_sharing
from ancrage.demo.sso import load_sso
from ancrage.demo.transfer import load_transfer
from ancrage.notify.emails import mail_folder


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
        for line in load_sharing() + load_recognition() + load_bridges():
            self.stdout.write(f"  Partage et reconnaissance : {line}")
        for line in load_exports():
            self.stdout.write(f"  Exports LMS : {line}")
        for line in load_habits():
            self.stdout.write(f"  Habitudes : {line}")
        for line in load_microsoft365():
            self.stdout.write(f"  Microsoft 365 : {line}")
        for line in load_sso():
            self.stdout.write(f"  SSO : {line}")
        for line in load_lti():
            self.stdout.write(f"  LTI 1.3 : {line}")
        for line in load_privacy():
            self.stdout.write(f"  RGPD et audit : {line}")
        for line in load_security():
            self.stdout.write(f"  Sécurité : {line}")
        # Last: the figures derived from all the activity above.
        for line in load_rollups():
            self.stdout.write(f"  Tableaux d'évaluation : {line}")
        lrs = load_lrs()
        endpoint = settings.SITE_URL + lrs.endpoint_path
        self.stdout.write(f"  LRS xAPI : {endpoint}  clé {lrs.key}  secret {lrs.secret}")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Démo Ancrage prête — " + settings.SITE_URL))
        folder = mail_folder()
        code = f"le code arrive dans {folder}/, un fichier par envoi" if folder else "EMAIL_URL"
        self.stdout.write(
            f"Mot de passe commun : {DEMO_PASSWORD}  (ou « Recevoir un code par e-mail » : {code})"
        )
        for login in logins:
            self.stdout.write(
                f"  {login.role:<28} {login.name:<18} {login.email:<30} {login.organisation}"
            )
        self.stdout.write("")
