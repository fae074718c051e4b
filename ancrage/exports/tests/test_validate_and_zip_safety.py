"""The validator catches what the XSDs cannot, and reading a zip never escapes its folder."""

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from ancrage.exports.actions import export_package
from ancrage.exports.package.archive import (
    PackageFiles,
    UnsafeArchive,
    extract_archive,
    read_archive,
)
from ancrage.exports.validate import validate_package


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name", ["../evil.txt", "a/../../evil.txt", "/etc/evil", "C:/evil.txt", "a\\..\\evil.txt"]
)
def test_zip_slip_members_are_refused_and_nothing_is_written(tmp_path: Path, name: str) -> None:
    data = _zip({"ok.txt": b"ok", name: b"evil"})
    destination = tmp_path / "out"
    destination.mkdir()
    with pytest.raises(UnsafeArchive):
        extract_archive(data, destination)
    assert not list(destination.iterdir())
    assert not (tmp_path / "evil.txt").exists()
    assert not validate_package(data, "scorm12").ok


def test_a_package_cannot_be_built_with_an_escaping_name() -> None:
    with pytest.raises(UnsafeArchive):
        PackageFiles().add("../outside.js", b"")


@pytest.mark.usefixtures("licensed")
def test_own_checks_beyond_the_xsd(tenancy: Any) -> None:
    exported = export_package(
        by=None, organisation=tenancy.org_a, format="scorm12", path_code="ECOUTE-ACTIVE"
    )
    files = read_archive(exported.data)
    manifest = files["imsmanifest.xml"].decode()
    broken = dict(files)
    broken["imsmanifest.xml"] = (
        manifest.replace('identifierref="RES-u1"', 'identifierref="RES-missing"')
        .replace("<title>", "<title>", 1)
        .encode()
    )
    del broken["content/u1.json"]
    report = validate_package(_zip(broken), "scorm12")
    problems = "\n".join(report.problems)
    assert "unknown resource RES-missing" in problems
    assert "content/u1.json, not in the zip" in problems
    assert "bundle content/u1.json not in the zip" in problems
    untyped = dict(files)
    untyped["imsmanifest.xml"] = manifest.replace(' adlcp:scormtype="sco"', "").encode()
    assert "without a SCORM type" in "\n".join(validate_package(_zip(untyped), "scorm12").problems)
    invalid = dict(files)
    invalid["imsmanifest.xml"] = manifest.replace(
        "<organizations", "<nonsense/><organizations"
    ).encode()
    assert any("XSD" in p for p in validate_package(_zip(invalid), "scorm12").problems)


@pytest.mark.usefixtures("licensed")
def test_cc13_links_point_to_the_lti_launch_with_the_path_code(tenancy: Any, settings: Any) -> None:
    settings.SITE_URL = "https://ancrage.example"
    exported = export_package(by=None, organisation=tenancy.org_a, format="cc13", path_code="CNV")
    files = read_archive(exported.data)
    link = files["u1.xml"].decode()
    assert "<blti:launch_url>https://ancrage.example/lti/launch/</blti:launch_url>" in link
    assert '<lticm:property name="path_code">CNV</lticm:property>' in link
    assert 'type="imsbasiclti_xmlv1p0"' in files["imsmanifest.xml"].decode()
    report = validate_package(exported.data, "cc13")
    assert report.ok
    assert any("no XSD" in note for note in report.notes)
    files["u1.xml"] = link.replace('name="path_code"', 'name="other"').encode()
    assert "no path_code" in "\n".join(validate_package(_zip(files), "cc13").problems)
