"""The Teams app package: a zip of manifest.json, color.png and outline.png at its root."""

import io
import json
import zipfile

from ancrage.microsoft365.models import Microsoft365Settings
from ancrage.microsoft365.teams_app.checks import (
    icon_problems,
    manifest_problems,
    settings_problems,
)
from ancrage.microsoft365.teams_app.icons import color_icon, outline_icon
from ancrage.microsoft365.teams_app.manifest import build_manifest

# A fixed timestamp keeps the zip byte-identical for the same manifest (reproducible).
ZIP_TIME = (2026, 1, 1, 0, 0, 0)


class PackageError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def build_package(config: Microsoft365Settings) -> bytes:
    """The zip for `config`'s organisation; PackageError listing what would break it."""
    if problems := settings_problems():
        raise PackageError(problems)
    manifest = build_manifest(config)
    color, outline = color_icon(), outline_icon()
    if problems := manifest_problems(manifest) + icon_problems(color, outline):
        raise PackageError(problems)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (
            ("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode()),
            ("color.png", color),
            ("outline.png", outline),
        ):
            archive.writestr(zipfile.ZipInfo(name, date_time=ZIP_TIME), data)
    return buffer.getvalue()
