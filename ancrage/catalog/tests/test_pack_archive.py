"""A content pack given as a .zip: unpacked through safezip; a hostile one changes nothing."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ancrage.catalog.models import Card, MediaAsset, PathVersion
from ancrage.catalog.tests.packs import edit
from ancrage.common.tests.hostile import ARCHIVES, ESCAPE, Hostile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def zip_folder(folder: Path, target: Path, *, prefix: str = "", extra: bytes = b"") -> Path:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, prefix + path.relative_to(folder).as_posix())
    return target


def call(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        return 0, out.getvalue(), err.getvalue()
    except CommandError as exc:
        return exc.returncode, out.getvalue(), f"{err.getvalue()}{exc}"


def state() -> tuple[object, ...]:
    return (
        sorted(PathVersion.objects.values_list("path__code", "number", "status", "content_hash")),
        Card.objects.count(),
        MediaAsset.objects.count(),
    )


def test_a_zipped_pack_imports_like_its_folder(pack: Path, tmp_path: Path) -> None:
    archive = zip_folder(pack, tmp_path / "pack.zip", prefix="ecoute-pack/")
    code, out, _ = call("pack", "import", str(archive))
    assert code == 0
    assert "ECOUTE: version 1 created (draft)" in out


@pytest.mark.parametrize("case", ARCHIVES, ids=lambda c: c.name)
def test_a_hostile_zip_is_refused_and_the_catalogue_is_unchanged(
    case: Hostile, pack: Path, tmp_path: Path
) -> None:
    call("pack", "import", str(pack))
    before = state()
    upload = tmp_path / "hostile.zip"
    upload.write_bytes(case.data)

    code, _, err = call("pack", "import", str(upload))

    assert code == 2
    assert f"{upload}: " in err
    assert "refused" in err or "archive" in err
    assert state() == before
    assert not (tmp_path / ESCAPE).exists()


def test_a_zip_slip_inside_a_real_pack_changes_nothing(pack: Path, tmp_path: Path) -> None:
    call("pack", "import", str(pack))
    before = state()
    edit(pack / "pack.yaml", "publisher: Éditions Test", "publisher: Éditions Pirates")
    archive = zip_folder(pack, tmp_path / "pack.zip")
    with zipfile.ZipFile(archive, "a") as handle:
        handle.writestr(f"paths/ECOUTE/media/../../../../{ESCAPE}", b"pwned")

    code, _, err = call("pack", "validate", str(archive))

    assert code == 2
    assert "climbs out of the archive folder" in err
    assert state() == before
    assert not (tmp_path / ESCAPE).exists()


def test_a_zip_without_pack_yaml_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "empty.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("a/readme.txt", "hello")
        handle.writestr("b/readme.txt", "hello")
    code, _, err = call("pack", "validate", str(archive))
    assert code == 2
    assert "no pack.yaml" in err
