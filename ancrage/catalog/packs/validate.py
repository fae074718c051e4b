"""Check a whole content pack and report every problem as `FILE:LINE: field: message`.

The validator goes on after an error wherever it can (a broken module file does not hide
the problems of the next one), so an author fixes a pack in one pass. What it checks, on
top of each field's spec (catalog.specs, catalog.cards): YAML syntax, unknown fields,
wrong types, unknown card types, quizzes without a correct answer, missing alt text,
broken or unsafe media references (type from content, size limits, safe SVG), module
files missing or not listed, path folder name ≠ code, duplicate path codes, unknown
themes and translations, and the content rules of catalog.rules (module length, final
action-plan prompt, key behaviour references, promised duration).

A valid pack comes back as a `ValidPack`: the content of each path as `VersionContent`
(media as sha256) plus the media files to store, ready for the importer.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ancrage.catalog.content import KeyBehaviourContent, ModuleContent, VersionContent
from ancrage.catalog.errors import MediaError
from ancrage.catalog.media import MediaInfo, read_checked
from ancrage.catalog.models import SLUG_PATTERN
from ancrage.catalog.models import Path as PathModel
from ancrage.catalog.packs.reader import Problem, YamlDoc, read_yaml
from ancrage.catalog.rules import (
    check_final_card,
    check_key_behaviour_refs,
    check_module,
    check_promise,
)
from ancrage.catalog.schema import (
    Context,
    Issue,
    ListOf,
    Loc,
    Record,
    Text,
    format_loc,
)
from ancrage.catalog.specs import (
    LANGUAGE,
    MODULE,
    PATH_CODE,
    THEME_CODE,
    VERSION_FIELDS,
    cover_needs_alt,
)

MODULE_FILE = re.compile(r"(\d{2,3})-(" + SLUG_PATTERN + r")\.yaml")

PACK_FILE = Record(
    {
        "publisher": Text(max_length=200),
        "themes": ListOf(
            Record(
                {
                    "code": THEME_CODE,
                    "title": Text(max_length=200),
                    "description": Text(max_length=2000, required=False),
                }
            ),
            min_items=1,
        ),
    }
)

PATH_FILE = Record(
    {
        "code": PATH_CODE,
        "language": LANGUAGE,
        "theme": Text(max_length=60),
        **VERSION_FIELDS,
        "translation_of": Text(max_length=60, required=False),
        "modules": ListOf(
            Text(
                max_length=100,
                pattern=MODULE_FILE.pattern,
                pattern_hint=gettext_lazy("module files are named NN-slug.yaml (01-ecouter.yaml)"),
            ),
            min_items=1,
        ),
    }
)


@dataclass(frozen=True)
class MediaFile:
    path: Path
    info: MediaInfo


@dataclass
class PathEntry:
    code: str
    language: str
    theme: str
    translation_of: str | None
    content: VersionContent
    media: dict[str, MediaFile]  # sha256 → the file to store
    rel: str  # "paths/CODE"
    doc: YamlDoc  # path.yaml, for the lines of later problems


@dataclass
class ValidPack:
    root: Path
    publisher: str
    themes: list[dict[str, str]]
    paths: list[PathEntry]


@dataclass
class Validation:
    problems: list[Problem] = field(default_factory=list)
    pack: ValidPack | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _problems(doc: YamlDoc, issues: list[Issue]) -> list[Problem]:
    return [Problem(doc.file, doc.line(i.loc), format_loc(i.loc), i.message) for i in issues]


class PackMedia:
    """MediaResolver for a path folder: `media/x.png` → checked file → sha256."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self.files: dict[str, MediaFile] = {}
        self._seen: dict[Path, MediaInfo | str] = {}

    def resolve_media(
        self, value: str, kinds: frozenset[str], loc: Loc, issues: list[Issue]
    ) -> str | None:
        ref = PurePosixPath(value)
        if ref.is_absolute() or ".." in ref.parts or "\\" in value or ":" in value:
            issues.append(
                Issue(loc, _("media are files inside the path folder, e.g. media/cover.svg"))
            )
            return None
        full = (self.folder / ref).resolve()
        if not full.is_relative_to(self.folder) or not full.is_file():
            issues.append(Issue(loc, _("media file not found: %(ref)s") % {"ref": value}))
            return None
        if full not in self._seen:
            try:
                self._seen[full] = read_checked(full)[0]
            except MediaError as exc:
                self._seen[full] = str(exc)
        info = self._seen[full]
        if isinstance(info, str):
            issues.append(Issue(loc, info))
            return None
        if info.kind not in kinds:
            issues.append(
                Issue(
                    loc,
                    _("%(ref)s is of kind “%(kind)s”; this field needs: %(kinds)s")
                    % {"ref": value, "kind": info.kind, "kinds": ", ".join(sorted(kinds))},
                )
            )
            return None
        self.files[info.sha256] = MediaFile(full, info)
        return info.sha256


