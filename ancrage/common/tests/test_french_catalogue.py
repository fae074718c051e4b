"""French is the default language: its catalogue has no untranslated or fuzzy entry."""

import subprocess
from pathlib import Path

import pytest

PO = Path(__file__).resolve().parents[3] / "locale" / "fr" / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("flag", ["--untranslated", "--only-fuzzy"])
def test_french_catalogue_is_complete(flag):
    result = subprocess.run(
        ["msgattrib", flag, "--no-obsolete", str(PO)], capture_output=True, text=True, check=True
    )
    entries = [line for line in result.stdout.splitlines() if line.startswith("msgid ")]
    # msgattrib prints the header entry (msgid "") when anything else matched.
    assert entries == [], result.stdout[:3000]


def test_french_catalogue_compiles_cleanly():
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(PO)], check=True)
