"""`ancrage api_key create|revoke|list`: API keys for an organisation's HR system.

    api_key create --organisation SLUG --scopes licences:read,enrolments:read --by EMAIL
                   [--name NAME]
    api_key revoke PREFIX --by EMAIL
    api_key list [--organisation SLUG]

`create` prints the full key once: it is not stored (only its hash is) and cannot be shown
again. `--by` names the account of the person doing it, recorded as the author in the
organisation's audit log. Problems are printed on stderr and the command exits with status 2.
"""

from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from ancrage.accounts.models import User
from ancrage.accounts.queries import account_acting_for
from ancrage.api.actions import UnknownScope, create_api_key, revoke_api_key
from ancrage.api.models import KEY_PREFIX, ApiKey, Scope
from ancrage.tenancy.models import Organisation


class Command(BaseCommand):
    help = "Create, revoke or list the API keys of an organisation."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="command", required=True)
        create = sub.add_parser("create", help="Create a key and print it once.")
        create.add_argument("--organisation", required=True, help="Short name (slug).")
        create.add_argument(
            "--scopes",
            required=True,
            help="Comma-separated: " + ", ".join(Scope.values),
        )
        create.add_argument("--name", default="HR system", help="What the key is for.")
        revoke = sub.add_parser("revoke", help="Revoke a key at once, for good.")
        revoke.add_argument("prefix", help="The key's prefix (anc_<prefix>_…) as listed.")
        listing = sub.add_parser("list", help="List keys (never their secrets).")
        listing.add_argument("--organisation", help="Short name (slug).")
        for changing in (create, revoke):
            changing.add_argument(
                "--by",
                required=True,
                help="E-mail of your account (platform staff, or a member of the organisation): "
                "the audit log names you as the author.",
            )

    def fail(self, line: str) -> NoReturn:
        self.stderr.write(line)
        raise SystemExit(2)

    def _by(self, email: str, organisation: Organisation) -> User:
        user = account_acting_for(email, organisation)
        if user is None:
            self.fail(
                f"--by: no platform staff account or active member of {organisation.slug!r} "
                f"has the e-mail address {email!r}."
            )
        return user

    def _organisation(self, slug: str) -> Organisation:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            self.fail(f"--organisation: no organisation has the short name {slug!r}.")
        return organisation

    def handle(self, *args: Any, **options: Any) -> None:
        command = options["command"]
        if command == "create":
            organisation = self._organisation(options["organisation"])
            by = self._by(options["by"], organisation)
            scopes = [s.strip() for s in options["scopes"].split(",") if s.strip()]
            try:
                key, full = create_api_key(
                    organisation=organisation, name=options["name"], scopes=scopes, by=by
                )
            except UnknownScope as exc:
                self.fail(f"--scopes: {exc}")
            self.stdout.write(full)
            self.stderr.write(
                f"Key {key.name!r} for {organisation.slug} ({', '.join(key.scopes)}). "
                "Copy it now: it will not be shown again."
            )
        elif command == "revoke":
            prefix = options["prefix"].removeprefix(f"{KEY_PREFIX}_").split("_")[0]
            found = ApiKey.objects.filter(prefix=prefix).first()
            if found is None:
                self.fail(f"prefix: no API key has the prefix {prefix!r}.")
            if revoke_api_key(key=found, by=self._by(options["by"], found.organisation)):
                self.stdout.write(f"Revoked {KEY_PREFIX}_{found.prefix}_… ({found.name}).")
            else:
                self.stdout.write(f"{KEY_PREFIX}_{found.prefix}_… was already revoked.")
        else:
            keys = ApiKey.objects.select_related("organisation").order_by("organisation__slug")
            if options.get("organisation"):
                keys = keys.filter(organisation=self._organisation(options["organisation"]))
            for key in keys:
                state = "revoked" if key.is_revoked else "active"
                used = key.last_used_at.isoformat() if key.last_used_at else "never"
                self.stdout.write(
                    f"{KEY_PREFIX}_{key.prefix}_…  {key.organisation.slug:<20} {state:<8} "
                    f"last used {used:<32} {','.join(key.scopes)}  {key.name}"
                )
