"""Each validation rule, shown by one small broken pack built from the valid one."""

from pathlib import Path

import pytest

from ancrage.catalog.packs.validate import validate_pack
from ancrage.catalog.tests.packs import SVG, edit, line_of, png_bytes, write_pack

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

M1 = "paths/ECOUTE/modules/01-ecouter.yaml"
M2 = "paths/ECOUTE/modules/02-agir.yaml"
PATH = "paths/ECOUTE/path.yaml"


def problems(root: Path) -> list[str]:
    result = validate_pack(root)
    assert (result.pack is None) == bool(result.problems)
    return [str(p) for p in result.problems]


def module1(pack: Path) -> Path:
    return pack / M1


def test_the_reference_pack_is_valid_and_comes_back_as_content(pack: Path) -> None:
    result = validate_pack(pack)
    assert result.problems == []
    assert result.pack is not None
    (entry,) = result.pack.paths
    assert entry.code == "ECOUTE"
    assert [m.slug for m in entry.content.modules] == ["ecouter", "agir"]
    assert [c.type for c in entry.content.modules[0].cards] == [
        "text",
        "image",
        "video",
        "quiz",
        "scenario",
    ]
    assert entry.content.summary == "Un parcours court pour écouter avant de répondre."
    assert entry.content.key_behaviours[0].anchors[0] == "Coupe la parole."
    assert len(entry.media) == 4  # cover, image, video, captions — as sha256 → file


def test_unknown_card_type_names_file_line_and_field(pack: Path) -> None:
    edit(module1(pack), "  - type: image\n", "  - type: imag\n")
    line = line_of(module1(pack), "type: imag")
    assert problems(pack) == [
        f"{M1}:{line}: cards[1].type: unknown card type “imag”; use one of: text, image, video, "
        "memo_sheet, quiz, scenario, flashcard, reflection_prompt, action_plan_prompt"
    ]


def test_quiz_without_a_correct_answer_is_refused(pack: Path) -> None:
    edit(module1(pack), "        correct: true\n", "        correct: false\n")
    line = line_of(module1(pack), "    choices:")
    assert problems(pack) == [
        f"{M1}:{line}: cards[3].choices: a quiz needs at least one correct answer"
    ]


def test_single_choice_quiz_with_two_correct_answers_is_refused(pack: Path) -> None:
    edit(
        module1(pack),
        "        correct: false\n        feedback: Non",
        "        correct: true\n        feedback: Non",
    )
    (problem,) = problems(pack)
    assert (
        "cards[3].choices: a single-choice quiz has exactly one correct answer (2 marked)"
        in problem
    )


def test_image_without_alt_text_is_refused(pack: Path) -> None:
    edit(module1(pack), "    alt: Schéma en trois colonnes.\n", "")
    line = line_of(module1(pack), "  - type: image")
    assert problems(pack) == [f"{M1}:{line}: cards[1].alt: this field is required"]


def test_cover_without_alt_text_is_refused(pack: Path) -> None:
    edit(pack / PATH, "cover_alt: Deux bulles de dialogue.\n", "")
    (problem,) = problems(pack)
    assert problem.startswith(f"{PATH}:1: cover_alt: a cover image needs a text alternative")


def test_broken_media_reference_is_refused(pack: Path) -> None:
    edit(module1(pack), "src: media/schema.png", "src: media/schema-v2.png")
    line = line_of(module1(pack), "schema-v2.png")
    assert problems(pack) == [
        f"{M1}:{line}: cards[1].src: media file not found: media/schema-v2.png"
    ]


@pytest.mark.parametrize(
    "reference", ["../../../etc/passwd", "/etc/passwd", "https://example.org/a.png"]
)
def test_media_outside_the_path_folder_is_refused(pack: Path, reference: str) -> None:
    edit(module1(pack), "src: media/schema.png", f"src: {reference}")
    (problem,) = problems(pack)
    assert "cards[1].src: media are files inside the path folder" in problem


def test_media_file_of_the_wrong_type_is_refused(pack: Path) -> None:
    # HTML pretending to be a PNG (fake-typed file)
    (pack / "paths/ECOUTE/media/schema.png").write_bytes(b"<html><script>alert(1)</script></html>")
    (problem,) = problems(pack)
    assert "cards[1].src: “schema.png” is not a supported media file" in problem


def test_media_whose_extension_disagrees_with_its_content_is_refused(pack: Path) -> None:
    (pack / "paths/ECOUTE/media/schema.png").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 100)
    (problem,) = problems(pack)
    assert "“schema.png” contains JPEG data; its name must end in .jpg" in problem


