"""Export then import gives the same content; exporting into a kept pack is safe."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings

from ancrage.catalog.content import content_hash, content_of
from ancrage.catalog.models import Card, KeyBehaviour, MediaAsset, Module, PathVersion, Theme
from ancrage.catalog.models import Path as PathModel
from ancrage.catalog.packs.exporter import export_path
from ancrage.catalog.packs.importer import import_pack
from ancrage.catalog.tests.packs import edit, load, write_pack

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def empty_catalogue() -> None:
    """What a fresh database holds: nothing (drafts only, so deleting them is allowed)."""
    for version in PathVersion.objects.all():
        version.delete()
    PathModel.objects.all().delete()
    Theme.objects.all().delete()
    MediaAsset.objects.all().delete()
    shutil.rmtree(settings.MEDIA_ROOT)
    assert not Card.objects.exists()
    assert not Module.objects.exists()
    assert not KeyBehaviour.objects.exists()


def test_export_then_import_into_an_empty_catalogue_gives_the_same_content(
    pack: Path, tmp_path: Path
) -> None:
    import_pack(pack)
    original = PathVersion.objects.get()
    original_hash = original.content_hash
    original_dump = content_of(original).canonical()

    export_path("ECOUTE", tmp_path / "export")
    empty_catalogue()
    import_pack(tmp_path / "export")

    again = PathVersion.objects.get()
    assert again.content_hash == original_hash == content_hash(content_of(again))
    assert content_of(again).canonical() == original_dump
    assert PathModel.objects.get().publisher == "Éditions Test"

    export_path("ECOUTE", tmp_path / "export-2")
    assert files(tmp_path / "export-2") == files(tmp_path / "export")


def test_exported_files_follow_the_pack_format(pack: Path, tmp_path: Path) -> None:
    import_pack(pack)
    export_path("ECOUTE", tmp_path / "export")
    root = tmp_path / "export"
    assert sorted(files(root)) == [
        "pack.yaml",
        "paths/ECOUTE/media/cover.svg",
        "paths/ECOUTE/media/intro.vtt",
        "paths/ECOUTE/media/intro.webm",
        "paths/ECOUTE/media/schema.png",
        "paths/ECOUTE/modules/01-ecouter.yaml",
        "paths/ECOUTE/modules/02-agir.yaml",
        "paths/ECOUTE/path.yaml",
    ]
    path_doc = load(root / "paths/ECOUTE/path.yaml")
    assert isinstance(path_doc, dict)
    assert list(path_doc)[:4] == ["code", "language", "title", "theme"]
    assert path_doc["key_behaviours"][0]["anchors"][1] == "Coupe la parole."
    module = load(root / "paths/ECOUTE/modules/02-agir.yaml")
    assert isinstance(module, dict)
    assert module["cards"][-1] == {
        "type": "action_plan_prompt",
        "key_behaviour": "reformule",
        "prompt": "Choisissez une réunion de la semaine prochaine.",
        "example": "Mardi à 9 h 30, en réunion d'équipe, je reformule avant de répondre.",
        "est_seconds": 120,
    }
    assert "est_seconds" not in module["cards"][0]  # the type's default is not written out


def test_importing_an_export_of_the_published_version_is_a_no_op(
    pack: Path, tmp_path: Path
) -> None:
    import_pack(pack, publish=True)
    export_path("ECOUTE", tmp_path / "export")
    report = import_pack(tmp_path / "export", publish=True)
    assert report.outcomes[0].action == "unchanged"
    assert PathVersion.objects.count() == 1


def test_export_of_an_older_version_by_number(pack: Path, tmp_path: Path) -> None:
    import_pack(pack, publish=True)
    edit(
        pack / "paths/ECOUTE/modules/01-ecouter.yaml",
        "title: Écouter vraiment",
        "title: Nouveau titre",
    )
    import_pack(pack, publish=True)
    report = export_path("ECOUTE", tmp_path / "v1", number=1)
    assert report.number == 1
    module = load(tmp_path / "v1/paths/ECOUTE/modules/01-ecouter.yaml")
    assert isinstance(module, dict)
    assert module["title"] == "Écouter vraiment"


def test_export_into_an_existing_pack_replaces_only_that_path(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "pack", code="ECOUTE")
    write_pack(tmp_path / "other", code="AUTRE")
    (tmp_path / "other/paths/AUTRE").rename(root / "paths/AUTRE")
    (root / "pack.yaml").write_text(
        "# kept comment\n" + (root / "pack.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    import_pack(root)
    (root / "paths/ECOUTE/modules/stray.txt").write_text("left over", encoding="utf-8")
    autre_before = files(root / "paths/AUTRE")

    export_path("ECOUTE", root)

    assert not (root / "paths/ECOUTE/modules/stray.txt").exists()
    assert files(root / "paths/AUTRE") == autre_before
    assert (root / "pack.yaml").read_text(encoding="utf-8").startswith("# kept comment\n")
    assert not [p for p in (root / "paths").iterdir() if p.name.startswith(".")]
    assert import_pack(root).outcomes[0].action == "unchanged"
