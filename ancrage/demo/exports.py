"""The demo's exports: Sophie (L&D lead at Verdane) exported the « Managers 2027 » programme
for Verdane's LMS in SCORM 2004 and the path « Écoute active » in SCORM 1.2 and cmi5.

Idempotent: an export already recorded (same organisation, format and target) is kept as
is; running the demo again records nothing new. The zips themselves are not kept (the audit
trail records who, what, format, size and hash); `ancrage export` rebuilds them.
"""

from typing import Any

from ancrage.accounts.models import User
from ancrage.exports.actions import export_package
from ancrage.exports.models import Export, ExportScope
from ancrage.licensing.models import Programme
from ancrage.tenancy.models import Organisation

PROGRAMME = "Managers 2027"
PATH = "ECOUTE-ACTIVE"


def load_exports() -> list[str]:
    verdane = Organisation.objects.get(slug="verdane")
    sophie = User.objects.filter(email="sophie@verdane.fr").first()
    programme = Programme.objects.filter(organisation=verdane, title=PROGRAMME).first()
    wanted: list[tuple[str, dict[str, Any]]] = [
        ("scorm12", {"path_code": PATH}),
        ("cmi5", {"path_code": PATH}),
    ]
    if programme is not None:
        wanted.insert(0, ("scorm2004", {"programme_id": programme.pk}))
    lines = []
    for fmt, target in wanted:
        existing = Export.objects.filter(organisation=verdane, format=fmt)
        if "programme_id" in target:
            existing = existing.filter(
                scope=ExportScope.PROGRAMME, programme_id=target["programme_id"]
            )
        else:
            existing = existing.filter(scope=ExportScope.PATH, path_code=target["path_code"])
        export = existing.first()
        if export is None:
            export = export_package(by=sophie, organisation=verdane, format=fmt, **target).export
        lines.append(f"{export.title} — {export.get_format_display()}, {export.size / 1024:.0f} Ko")
    return lines
