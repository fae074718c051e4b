"""`ancrage export`: builds and checks packages; bad input exits 2 naming the option."""

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ancrage.exports.models import Export
from ancrage.exports.validate import validate_package

pytestmark = pytest.mark.usefixtures("licensed")


def _run(*args: str) -> str:
    out = StringIO()
    call_command("export", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_export_a_path_writes_a_valid_zip_and_records_it(tenancy: Any, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "ecoute.zip"
    printed = _run(
        "--format",
        "scorm2004",
        "--organisation",
        "alpha",
        "--path",
        "ECOUTE-ACTIVE",
        "--out",
        str(out),
        "--check",
    )
    assert "valid scorm2004 package" in printed
    assert validate_package(out.read_bytes(), "scorm2004").ok
    export = Export.objects.get()
    assert export.created_by is None
    assert export.size == out.stat().st_size
    assert list(folder.iterdir()) == [out]  # no temporary file left behind


def test_check_validates_an_existing_file(tmp_path: Path, tenancy: Any) -> None:
    out = tmp_path / "cc.zip"
    _run("--format", "cc13", "--organisation", "alpha", "--path", "CNV", "--out", str(out))
    assert "valid cc13 package" in _run("--format", "cc13", "--check", "--out", str(out))
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"not a zip")
    with pytest.raises(CommandError) as caught:
        _run("--format", "cc13", "--check", "--out", str(broken))
    assert caught.value.returncode == 1


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--organisation", "nope", "--path", "CNV"], "--organisation"),
        (["--organisation", "alpha", "--path", "NOPE"], "--path"),
        (["--organisation", "alpha", "--path", "CNV", "--module", "nope"], "--module"),
        (["--organisation", "alpha", "--module", "x"], "--module"),
        (["--organisation", "alpha"], "--path/--programme"),
        (["--organisation", "alpha", "--programme", "not-a-uuid"], "--programme"),
        (["--organisation", "beta", "--path", "CNV"], "--path"),  # beta holds no licence
    ],
)
def test_bad_input_exits_2_naming_the_option(
    tenancy: Any, tmp_path: Path, args: list[str], option: str
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(CommandError) as caught:
        _run("--format", "scorm12", "--out", str(folder / "x.zip"), *args)
    assert caught.value.returncode == 2
    assert str(caught.value).startswith(f"{option}:"), str(caught.value)
    assert not Export.objects.exists()
    assert not list(folder.iterdir())