def validate_pack(root: Path, *, check_database: bool = True) -> Validation:
    """Validate the pack at `root`. `check_database` also resolves `translation_of` codes
    that are not in the pack against the catalogue."""
    result = Validation()
    if not root.is_dir():
        result.problems.append(Problem(str(root), None, "", _("not a folder")))
        return result
    publisher, themes = _validate_pack_file(root, result.problems)
    theme_codes = {t["code"] for t in themes}
    paths_dir = root / "paths"
    if not paths_dir.is_dir():
        result.problems.append(
            Problem(
                "paths/", None, "", _("folder not found; a pack keeps its paths in paths/CODE/")
            )
        )
        return result
    entries: list[PathEntry] = []
    code_lines: dict[str, list[tuple[str, int | None]]] = {}
    folders = sorted(p for p in paths_dir.iterdir() if not p.name.startswith("."))
    for folder in folders:
        if not folder.is_dir():
            result.problems.append(
                Problem(
                    f"paths/{folder.name}",
                    None,
                    "",
                    _("unexpected file; each path is a folder paths/CODE/"),
                )
            )
            continue
        entry = _validate_path_folder(folder, theme_codes, result.problems, code_lines)
        if entry is not None:
            entries.append(entry)
    if not folders:
        result.problems.append(Problem("paths/", None, "", _("the pack has no path")))
    for code, places in code_lines.items():
        for file, line in places[1:]:
            result.problems.append(
                Problem(
                    file,
                    line,
                    "code",
                    _("duplicate path code %(code)s (also in %(other)s)")
                    % {"code": code, "other": places[0][0]},
                )
            )
    _check_translations(entries, code_lines, result.problems, check_database)
    if not result.problems:
        result.pack = ValidPack(root=root, publisher=publisher, themes=themes, paths=entries)
    return result


def _validate_pack_file(root: Path, problems: list[Problem]) -> tuple[str, list[dict[str, str]]]:
    doc, read_problems = read_yaml(root / "pack.yaml", "pack.yaml")
    if doc is None:
        problems.extend(read_problems)
        return "", []
    issues: list[Issue] = []
    data = PACK_FILE.clean_fields(doc.data, (), Context(), issues)
    themes = data.get("themes", [])
    counts = Counter(t["code"] for t in themes)
    for index, theme in enumerate(themes):
        if counts[theme["code"]] > 1:
            issues.append(Issue(("themes", index, "code"), _("theme codes must be unique")))
    problems.extend(_problems(doc, issues))
    return data.get("publisher", ""), themes


def _validate_path_folder(
    folder: Path,
    theme_codes: set[str],
    problems: list[Problem],
    code_lines: dict[str, list[tuple[str, int | None]]],
) -> PathEntry | None:
    rel = f"paths/{folder.name}"
    doc, read_problems = read_yaml(folder / "path.yaml", f"{rel}/path.yaml")
    if doc is None:
        problems.extend(read_problems)
        return None
    before = len(problems)
    media = PackMedia(folder)
    ctx = Context(media)
    issues: list[Issue] = []
    data = PATH_FILE.clean_fields(doc.data, (), ctx, issues)
    cover_needs_alt(data, (), issues)
    code = data.get("code")
    if code is not None:
        code_lines.setdefault(code, []).append((doc.file, doc.line(("code",))))
        if code != folder.name:
            issues.append(
                Issue(
                    ("code",),
                    _("the folder is named %(folder)s but the code is %(code)s; they must be equal")
                    % {"folder": folder.name, "code": code},
                )
            )
    if "theme" in data and data["theme"] not in theme_codes:
        issues.append(
            Issue(
                ("theme",),
                _("unknown theme “%(theme)s”; pack.yaml defines: %(themes)s")
                % {"theme": data["theme"], "themes": ", ".join(sorted(theme_codes)) or _("none")},
            )
        )
    key_behaviours = [
        KeyBehaviourContent(code=kb["code"], statement=kb["statement"], anchors=kb["anchors"])
        for kb in data.get("key_behaviours", [])
    ]
    kb_counts = Counter(kb.code for kb in key_behaviours)
    for index, kb in enumerate(key_behaviours):
        if kb_counts[kb.code] > 1:
            issues.append(
                Issue(("key_behaviours", index, "code"), _("key behaviour codes must be unique"))
            )

    names = data.get("modules", [])
    parsed = _validate_modules(folder, rel, names, ctx, issues, problems)
    valid = [(i, m) for i, (m, _doc) in enumerate(parsed) if m is not None]
    rule_issues: list[Issue] = []
    for index, module in valid:
        rule_issues += check_module(module, index)
    if "key_behaviours" in data:
        rule_issues += check_key_behaviour_refs(valid, {kb.code for kb in key_behaviours})
    if names and len(valid) == len(names):
        complete_modules = [m for _i, m in valid]
        rule_issues += check_final_card(complete_modules)
        if "promise_minutes" in data:
            rule_issues += check_promise(data["promise_minutes"], complete_modules)
    problems.extend(_problems(doc, issues))
    problems.extend(_locate_rule_issues(rule_issues, doc, [d for _m, d in parsed]))
    if len(problems) > before:
        return None
    content = VersionContent(
        title=data["title"],
        summary=data.get("summary", ""),
        level=data["level"],
        promise_minutes=data["promise_minutes"],
        skills=data.get("skills", []),
        objectives=data["objectives"],
        cover=data.get("cover"),
        cover_alt=data.get("cover_alt", ""),
        follow_up=data.get("follow_up", {}),
        key_behaviours=key_behaviours,
        modules=[m for _i, m in valid],
    )
    return PathEntry(
        code=data["code"],
        language=data["language"],
        theme=data["theme"],
        translation_of=data.get("translation_of"),
        content=content,
        media=media.files,
        rel=rel,
        doc=doc,
    )


