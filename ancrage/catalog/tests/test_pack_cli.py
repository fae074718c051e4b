"""`ancrage pack …`: output and exit codes, through the console script and call_command."""

import io
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ancrage.catalog.models import PathVersion
from ancrage.catalog.tests.packs import edit
from ancrage.cli import main

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def call(*args: str) -> tuple[int, str, str]:
    """Run the command in-process; CommandError carries the exit code the CLI would use."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except CommandError as exc:
        code = exc.returncode
        err.write(f"CommandError: {exc}\n")
    return code, out.getvalue(), err.getvalue()


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["ancrage", *args])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


# The real entry point closes database connections when it ends (Django's run_from_argv),
# which a test wrapped in a transaction cannot survive on PostgreSQL.
@pytest.mark.django_db(transaction=True)
def test_validate_a_valid_pack_exits_0(
    pack: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(monkeypatch, capsys, "pack", "validate", str(pack))
    assert code == 0
    assert "valid — 1 path(s), 9 card(s)." in out
    assert "CommandError" not in err


@pytest.mark.django_db(transaction=True)
def test_validate_an_invalid_pack_exits_2_with_every_problem(
    pack: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module = pack / "paths/ECOUTE/modules/01-ecouter.yaml"
    edit(module, "        correct: true\n", "        correct: false\n")
    edit(module, "  - type: text\n", "  - type: texte\n")
    code, out, err = run(monkeypatch, capsys, "pack", "validate", str(pack))
    assert code == 2
    lines = err.splitlines()
    assert lines[0].startswith(
        "paths/ECOUTE/modules/01-ecouter.yaml:4: cards[0].type: unknown card type “texte”"
    )
    assert (
        lines[1]
        == "paths/ECOUTE/modules/01-ecouter.yaml:23: cards[3].choices: a quiz needs at least one correct answer"
    )
    assert lines[2] == "CommandError: 2 problems; nothing was imported."


def test_import_an_invalid_pack_exits_2_and_imports_nothing(pack: Path) -> None:
    edit(pack / "paths/ECOUTE/path.yaml", "theme: relations", "theme: inconnu")
    code, _out, err = call("pack", "import", str(pack), "--publish")
    assert code == 2
    assert "paths/ECOUTE/path.yaml:4: theme: unknown theme “inconnu”" in err
    assert "CommandError: 1 problem; nothing was imported." in err
    assert not PathVersion.objects.exists()


def test_import_then_export_exit_0_with_a_summary(pack: Path, tmp_path: Path) -> None:
    code, out, _err = call("pack", "import", str(pack), "--publish")
    assert code == 0
    assert "ECOUTE: version 1 created (published)" in out
    code, out, _err = call("pack", "import", str(pack), "--publish")
    assert (code, out.splitlines()[0]) == (0, "ECOUTE: unchanged: version 1 (published)")
    code, out, _err = call("pack", "export", "ECOUTE", str(tmp_path / "out"))
    assert code == 0
    assert "Exported ECOUTE version 1" in out
    assert (tmp_path / "out/paths/ECOUTE/path.yaml").is_file()


def test_export_of_an_unknown_path_exits_2(tmp_path: Path) -> None:
    code, _out, err = call("pack", "export", "NOPE", str(tmp_path / "out"))
    assert code == 2
    assert "No path with the code NOPE." in err


def test_validate_a_missing_folder_exits_2(tmp_path: Path) -> None:
    code, _out, err = call("pack", "validate", str(tmp_path / "nowhere"))
    assert code == 2
    assert "nowhere: not a folder" in err
