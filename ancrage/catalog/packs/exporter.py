"""Export one path version as a content pack folder (docs/content-packs.md).

`export_path(code, dest)` writes `dest/paths/CODE/` (path.yaml, modules/NN-slug.yaml,
media/) for the path's latest version, or the version `number` given. Into an existing
pack, the path's folder is replaced as a whole (written beside it, then swapped) and
`pack.yaml` is only touched to add the path's theme if it is missing — its comments and
other themes stay. Into an empty folder, a fresh `pack.yaml` is written.

Importing the export gives back the same content hash: media are named after their
original file names (made unique), which are not part of the content.
"""

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from ancrage.catalog.cards import media_of
from ancrage.catalog.content import content_of
from ancrage.catalog.documents import module_document, version_document
from ancrage.catalog.errors import CatalogError
from ancrage.catalog.models import MediaAsset, PathVersion
from ancrage.catalog.models import Path as PathModel
from ancrage.catalog.queries import media_assets


class _Dumper(yaml.SafeDumper):
    """Block lists indented under their key, multi-line text as `|` blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )


@dataclass(frozen=True)
class ExportReport:
    code: str
    number: int
    folder: Path
    modules: int
    media: int


def export_path(code: str, dest: Path, *, number: int | None = None) -> ExportReport:
    path = PathModel.objects.select_related("theme", "translation_of").filter(code=code).first()
    if path is None:
        raise CatalogError(_("No path with the code %(code)s.") % {"code": code})
    versions = path.versions.order_by("-number")
    version: PathVersion | None = (
        versions.filter(number=number).first() if number is not None else versions.first()
    )
    if version is None:
        raise CatalogError(_("%(code)s has no version %(n)s.") % {"code": code, "n": number or ""})
    content = content_of(version)
    assets = media_assets(media_of(content))
    names = _media_names(assets)

    def media_name(sha: str) -> str:
        return f"media/{names[sha]}"

    module_files = [f"{i:02d}-{m.slug}.yaml" for i, m in enumerate(content.modules, start=1)]
    doc: dict[str, Any] = {"code": path.code, "language": path.language}
    versioned = version_document(content, media_name)
    doc["title"] = versioned.pop("title")
    doc["theme"] = path.theme.code
    doc.update(versioned)
    if path.translation_of:
        doc["translation_of"] = path.translation_of.code
    doc["modules"] = module_files

    paths_dir = dest / "paths"
    paths_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{code}-", dir=paths_dir))
    try:
        (work / "path.yaml").write_text(dump_yaml(doc), encoding="utf-8")
        (work / "modules").mkdir()
        for file_name, module in zip(module_files, content.modules, strict=True):
            (work / "modules" / file_name).write_text(
                dump_yaml(module_document(module, media_name)), encoding="utf-8"
            )
        if names:
            (work / "media").mkdir()
        for sha, name in names.items():
            with default_storage.open(str(assets[sha].file.name), "rb") as source:
                (work / "media" / name).write_bytes(source.read())
        _swap_in(work, paths_dir / code)
    finally:
        if work.exists():
            shutil.rmtree(work)
    _write_pack_file(dest, path)
    return ExportReport(
        code=code,
        number=version.number,
        folder=paths_dir / code,
        modules=len(module_files),
        media=len(names),
    )


def _media_names(assets: dict[str, MediaAsset]) -> dict[str, str]:
    """sha256 → a unique, safe file name based on the original name."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for sha, asset in sorted(assets.items(), key=lambda item: (item[1].original_name, item[0])):
        stem = asset.original_name.rsplit(".", 1)[0]
        stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_").lower() or "media"
        name = f"{stem}.{asset.extension}"
        if name in taken:
            name = f"{stem}-{sha[:8]}.{asset.extension}"
        taken.add(name)
        names[sha] = name
    return names


def _swap_in(work: Path, final: Path) -> None:
    if final.exists():
        old = final.with_name(f".{final.name}-old")
        if old.exists():
            shutil.rmtree(old)
        final.rename(old)
        work.rename(final)
        shutil.rmtree(old)
    else:
        work.rename(final)


def _write_pack_file(dest: Path, path: PathModel) -> None:
    theme = {"code": path.theme.code, "title": path.theme.title}
    if path.theme.description:
        theme["description"] = path.theme.description
    pack_file = dest / "pack.yaml"
    if not pack_file.exists():
        pack_file.write_text(
            dump_yaml({"publisher": path.publisher, "themes": [theme]}), encoding="utf-8"
        )
        return
    data = yaml.safe_load(pack_file.read_text(encoding="utf-8")) or {}
    themes = data.get("themes") or []
    if not any(isinstance(t, dict) and t.get("code") == theme["code"] for t in themes):
        data["themes"] = [*themes, theme]
        pack_file.write_text(dump_yaml(data), encoding="utf-8")