def test_media_of_the_wrong_kind_for_the_field_is_refused(pack: Path) -> None:
    edit(module1(pack), "captions: media/intro.vtt", "captions: media/schema.png")
    (problem,) = problems(pack)
    assert (
        "cards[2].captions: media/schema.png is of kind “image”; this field needs: captions"
        in problem
    )


def test_media_file_too_large_is_refused(pack: Path) -> None:
    (pack / "paths/ECOUTE/media/schema.png").write_bytes(png_bytes(extra=2 * 1024 * 1024))
    (problem,) = problems(pack)
    assert "cards[1].src: “schema.png” is 2.0 MB; an image may be at most 2.0 MB" in problem


def test_unsafe_svg_cover_is_refused(pack: Path) -> None:
    (pack / "paths/ECOUTE/media/cover.svg").write_bytes(
        SVG.replace(b"<rect", b"<script>alert(1)</script><rect")
    )
    (problem,) = problems(pack)
    assert problem.startswith(f"{PATH}:")
    assert "cover: “cover.svg” is refused: it contains a <script> element" in problem


def test_module_over_ten_minutes_is_refused(pack: Path) -> None:
    edit(module1(pack), "est_minutes: 5", "est_minutes: 12")
    edit(pack / "paths/ECOUTE/path.yaml", "promise_minutes: 10", "promise_minutes: 17")
    assert problems(pack) == [
        f"{M1}:2: est_minutes: a module lasts at most 10 minutes (12 estimated); split it in two"
    ]


def test_cards_adding_up_to_over_ten_minutes_are_refused(pack: Path) -> None:
    edit(pack / M2, "    est_seconds: 120\n", "    est_seconds: 600\n")
    assert problems(pack) == [
        f"{M2}:3: cards: the cards add up to 12.3 minutes of estimated time; a module lasts at most 10"
    ]


def test_path_without_final_action_plan_prompt_is_refused(pack: Path) -> None:
    text = (pack / M2).read_text(encoding="utf-8")
    (pack / M2).write_text(text.split("  - type: action_plan_prompt")[0], encoding="utf-8")
    line = line_of(pack / M2, "type: reflection_prompt")
    assert problems(pack) == [
        f"{M2}:{line}: cards[2].type: every path ends with an action_plan_prompt card; "
        "this last card is a reflection_prompt"
    ]


def test_action_plan_prompt_with_unknown_key_behaviour_is_refused(pack: Path) -> None:
    edit(pack / M2, "key_behaviour: reformule", "key_behaviour: reformuler")
    line = line_of(pack / M2, "key_behaviour: reformuler")
    assert problems(pack) == [
        f"{M2}:{line}: cards[3].key_behaviour: unknown key behaviour “reformuler”; "
        "the path defines: questionne, reformule"
    ]


def test_key_behaviour_without_all_five_anchors_is_refused(pack: Path) -> None:
    edit(pack / PATH, "      4: Reformule souvent.\n", "")
    line = line_of(pack / PATH, "anchors:")
    assert problems(pack) == [
        f"{PATH}:{line}: key_behaviours[0].anchors: every level from 1 to 5 needs an anchor; missing: 4"
    ]


def test_unknown_theme_is_refused(pack: Path) -> None:
    edit(pack / PATH, "theme: relations", "theme: relation")
    assert problems(pack) == [
        f"{PATH}:4: theme: unknown theme “relation”; pack.yaml defines: relations"
    ]


def test_path_folder_must_be_named_after_the_code(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "pack", code="ECOUTE")
    (root / "paths/ECOUTE").rename(root / "paths/LISTEN")
    assert problems(root) == [
        "paths/LISTEN/path.yaml:1: code: the folder is named LISTEN but the code is ECOUTE; they must be equal"
    ]


def test_duplicate_path_code_is_refused(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "pack", code="ECOUTE")
    write_pack(tmp_path / "other", code="AUTRE")
    (tmp_path / "other/paths/AUTRE").rename(root / "paths/AUTRE")
    edit(root / "paths/AUTRE/path.yaml", "code: AUTRE", "code: ECOUTE")
    found = problems(root)
    assert (
        "paths/AUTRE/path.yaml:1: code: the folder is named AUTRE but the code is ECOUTE; they must be equal"
        in found
    )
    assert (
        "paths/ECOUTE/path.yaml:1: code: duplicate path code ECOUTE (also in paths/AUTRE/path.yaml)"
        in found
    )


