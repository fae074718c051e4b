"""Writes of exports: build a package for an organisation and record it; revoke a token.

`export_package` is the one entry point (page, CLI, demo): it resolves what to export (a
path, a module of it, or a programme of the organisation), refuses anything the
organisation's licences do not grant today (`licensing.entitlements`), builds the zip in
the chosen format and records the `Export` row (who, what, format, size, hash) in the same
transaction — a failed build records nothing. With `report_xapi`, the package also carries a
signed token naming a `PackageToken` row, so it can check the licence and report xAPI.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.models import User
from ancrage.audit.actions import record
from ancrage.audit.models import Action
from ancrage.catalog.models import Path, PathVersion, VersionStatus
from ancrage.exports.cc13 import package as cc13
from ancrage.exports.cmi5 import package as cmi5
from ancrage.exports.models import Export, ExportFormat, ExportScope, PackageToken
from ancrage.exports.package.archive import PackageFiles
from ancrage.exports.package.content import PackageSpec, Unit, build_unit, site_url
from ancrage.exports.queries import programme_of
from ancrage.exports.scorm12 import package as scorm12
from ancrage.exports.scorm2004 import package as scorm2004
from ancrage.licensing.entitlements import Coverage, coverage_for
from ancrage.tenancy.models import Organisation

BUILDERS = {
    ExportFormat.SCORM12: scorm12.build_package,
    ExportFormat.SCORM2004: scorm2004.build_package,
    ExportFormat.CMI5: cmi5.build_package,
    ExportFormat.CC13: cc13.build_package,
}
TOKEN_SALT = "ancrage.exports.package-token"  # noqa: S105 — a signing salt, not a secret


class ExportError(ValueError):
    """Bad input: `field` names the option or form field, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class ExportedPackage:
    export: Export
    data: bytes
    files: PackageFiles

    @property
    def filename(self) -> str:
        return f"{self.export.organisation.slug}-{self.export.format}-{self.slug}.zip"

    @property
    def slug(self) -> str:
        if self.export.scope == ExportScope.PROGRAMME:
            return f"programme-{str(self.export.programme_id)[:8]}"
        return "-".join(filter(None, [self.export.path_code.lower(), self.export.module_slug]))


def sign_token(token: PackageToken) -> str:
    return signing.dumps(str(token.pk), salt=TOKEN_SALT, compress=False)


def read_token(value: str) -> str | None:
    """The token id a signed value names, or None when the signature does not hold."""
    try:
        return str(signing.loads(value, salt=TOKEN_SALT))
    except signing.BadSignature:
        return None


def _version(coverage: Coverage, code: str, field: str) -> PathVersion:
    path = Path.objects.filter(code=code).first()
    version = (
        PathVersion.objects.filter(path=path, status=VersionStatus.PUBLISHED).first()
        if path is not None
        else None
    )
    if path is None or version is None:
        raise ExportError(field, _("no published path with the code %(code)s") % {"code": code})
    if not coverage.grants(path.pk):
        reason, _licence = coverage.licence_refusal(path.pk)
        raise ExportError(
            field,
            _("the organisation's licences do not cover %(code)s today (%(reason)s)")
            % {"code": code, "reason": reason or "not_in_offer"},
        )
    return version


def _units(
    organisation: Organisation, path_code: str, module_slug: str, programme_id: Any
) -> tuple[ExportScope, str, str, list[Unit]]:
    coverage = coverage_for(organisation.pk)
    if programme_id:
        if path_code or module_slug:
            raise ExportError("programme", _("give either a path or a programme, not both"))
        programme = programme_of(organisation, programme_id)
        if programme is None:
            raise ExportError("programme", _("no programme with this id in the organisation"))
        items = list(programme.items.select_related("path").order_by("order", "created_at"))
        if not items:
            raise ExportError("programme", _("the programme has no steps"))
        units = []
        for number, item in enumerate(items, start=1):
            version = _version(coverage, item.path.code, "programme")
            try:
                units.append(build_unit(f"u{number}", version, item.module_slug))
            except LookupError as exc:
                raise ExportError(
                    "programme", _("step %(n)s names an unknown module") % {"n": number}
                ) from exc
        ident = f"ancrage-{organisation.slug}-programme-{programme.pk}"
        return ExportScope.PROGRAMME, programme.title, ident, units
    if not path_code:
        raise ExportError("path", _("give a path code or a programme"))
    version = _version(coverage, path_code, "path")
    try:
        unit = build_unit("u1", version, module_slug)
    except LookupError as exc:
        raise ExportError(
            "module",
            _("the path %(code)s has no module %(module)s")
            % {"code": path_code, "module": module_slug},
        ) from exc
    ident = "-".join(
        filter(None, ["ancrage", organisation.slug, path_code, module_slug, f"v{version.number}"])
    )
    return ExportScope.MODULE if module_slug else ExportScope.PATH, unit.title, ident, [unit]


def export_package(
    *,
    by: User | None,
    organisation: Organisation,
    format: str,  # noqa: A002 — the export format, as the CLI and the form name it
    path_code: str = "",
    module_slug: str = "",
    programme_id: Any = None,
    report_xapi: bool = False,
) -> ExportedPackage:
    """Build a package and record it; raises ExportError naming the bad field."""
    if format not in BUILDERS:
        raise ExportError("format", _("unknown format %(format)s") % {"format": format})
    scope, title, ident, units = _units(organisation, path_code, module_slug, programme_id)
    if report_xapi and format == ExportFormat.CC13:
        raise ExportError("report_xapi", _("LTI links report through the LTI launch already"))
    with transaction.atomic():
        export = Export.objects.create(
            organisation=organisation,
            created_by=by,
            format=format,
            scope=scope,
            path_code="" if scope == ExportScope.PROGRAMME else path_code,
            module_slug=module_slug,
            programme_id=programme_id if scope == ExportScope.PROGRAMME else None,
            title=title,
            size=0,
            sha256="",
            reports_xapi=report_xapi,
        )
        report = None
        if report_xapi:
            token = PackageToken.objects.create(organisation=organisation, export=export)
            signed = sign_token(token)
            report = {
                "url": site_url() + reverse("exports_report_base", args=[signed]),
                "token": signed,
            }
        spec = PackageSpec(
            identifier=ident,
            title=title,
            organisation_slug=organisation.slug,
            language=units[0].language,
            units=tuple(units),
            report=report,
        )
        files = BUILDERS[ExportFormat(format)](spec)
        data = files.to_zip()
        export.size = len(data)
        export.sha256 = hashlib.sha256(data).hexdigest()
        export.save(update_fields=["size", "sha256", "updated_at"])
        record(
            action=Action.EXPORT,
            user_id=by.pk if by else None,
            organisation_id=organisation.pk,
            target=export,
            details={"format": format, "scope": scope, "path": (path_code or "")[:60]},
        )
    return ExportedPackage(export=export, data=data, files=files)


def revoke_token(*, token: PackageToken, at: datetime | None = None) -> PackageToken:
    """Revoke a package's token: from now on the package shows the licence message."""
    with transaction.atomic():
        token.revoked_at = at or timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token
