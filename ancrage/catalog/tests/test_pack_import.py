"""Importing packs: all or nothing, unchanged content is a no-op, changes make new versions."""

from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from ancrage.catalog.actions import return_to_draft, submit_for_review
from ancrage.catalog.content import content_hash, content_of
from ancrage.catalog.models import Card, MediaAsset, Module, PathVersion, Theme, VersionStatus
from ancrage.catalog.models import Path as PathModel
from ancrage.catalog.packs.importer import PackInvalid, import_pack
from ancrage.catalog.tests.packs import edit, write_pack

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

M1 = "paths/ECOUTE/modules/01-ecouter.yaml"


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Theme, PathModel, PathVersion, Module, Card, MediaAsset)
    )


def test_import_creates_theme_path_and_a_draft_version_in_order(pack: Path) -> None:
    report = import_pack(pack)
    assert [str(o) for o in report.outcomes] == ["ECOUTE: version 1 created (draft)"]
    path = PathModel.objects.get(code="ECOUTE")
    assert path.theme.title == "Relations et communication"
    assert path.publisher == "Éditions Test"
    version = path.versions.get()
    assert version.status == VersionStatus.DRAFT
    assert version.title == "Écouter pour de vrai"
    assert version.follow_up == {
        "title": "Parcours socle « Communication »",
        "format": "3 demi-journées",
        "duration_hours": 10.5,
    }
    assert list(version.modules.values_list("slug", "est_minutes")) == [("ecouter", 5), ("agir", 5)]
    cards = Card.objects.filter(module__version=version).order_by("module__order", "order")
    assert [c.type for c in cards] == [
        "text", "image", "video", "quiz", "scenario",
        "memo_sheet", "flashcard", "reflection_prompt", "action_plan_prompt",
    ]  # fmt: skip
    assert [c.est_seconds for c in cards][-2:] == [60, 120]  # default, then the pack's value
    assert version.content_hash == content_hash(content_of(version))


def test_media_are_stored_once_under_their_sha256(pack: Path) -> None:
    import_pack(pack)
    image = Card.objects.get(type="image")
    asset = MediaAsset.objects.get(sha256=image.payload["src"])
    assert asset.kind == "image"
    assert asset.content_type == "image/png"
    assert asset.original_name == "schema.png"
    assert asset.file.name == f"catalog/media/{asset.sha256[:2]}/{asset.sha256}.png"
    assert default_storage.exists(asset.file.name)
    assert PathVersion.objects.get().cover == MediaAsset.objects.get(extension="svg")
    assert MediaAsset.objects.count() == 4


def test_publishing_an_unchanged_draft_keeps_its_version(pack: Path) -> None:
    import_pack(pack)
    assert [str(o) for o in import_pack(pack, publish=True).outcomes] == [
        "ECOUTE: version 1 published, content unchanged"
    ]
    assert PathVersion.objects.get().status == VersionStatus.PUBLISHED


def test_import_with_publish_publishes(pack: Path) -> None:
    report = import_pack(pack, publish=True)
    assert [str(o) for o in report.outcomes] == ["ECOUTE: version 1 created (published)"]
    version = PathVersion.objects.get()
    assert version.status == VersionStatus.PUBLISHED
    assert version.published_at is not None


def test_importing_an_unchanged_pack_again_changes_nothing(pack: Path) -> None:
    import_pack(pack, publish=True)
    before = list(PathVersion.objects.values_list("pk", "number", "status", "updated_at"))
    report = import_pack(pack, publish=True)
    assert [str(o) for o in report.outcomes] == ["ECOUTE: unchanged: version 1 (published)"]
    assert list(PathVersion.objects.values_list("pk", "number", "status", "updated_at")) == before


def test_renaming_a_media_file_is_not_a_content_change(pack: Path) -> None:
    import_pack(pack, publish=True)
    (pack / "paths/ECOUTE/media/schema.png").rename(pack / "paths/ECOUTE/media/trois-colonnes.png")
    edit(pack / M1, "media/schema.png", "media/trois-colonnes.png")
    assert import_pack(pack, publish=True).outcomes[0].action == "unchanged"


def test_changed_content_creates_a_new_version_and_retires_the_old_one(pack: Path) -> None:
    import_pack(pack, publish=True)
    v1 = PathVersion.objects.get()
    edit(pack / M1, "title: Écouter vraiment", "title: Écouter pour de bon")
    report = import_pack(pack, publish=True)
    assert [str(o) for o in report.outcomes] == ["ECOUTE: version 2 created (published)"]
    v1.refresh_from_db()
    assert v1.status == VersionStatus.RETIRED
    assert v1.modules.get(order=0).title == "Écouter vraiment"
    assert PathVersion.objects.get(number=2).modules.get(order=0).title == "Écouter pour de bon"


