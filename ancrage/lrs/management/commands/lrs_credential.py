"""Create, list, revoke or rotate LRS credentials from the command line.

    manage.py lrs_credential create --organisation verdane --scopes all --by EMAIL [--label …]
    manage.py lrs_credential list --organisation verdane
    manage.py lrs_credential revoke KEY --by EMAIL
    manage.py lrs_credential rotate KEY --overlap-hours 24 --by EMAIL

The secret is printed once, at creation or rotation; only its SHA-256 is kept. `--by` names
the account of the person doing it: the organisation's audit log records them as its author.
"""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ancrage.accounts.models import User
from ancrage.accounts.queries import account_acting_for
from ancrage.lrs.actions import issue_credential, revoke_credential, rotate_credential
from ancrage.lrs.models import LrsCredential, Scope
from ancrage.lrs.validation import ValidationError
from ancrage.tenancy.models import Organisation

BY_HELP = (
    "e-mail of your account (platform staff, or a member of the organisation): the audit log "
    "names you as the author"
)


class Command(BaseCommand):
    help = "Manage xAPI LRS credentials (Basic auth key/secret per organisation)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("--organisation", required=True, help="organisation slug")
        create.add_argument(
            "--scopes", default="all", help=f"comma-separated, from: {', '.join(Scope.values)}"
        )
        create.add_argument("--label", default="LRS client")
        create.add_argument("--rate-limit", type=int, default=6000, help="requests per minute")
        listing = sub.add_parser("list")
        listing.add_argument("--organisation", required=True)
        revoke = sub.add_parser("revoke")
        revoke.add_argument("key")
        rotate = sub.add_parser("rotate")
        rotate.add_argument("key")
        rotate.add_argument("--overlap-hours", type=float, default=24.0)
        for changing in (create, revoke, rotate):
            changing.add_argument("--by", required=True, help=BY_HELP)

    def _credential(self, key: str) -> LrsCredential:
        credential = LrsCredential.objects.select_related("organisation").filter(key=key).first()
        if credential is None:
            raise CommandError(f"no LRS credential with key {key!r}", returncode=2)
        return credential

    def _by(self, email: str, organisation: Organisation) -> User:
        user = account_acting_for(email, organisation)
        if user is None:
            raise CommandError(
                f"--by: no platform staff account or active member of {organisation.slug!r} "
                f"has the e-mail {email!r}",
                returncode=2,
            )
        return user

    def _organisation(self, slug: str) -> Organisation:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise CommandError(f"--organisation: no organisation {slug!r}", returncode=2)
        return organisation

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            organisation = self._organisation(options["organisation"])
            try:
                issued = issue_credential(
                    organisation=organisation,
                    label=options["label"],
                    scopes=[s.strip() for s in options["scopes"].split(",") if s.strip()],
                    by=self._by(options["by"], organisation),
                    rate_limit_per_minute=options["rate_limit"],
                )
            except ValidationError as exc:
                raise CommandError(f"--{exc.field}: {exc.message}", returncode=2) from exc
            self.stdout.write(f"key={issued.credential.key}")
            self.stdout.write(f"secret={issued.secret}")
        elif action == "list":
            for credential in LrsCredential.objects.filter(
                organisation=self._organisation(options["organisation"])
            ):
                state = "usable" if credential.is_usable() else "revoked/expired"
                self.stdout.write(
                    f"{credential.key}  {credential.label}  {','.join(credential.scopes)}  {state}"
                )
        elif action == "revoke":
            credential = self._credential(options["key"])
            by = self._by(options["by"], credential.organisation)
            changed = revoke_credential(credential=credential, by=by)
            self.stdout.write("revoked" if changed else "already revoked")
        else:
            credential = self._credential(options["key"])
            issued = rotate_credential(
                credential=credential,
                overlap=timedelta(hours=options["overlap_hours"]),
                by=self._by(options["by"], credential.organisation),
            )
            self.stdout.write(f"key={issued.credential.key}")
            self.stdout.write(f"secret={issued.secret}")