def _validate_modules(
    folder: Path,
    rel: str,
    names: list[str],
    ctx: Context,
    issues: list[Issue],
    problems: list[Problem],
) -> list[tuple[ModuleContent | None, YamlDoc | None]]:
    """Check each listed module file; returns (content or None, its document) per name."""
    modules_dir = folder / "modules"
    slugs = [_slug(name) for name in names]
    slug_counts = Counter(slugs)
    if modules_dir.is_dir():
        for extra in sorted(p.name for p in modules_dir.iterdir() if not p.name.startswith(".")):
            if extra not in names:
                issues.append(
                    Issue(
                        ("modules",),
                        _("modules/%(file)s is not listed in modules") % {"file": extra},
                    )
                )
    parsed: list[tuple[ModuleContent | None, YamlDoc | None]] = []
    for index, (name, slug) in enumerate(zip(names, slugs, strict=True)):
        if slug_counts[slug] > 1:
            issues.append(
                Issue(
                    ("modules", index),
                    _("two module files share the name “%(slug)s”") % {"slug": slug},
                )
            )
        if not (modules_dir / name).is_file():
            issues.append(
                Issue(("modules", index), _("modules/%(file)s not found") % {"file": name})
            )
            parsed.append((None, None))
            continue
        mdoc, read_problems = read_yaml(modules_dir / name, f"{rel}/modules/{name}")
        if mdoc is None:
            problems.extend(read_problems)
            parsed.append((None, None))
            continue
        module_issues: list[Issue] = []
        data = MODULE.clean(mdoc.data, (), ctx, module_issues)
        problems.extend(_problems(mdoc, module_issues))
        if module_issues:
            parsed.append((None, mdoc))
            continue
        module = ModuleContent(
            slug=slug, title=data["title"], est_minutes=data["est_minutes"], cards=data["cards"]
        )
        parsed.append((module, mdoc))
    return parsed


def _slug(module_file: str) -> str:
    match = MODULE_FILE.fullmatch(module_file)
    assert match is not None  # the modules spec checked the pattern
    return match.group(2)


def _locate_rule_issues(
    issues: list[Issue], doc: YamlDoc, module_docs: list[YamlDoc | None]
) -> list[Problem]:
    """Rule locations are rooted at the version; `("modules", i, …)` lives in module file i."""
    located = []
    for issue in issues:
        loc = issue.loc
        in_module = len(loc) >= 3 and loc[0] == "modules" and isinstance(loc[1], int)
        mdoc = module_docs[loc[1]] if in_module and isinstance(loc[1], int) else None
        if mdoc is not None:
            inner = loc[2:]
            located.append(Problem(mdoc.file, mdoc.line(inner), format_loc(inner), issue.message))
        else:
            located.append(Problem(doc.file, doc.line(loc), format_loc(loc), issue.message))
    return located


def _check_translations(
    entries: list[PathEntry],
    code_lines: dict[str, list[tuple[str, int | None]]],
    problems: list[Problem],
    check_database: bool,
) -> None:
    for entry in entries:
        target = entry.translation_of
        if target is None:
            continue
        file, line = entry.doc.file, entry.doc.line(("translation_of",))
        if target == entry.code:
            problems.append(
                Problem(file, line, "translation_of", _("a path cannot be a translation of itself"))
            )
        elif target not in code_lines and not (
            check_database and PathModel.objects.filter(code=target).exists()
        ):
            problems.append(
                Problem(
                    file,
                    line,
                    "translation_of",
                    _("unknown path %(code)s: it is neither in the pack nor in the catalogue")
                    % {"code": target},
                )
            )