def test_yaml_syntax_error_names_the_line(pack: Path) -> None:
    edit(
        module1(pack),
        "    question: Quel geste montre que vous écoutez ?\n",
        "    question: [Quel geste\n",
    )
    (problem,) = problems(pack)
    assert problem.startswith(f"{M1}:")
    assert "YAML syntax error" in problem
    reported = int(problem.split(":")[1])
    assert abs(reported - line_of(module1(pack), "question: [Quel geste")) <= 2


def test_wrong_field_type_is_refused(pack: Path) -> None:
    edit(module1(pack), "est_minutes: 5", "est_minutes: cinq")
    assert problems(pack) == [f"{M1}:2: est_minutes: expected a whole number, got text"]


def test_boolean_written_as_text_is_refused(pack: Path) -> None:
    edit(module1(pack), "        correct: true\n", "        correct: oui\n")
    (problem,) = problems(pack)
    assert "cards[3].choices[1].correct: expected true or false, got text" in problem


def test_unknown_field_suggests_the_right_name(pack: Path) -> None:
    edit(module1(pack), "        correct: true\n", "        corect: true\n")
    line = line_of(module1(pack), "corect: true")
    found = problems(pack)
    assert (
        f"{M1}:{line}: cards[3].choices[1].corect: unknown field “corect”; did you mean “correct”?"
        in found
    )


def test_duplicate_yaml_key_is_refused(pack: Path) -> None:
    edit(module1(pack), "est_minutes: 5\n", "est_minutes: 5\nest_minutes: 6\n")
    assert problems(pack) == [f"{M1}:3: the key “est_minutes” appears twice in the same mapping"]


def test_yaml_aliases_are_refused(pack: Path) -> None:
    edit(
        module1(pack),
        "    title: Pourquoi écouter ?\n",
        "    title: &t Pourquoi écouter ?\n    alt_title: *t\n",
    )
    (problem,) = problems(pack)
    assert "YAML aliases (*name) are not allowed" in problem


def test_module_file_listed_but_missing_and_file_not_listed(pack: Path) -> None:
    (pack / M2).rename(pack / "paths/ECOUTE/modules/03-agir.yaml")
    modules_line = line_of(pack / PATH, "modules:")
    assert problems(pack) == [
        f"{PATH}:{modules_line}: modules: modules/03-agir.yaml is not listed in modules",
        f"{PATH}:{modules_line + 2}: modules[1]: modules/02-agir.yaml not found",
    ]


def test_promise_far_from_the_modules_total_is_refused(pack: Path) -> None:
    edit(pack / PATH, "promise_minutes: 10", "promise_minutes: 20")
    assert problems(pack) == [
        f"{PATH}:6: promise_minutes: the path promises 20 minutes but its modules add up to 10"
    ]


def test_unknown_translation_is_refused(pack: Path) -> None:
    edit(pack / PATH, "modules:\n", "translation_of: ACTIVE-LISTENING\nmodules:\n")
    line = line_of(pack / PATH, "translation_of")
    assert problems(pack) == [
        f"{PATH}:{line}: translation_of: unknown path ACTIVE-LISTENING: it is neither in the pack nor in the catalogue"
    ]


def test_every_problem_is_reported_in_one_pass(pack: Path) -> None:
    edit(pack / "pack.yaml", "publisher: Éditions Test\n", "publisher:\n")
    edit(module1(pack), "        correct: true\n", "        correct: false\n")
    edit(module1(pack), "    alt: Schéma en trois colonnes.\n", "")
    edit(pack / M2, "key_behaviour: reformule", "key_behaviour: inconnu")
    edit(pack / PATH, "level: decouverte", "level: debutant")
    found = problems(pack)
    assert len(found) == 5
    assert found[0] == "pack.yaml:1: publisher: this field is required"
    assert any(p.startswith(f"{PATH}:5: level: “debutant” is not allowed") for p in found)
    assert any("cards[1].alt" in p for p in found)
    assert any("cards[3].choices" in p for p in found)
    assert any(p.startswith(f"{M2}:") and "inconnu" in p for p in found)


def test_missing_pack_file_and_paths_folder(tmp_path: Path) -> None:
    tmp_path.joinpath("empty").mkdir()
    assert problems(tmp_path / "empty") == [
        "pack.yaml: file not found",
        "paths/: folder not found; a pack keeps its paths in paths/CODE/",
    ]


def test_not_utf8_yaml_is_refused(pack: Path) -> None:
    module1(pack).write_bytes("title: Écouter\n".encode("latin-1"))
    (problem,) = problems(pack)
    assert problem.startswith(f"{M1}: file is not UTF-8 text")
