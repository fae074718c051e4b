"""Authors see what changed between two versions: fields, key behaviours, modules, cards."""

from pathlib import Path

import pytest

from ancrage.catalog.diff import Change, diff_versions
from ancrage.catalog.models import PathVersion
from ancrage.catalog.packs.importer import import_pack
from ancrage.catalog.tests.packs import edit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

M1 = "paths/ECOUTE/modules/01-ecouter.yaml"
M2 = "paths/ECOUTE/modules/02-agir.yaml"
PATH = "paths/ECOUTE/path.yaml"


@pytest.fixture
def v1(pack: Path) -> Path:
    import_pack(pack, publish=True)
    return pack


def diff_after_import(pack: Path) -> list[Change]:
    import_pack(pack)
    return diff_versions(PathVersion.objects.get(number=1), PathVersion.objects.get(number=2))


def test_identical_versions_have_no_difference(v1: Path) -> None:
    version = PathVersion.objects.get()
    assert diff_versions(version, version) == []


def test_path_fields_changes_show_before_and_after(v1: Path) -> None:
    edit(v1 / PATH, "title: Écouter pour de vrai", "title: Écouter, enfin")
    edit(v1 / PATH, "  - Poser une question ouverte.\n", "  - Poser deux questions ouvertes.\n")
    changes = diff_after_import(v1)
    assert changes == [
        Change("changed", "version", "Path", "title", "Écouter pour de vrai", "Écouter, enfin"),
        Change(
            "changed",
            "version",
            "Path",
            "objectives",
            ["Reformuler avant de répondre.", "Poser une question ouverte."],
            ["Reformuler avant de répondre.", "Poser deux questions ouvertes."],
        ),
    ]


def test_key_behaviour_statement_and_anchor_changes(v1: Path) -> None:
    edit(v1 / PATH, "      3: Reformule parfois.", "      3: Reformule de temps en temps.")
    (change,) = diff_after_import(v1)
    assert (change.action, change.target, change.field) == ("changed", "key_behaviour", "anchors.3")
    assert (change.before, change.after) == ("Reformule parfois.", "Reformule de temps en temps.")
    assert change.where == "Key behaviour “reformule”"


def test_a_changed_card_shows_field_level_before_and_after(v1: Path) -> None:
    edit(v1 / M1, "        feedback: Oui.\n", "        feedback: Oui, bravo.\n")
    (change,) = diff_after_import(v1)
    assert change == Change(
        "changed",
        "card",
        "Module “Écouter vraiment” › card 4 (quiz)",
        "choices[1].feedback",
        "Oui.",
        "Oui, bravo.",
        module="ecouter",
        position_before=3,
        position_after=3,
    )


def test_added_and_removed_cards(v1: Path) -> None:
    edit(
        v1 / M2,
        "  - type: flashcard\n    front: Les quatre temps de la CNV ?\n    back: Observation, sentiment, besoin, demande.\n",
        "",
    )
    edit(
        v1 / M1,
        "  - type: image\n",
        "  - type: flashcard\n    front: Nouveau ?\n    back: Oui.\n  - type: image\n",
    )
    changes = diff_after_import(v1)
    assert [
        (c.action, c.target, c.module, c.position_before, c.position_after) for c in changes
    ] == [
        ("removed", "card", "agir", 1, None),
        ("added", "card", "ecouter", None, 1),
    ]
    assert changes[1].after == {"front": "Nouveau ?", "back": "Oui."}


def test_a_card_moved_to_another_module_is_reported_as_moved(v1: Path) -> None:
    flashcard = "  - type: flashcard\n    front: Les quatre temps de la CNV ?\n    back: Observation, sentiment, besoin, demande.\n"
    edit(v1 / M2, flashcard, "")
    edit(v1 / M1, "  - type: image\n", flashcard + "  - type: image\n")
    (change,) = diff_after_import(v1)
    assert (change.action, change.target, change.before, change.after) == (
        "moved",
        "card",
        "agir",
        "ecouter",
    )
    assert (change.position_before, change.position_after) == (1, 1)


def test_modules_added_removed_moved_and_renamed(v1: Path) -> None:
    path_file = v1 / PATH
    edit(
        path_file,
        "  - 01-ecouter.yaml\n  - 02-agir.yaml\n",
        "  - 02-agir.yaml\n  - 01-ecouter.yaml\n  - 03-bonus.yaml\n",
    )
    bonus = (
        (v1 / M2).read_text(encoding="utf-8").replace("title: Passer à l'action", "title: Bonus")
    )
    (v1 / "paths/ECOUTE/modules/03-bonus.yaml").write_text(bonus, encoding="utf-8")
    # The path must still end with an action plan and keep its promise.
    edit(v1 / M1, "est_minutes: 5", "est_minutes: 3")
    edit(path_file, "promise_minutes: 10", "promise_minutes: 13")
    edit(
        v1 / M1,
        "cards:\n",
        "cards:\n  - type: action_plan_prompt\n    key_behaviour: questionne\n    prompt: Et vous ?\n",
    )
    changes = diff_after_import(v1)
    summary = [(c.action, c.target, c.field, c.module) for c in changes]
    assert ("changed", "version", "promise_minutes", "") in summary
    assert ("added", "module", "", "bonus") in summary
    assert ("changed", "module", "est_minutes", "ecouter") in summary
    assert ("added", "card", "", "ecouter") in summary
    moved = [c for c in changes if c.action == "moved" and c.target == "module"]
    assert len(moved) == 1
    assert {moved[0].position_before, moved[0].position_after} == {0, 1}
    assert not [c for c in changes if c.action == "removed"]


def test_a_removed_module_is_reported_once_not_card_by_card(v1: Path) -> None:
    edit(v1 / PATH, "  - 02-agir.yaml\n", "")
    (v1 / M2).unlink()
    edit(v1 / PATH, "promise_minutes: 10", "promise_minutes: 5")
    (v1 / M1).write_text(
        (v1 / M1).read_text(encoding="utf-8")
        + "  - type: action_plan_prompt\n    key_behaviour: reformule\n    prompt: Quand ?\n",
        encoding="utf-8",
    )
    changes = diff_after_import(v1)
    assert [(c.action, c.target, c.field, c.module) for c in changes] == [
        ("changed", "version", "promise_minutes", ""),
        ("removed", "module", "", "agir"),
        ("added", "card", "", "ecouter"),
    ]
    assert changes[1].before == "Passer à l'action"