def test_changed_content_without_publish_leaves_a_draft_beside_the_published_version(
    pack: Path,
) -> None:
    import_pack(pack, publish=True)
    edit(pack / M1, "title: Écouter vraiment", "title: Écouter pour de bon")
    assert str(import_pack(pack).outcomes[0]) == "ECOUTE: version 2 created (draft)"
    edit(pack / M1, "title: Écouter pour de bon", "title: Écouter enfin")
    assert str(import_pack(pack).outcomes[0]) == "ECOUTE: draft version 2 replaced (draft)"
    assert list(PathVersion.objects.order_by("number").values_list("number", "status")) == [
        (1, "published"),
        (2, "draft"),
    ]
    assert PathVersion.objects.get(number=2).modules.get(order=0).title == "Écouter enfin"


def test_a_version_in_review_blocks_an_import_that_changes_it(pack: Path, editor) -> None:  # type: ignore[no-untyped-def]
    import_pack(pack)
    version = submit_for_review(version=PathVersion.objects.get(), by=editor)
    edit(pack / M1, "title: Écouter vraiment", "title: Écouter pour de bon")
    with pytest.raises(PackInvalid) as caught:
        import_pack(pack, publish=True)
    assert "version 1 of ECOUTE is in review; return it to draft or publish it" in str(caught.value)
    version.refresh_from_db()
    assert version.status == VersionStatus.IN_REVIEW
    return_to_draft(version=version, by=editor)
    assert import_pack(pack).outcomes[0].action == "updated"


def test_an_invalid_pack_changes_nothing(pack: Path) -> None:
    import_pack(pack, publish=True)
    before = counts()
    hash_before = PathVersion.objects.get().content_hash
    edit(pack / M1, "title: Écouter vraiment", "title: Écouter pour de bon")  # a real change…
    edit(pack / M1, "        correct: true\n", "        correct: false\n")  # …and an error
    with pytest.raises(PackInvalid) as caught:
        import_pack(pack, publish=True)
    assert [str(p) for p in caught.value.problems] == [
        f"{M1}:23: cards[3].choices: a quiz needs at least one correct answer"
    ]
    assert counts() == before
    assert PathVersion.objects.get().content_hash == hash_before


def test_nothing_is_half_imported_when_one_path_of_several_conflicts(
    tmp_path: Path, editor
) -> None:  # type: ignore[no-untyped-def]
    root = write_pack(tmp_path / "pack", code="AAA")
    import_pack(root)
    submit_for_review(version=PathVersion.objects.get(), by=editor)
    write_pack(tmp_path / "other", code="ZZZ")
    (tmp_path / "other/paths/ZZZ").rename(root / "paths/ZZZ")
    edit(root / "paths/AAA/modules/01-ecouter.yaml", "title: Écouter vraiment", "title: Autre")
    edit(root / "pack.yaml", "title: Relations et communication", "title: Relations")
    with pytest.raises(PackInvalid):
        import_pack(root)
    assert not PathModel.objects.filter(code="ZZZ").exists()
    assert Theme.objects.get().title == "Relations et communication"


def test_learners_keep_the_version_they_started(pack: Path) -> None:
    import_pack(pack, publish=True)
    pinned_id = PathVersion.objects.get().pk  # what an enrolment stores
    shown_before = [
        (c.type, c.payload)
        for c in Card.objects.filter(module__version_id=pinned_id).order_by(
            "module__order", "order"
        )
    ]
    edit(pack / M1, "        feedback: Oui.\n", "        feedback: Oui, bravo.\n")
    import_pack(pack, publish=True)
    pinned = PathVersion.objects.get(pk=pinned_id)
    assert pinned.status == VersionStatus.RETIRED
    shown_after = [
        (c.type, c.payload)
        for c in Card.objects.filter(module__version=pinned).order_by("module__order", "order")
    ]
    assert shown_after == shown_before
    assert PathVersion.objects.published().get().number == 2


def test_path_metadata_is_updated_in_place_without_a_new_version(pack: Path) -> None:
    import_pack(pack, publish=True)
    edit(
        pack / "pack.yaml",
        "  - code: relations\n",
        "  - code: autres\n    title: Autres\n  - code: relations\n",
    )
    edit(pack / "paths/ECOUTE/path.yaml", "theme: relations", "theme: autres")
    assert import_pack(pack, publish=True).outcomes[0].action == "unchanged"
    assert PathModel.objects.get().theme.code == "autres"


def test_translation_of_links_two_paths_of_the_pack(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "pack", code="ECOUTE")
    write_pack(tmp_path / "other", code="LISTENING")
    (tmp_path / "other/paths/LISTENING").rename(root / "paths/LISTENING")
    edit(root / "paths/LISTENING/path.yaml", "language: fr", "language: en")
    edit(root / "paths/LISTENING/path.yaml", "modules:\n", "translation_of: ECOUTE\nmodules:\n")
    import_pack(root)
    listening = PathModel.objects.get(code="LISTENING")
    assert listening.translation_of == PathModel.objects.get(code="ECOUTE")
    assert listening.language == "en"
