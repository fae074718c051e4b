"""`ancrage export`: build a package for an organisation (or check one) from the shell.

    ancrage export --format scorm12 --organisation verdane --path ECOUTE-ACTIVE --out x.zip
    ancrage export --format cmi5 --organisation verdane --path CNV --module cnv-observer --out y.zip
    ancrage export --format scorm2004 --organisation verdane --programme <uuid> --out z.zip --check
    ancrage export --format scorm12 --check --out x.zip      # validate an existing zip only

Bad input exits with status 2 and names the option and the reason; an invalid package
(`--check`) exits with status 1 and lists every problem.
"""

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ancrage.exports.actions import ExportError, export_package
from ancrage.exports.models import ExportFormat
from ancrage.exports.validate import validate_package
from ancrage.tenancy.models import Organisation

OPTION = {
    "format": "--format",
    "path": "--path",
    "module": "--module",
    "programme": "--programme",
    "report_xapi": "--report-xapi",
    "target": "--path/--programme",
}


def _bad(option: str, reason: str) -> CommandError:
    return CommandError(f"{option}: {reason}", returncode=2)


class Command(BaseCommand):
    help = "Export a path, a module or a programme as SCORM 1.2, SCORM 2004, cmi5 or CC 1.3."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", required=True, choices=ExportFormat.values)
        parser.add_argument("--organisation", help="the organisation's short name (slug)")
        parser.add_argument("--path", default="", help="the path code, e.g. ECOUTE-ACTIVE")
        parser.add_argument("--module", default="", help="one module (slug) of --path")
        parser.add_argument("--programme", default="", help="a programme id of the organisation")
        parser.add_argument("--out", required=True, help="the zip file to write (or to check)")
        parser.add_argument("--check", action="store_true", help="validate the package")
        parser.add_argument(
            "--report-xapi", action="store_true", help="the package also reports xAPI to us"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        fmt = options["format"]
        if not options["organisation"]:
            if not options["check"]:
                raise _bad(
                    "--organisation", "required to export (or give --check to validate --out)"
                )
            if not out.is_file():
                raise _bad("--out", f"{out} is not a file")
            self._check(out.read_bytes(), fmt, str(out))
            return
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise _bad("--organisation", f"no organisation {options['organisation']!r}")
        if options["module"] and not options["path"]:
            raise _bad("--module", "needs --path")
        if bool(options["path"]) == bool(options["programme"]):
            raise _bad("--path/--programme", "give exactly one of them")
        if not out.parent.is_dir():
            raise _bad("--out", f"the folder {out.parent} does not exist")
        try:
            exported = export_package(
                by=None,
                organisation=organisation,
                format=fmt,
                path_code=options["path"],
                module_slug=options["module"],
                programme_id=options["programme"] or None,
                report_xapi=options["report_xapi"],
            )
        except ExportError as exc:
            raise _bad(OPTION.get(exc.field, exc.field), exc.message) from exc
        descriptor, temporary = tempfile.mkstemp(dir=out.parent, suffix=".part")
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(exported.data)
        os.replace(temporary, out)
        self.stdout.write(
            f"{out}: {exported.export.title} ({fmt}), {len(exported.data)} bytes, "
            f"{len(exported.files.names())} files"
        )
        if options["check"]:
            self._check(exported.data, fmt, str(out))

    def _check(self, data: bytes, fmt: str, label: str) -> None:
        report = validate_package(data, fmt)
        for note in report.notes:
            self.stdout.write(f"{label}: {note}")
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(f"{label}: {problem}")
            raise CommandError(f"{label}: {len(report.problems)} problem(s)", returncode=1)
        self.stdout.write(f"{label}: valid {fmt} package ({report.files} files)")
