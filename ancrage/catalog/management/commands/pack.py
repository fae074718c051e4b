"""`ancrage pack validate DIR | import DIR [--publish] | export CODE DIR [--version N]`.

DIR may also be a `.zip` of the pack: it is checked (zip slip, links, bombs…) by
`ancrage.common.safezip` and unpacked into a temporary folder first.

Exit status: 0 with a summary on success; 2 with one `FILE:LINE: field: message` line per
problem on stderr when the pack is invalid (nothing is imported) or the export fails.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ancrage.catalog.errors import CatalogError
from ancrage.catalog.packs.archive import pack_folder
from ancrage.catalog.packs.exporter import export_path
from ancrage.catalog.packs.importer import PackInvalid, import_pack
from ancrage.catalog.packs.reader import Problem
from ancrage.catalog.packs.validate import validate_pack
from ancrage.common.safezip import UnsafeArchive

INVALID = 2


class Command(BaseCommand):
    help = "Validate, import or export catalogue content packs (see docs/content-packs.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        validate = actions.add_parser("validate", help="Check a pack and list every problem.")
        validate.add_argument("dir", type=Path)
        load = actions.add_parser("import", help="Import a pack (all or nothing).")
        load.add_argument("dir", type=Path)
        load.add_argument(
            "--publish", action="store_true", help="Publish each new or changed version."
        )
        export = actions.add_parser("export", help="Write a path out as a pack folder.")
        export.add_argument("code")
        export.add_argument("dir", type=Path)
        export.add_argument(
            "--version", type=int, dest="number", help="Version number (default: latest)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action in {"validate", "import"}:
            try:
                with pack_folder(options["dir"]) as folder:
                    if action == "validate":
                        self._validate(folder)
                    else:
                        self._import(folder, publish=options["publish"])
            except UnsafeArchive as exc:
                raise CommandError(f"{options['dir']}: {exc}", returncode=INVALID) from exc
        else:
            self._export(options["code"], options["dir"], options["number"])

    def _fail(self, problems: list[Problem]) -> CommandError:
        for problem in problems:
            self.stderr.write(str(problem))
        noun = "problem" if len(problems) == 1 else "problems"
        return CommandError(f"{len(problems)} {noun}; nothing was imported.", returncode=INVALID)

    def _validate(self, root: Path) -> None:
        result = validate_pack(root)
        if result.pack is None:
            raise self._fail(result.problems)
        paths = result.pack.paths
        cards = sum(len(m.cards) for p in paths for m in p.content.modules)
        self.stdout.write(
            self.style.SUCCESS(f"{root}: valid — {len(paths)} path(s), {cards} card(s).")
        )

    def _import(self, root: Path, *, publish: bool) -> None:
        try:
            report = import_pack(root, publish=publish)
        except PackInvalid as exc:
            raise self._fail(exc.problems) from exc
        for outcome in report.outcomes:
            self.stdout.write(str(outcome))
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {root}: {len(report.outcomes)} path(s), {report.themes} theme(s), "
                f"{report.media} media file(s)."
            )
        )

    def _export(self, code: str, dest: Path, number: int | None) -> None:
        try:
            report = export_path(code, dest, number=number)
        except (CatalogError, OSError) as exc:
            raise CommandError(str(exc), returncode=INVALID) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {report.code} version {report.number} to {report.folder} "
                f"({report.modules} module(s), {report.media} media file(s))."
            )
        )
