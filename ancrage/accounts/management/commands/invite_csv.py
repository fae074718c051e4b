"""`ancrage invite_csv --organisation SLUG --by EMAIL FILE`: the CSV import from the console.

Same rules and report as the invitations page. On any problem nothing is imported, each
problem is printed as `FILE:LINE: column: message` (whole-file problems as `FILE: file: …`)
and the command exits with status 2.
"""

from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from ancrage.accounts.actions import import_invitations_csv
from ancrage.accounts.csv_import import MAX_BYTES
from ancrage.tenancy.models import Membership, MembershipStatus, Organisation


class Command(BaseCommand):
    help = (
        "Invite the people of a CSV file (email, name, team, manager email, role); all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV file: UTF-8 or Excel export, comma or semicolon.")
        parser.add_argument(
            "--organisation", required=True, help="Short name (slug) of the organisation."
        )
        parser.add_argument(
            "--by",
            required=True,
            metavar="EMAIL",
            help="Email of the L&D lead or organisation admin who sends the invitations.",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="Language of the invitation emails and of the report.",
        )

    def fail(self, line: str) -> NoReturn:
        self.stderr.write(line)
        raise SystemExit(2)

    def handle(self, *args: Any, **options: Any) -> None:
        path = str(options["file"])
        with translation.override(options["language"]):
            try:
                with Path(path).open("rb") as handle:
                    data = handle.read(MAX_BYTES + 1)
            except OSError as exc:
                self.fail(f"{path}: file: {exc.strerror}")
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                self.fail(
                    f"--organisation: no organisation has the short name {options['organisation']!r}."
                )
            actor = (
                Membership.objects.select_related("organisation", "user")
                .filter(
                    organisation=organisation,
                    user__email__iexact=options["by"].strip(),
                    status=MembershipStatus.ACTIVE,
                )
                .first()
            )
            if actor is None or not actor.can_manage_people:
                self.fail(
                    f"--by: {options['by']} is not an active L&D lead or organisation admin "
                    f"of {organisation.slug}."
                )
            report = import_invitations_csv(actor=actor, data=data, language=options["language"])
            if not report.ok:
                for error in report.errors:
                    self.stderr.write(error.as_cli(path))
                self.fail(f"{path}: nothing imported ({len(report.errors)} problems).")
            self.stdout.write(report.summary())
