"""CI builds every demo path in every format and validates it (XSDs + our own checks)."""

from typing import Any

import pytest

from ancrage.catalog.models import PathVersion, VersionStatus
from ancrage.exports.actions import export_package
from ancrage.exports.models import Export, ExportFormat
from ancrage.exports.package.archive import read_archive
from ancrage.exports.package.content import build_unit
from ancrage.exports.scorm12.suspend import SCORM12_SUSPEND_LIMIT, max_suspend_length
from ancrage.exports.validate import CMI5_XSD, validate_package


def test_the_cmi5_xsd_is_where_the_validator_reads_it() -> None:
    assert CMI5_XSD.is_file(), CMI5_XSD


@pytest.mark.usefixtures("licensed")
def test_every_demo_path_exports_valid_in_every_format(tenancy: Any) -> None:
    versions = list(
        PathVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related("path")
    )
    assert len(versions) == 8
    for version in versions:
        for fmt in ExportFormat.values:
            exported = export_package(
                by=tenancy.ld_lead.user,
                organisation=tenancy.org_a,
                format=fmt,
                path_code=version.path.code,
            )
            report = validate_package(exported.data, fmt)
            assert report.ok, (version.path.code, fmt, report.problems)
            if fmt != ExportFormat.CC13:
                assert any("valid against" in note for note in report.notes), report.notes
    assert Export.objects.filter(organisation=tenancy.org_a).count() == 8 * 4


@pytest.mark.usefixtures("licensed")
def test_packages_are_self_contained_utf8_and_relative(tenancy: Any) -> None:
    exported = export_package(
        by=None, organisation=tenancy.org_a, format="scorm12", path_code="ECOUTE-ACTIVE"
    )
    files = read_archive(exported.data)
    page = files["u1.html"].decode("utf-8")
    assert 'src="player/player.js"' in page
    assert "/static/" not in page
    assert "serviceWorker" not in page
    bundle = files["content/u1.json"].decode("utf-8")
    assert "/play/" not in bundle
    assert "media/" in bundle
    assert files["player/player.js"].startswith(b"// The learner player")
    assert "player/adapter-scorm12.js" in files
    assert "player/adapter-cmi5.js" not in files
    assert any(name.startswith("media/") and name.endswith(".webm") for name in files)


@pytest.mark.usefixtures("catalogue")
def test_scorm12_suspend_data_fits_for_the_longest_demo_path() -> None:
    units = [
        build_unit("u1", version)
        for version in PathVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related(
            "path"
        )
    ]
    longest = max(units, key=lambda unit: len(unit.data["cards"]))
    assert max_suspend_length(longest) < SCORM12_SUSPEND_LIMIT
    assert max_suspend_length(longest) < 100  # far below: no learner text is ever stored


@pytest.mark.usefixtures("licensed")
def test_a_module_and_a_programme_export(tenancy: Any) -> None:
    from ancrage.catalog.models import Path  # noqa: PLC0415
    from ancrage.licensing.models import Programme, ProgrammeItem  # noqa: PLC0415

    module = export_package(
        by=None,
        organisation=tenancy.org_a,
        format="scorm2004",
        path_code="ECOUTE-ACTIVE",
        module_slug="reformuler-avant-de-repondre",
    )
    assert validate_package(module.data, "scorm2004").ok
    bundle = read_archive(module.data)["content/u1.json"].decode()
    assert "reformuler-avant-de-repondre.1" in bundle
    assert "quand-ca-se-tend" not in bundle
    programme = Programme.objects.create(organisation=tenancy.org_a, title="Managers 2027")
    for order, (code, slug) in enumerate([("ECOUTE-ACTIVE", ""), ("CNV", "")]):
        ProgrammeItem.objects.create(
            organisation=tenancy.org_a,
            programme=programme,
            order=order,
            path=Path.objects.get(code=code),
            module_slug=slug,
        )
    for fmt in ExportFormat.values:
        exported = export_package(
            by=None, organisation=tenancy.org_a, format=fmt, programme_id=programme.pk
        )
        report = validate_package(exported.data, fmt)
        assert report.ok, (fmt, report.problems)
        assert exported.export.scope == "programme"
        assert exported.export.programme_id == programme.pk
