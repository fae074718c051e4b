"""The self-contained content of a package: the web player, one bundle and one launch page
per unit, and every media file — all under relative paths, nothing fetched from elsewhere.

A *unit* is what an LMS launches: a whole path, or one module of it. Its bundle is
`player.bundle.build_bundle(version, include_answers=True)` (the package scores answers
itself), cut to the module when the unit is a module, with media URLs made relative
(`media/<sha256>.<ext>`). The launch page is `<unit>.html`: the player's markup, its props
(`host` names the tracking adapter) and `player/player.js`, the very file the web app serves.
"""

import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ancrage.catalog.models import MediaAsset, PathVersion
from ancrage.exports.package.archive import PackageFiles
from ancrage.player.bundle import build_bundle

# Our own static files copied into every package that carries the player.
PLAYER_FILES = (
    "player/player.js",
    "player/adapters.js",
    "player/adapter-web.js",
    "player/adapter-host.js",
    "player/player.css",
    "ancrage/css/app.css",
)
ADAPTERS = {
    "scorm12": "player/adapter-scorm12.js",
    "scorm2004": "player/adapter-scorm2004.js",
    "cmi5": "player/adapter-cmi5.js",
}


@dataclass(frozen=True)
class Unit:
    """One launchable piece of a package: a path, or a module of it."""

    ident: str  # "u1", "u2"…: file names and manifest identifiers
    title: str
    description: str
    path_code: str
    module_slug: str
    language: str
    version_number: int
    est_minutes: int
    data: dict[str, Any] = field(repr=False)  # the bundle, relative media URLs
    media: dict[str, str] = field(repr=False)  # package file name → storage name

    @property
    def launch(self) -> str:
        return f"{self.ident}.html"

    @property
    def content(self) -> str:
        return f"content/{self.ident}.json"

    @property
    def has_quiz(self) -> bool:
        return any(card["type"] == "quiz" for card in self.data["cards"])

    def files(self) -> list[str]:
        """The files this unit needs besides the shared player files."""
        return [self.launch, self.content, *sorted(self.media)]


@dataclass(frozen=True)
class PackageSpec:
    """Everything a format needs to write its package."""

    identifier: str  # stable: organisation, scope and version numbers
    title: str
    organisation_slug: str
    language: str
    units: tuple[Unit, ...]
    report: dict[str, str] | None = None  # {"url": …, "token": …} when reporting xAPI to us


def build_unit(ident: str, version: PathVersion, module_slug: str = "") -> Unit:
    """A unit from a published version (the path's language for every UI string)."""
    code = version.path.code
    with translation.override(version.path.language):
        bundle = build_bundle(version, include_answers=True)
    marker = reverse("player_media", kwargs={"code": code, "name": "NAME"}).removesuffix("NAME")
    data = json.loads(bundle.json.decode().replace(marker, "media/"))
    title, description, minutes = version.title, version.summary, version.promise_minutes
    if module_slug:
        module = next((m for m in data["modules"] if m["slug"] == module_slug), None)
        if module is None:
            raise LookupError(module_slug)
        keys = set(module["cards"])
        data["modules"] = [module]
        data["cards"] = [card for card in data["cards"] if card["key"] in keys]
        data["placement"] = []
        title = f"{version.title} — {module['title']}"
        minutes = module["est_minutes"]
    names = {url.removeprefix("media/") for card in data["cards"] for url in card["media"]}
    assets = MediaAsset.objects.filter(sha256__in={n.partition(".")[0] for n in names})
    media = {f"media/{a.sha256}.{a.extension}": str(a.file.name) for a in assets}
    return Unit(
        ident=ident,
        title=title,
        description=description,
        path_code=code,
        module_slug=module_slug,
        language=version.path.language,
        version_number=version.number,
        est_minutes=minutes,
        data=data,
        media=media,
    )


def _strings() -> dict[str, str]:
    return {
        "cardOf": _("Card %(n)s of %(total)s"),
        "minutesLeft": _("About %(n)s min left"),
        "moduleOf": _("Module %(n)s of %(total)s"),
        "correct": _("Correct!"),
        "incorrect": _("Not quite. Read the feedback and try again."),
        "partial": _("Partly right. Try again."),
        "best": _("Best choice."),
        "acceptable": _("Acceptable, but there is a better choice."),
        "poor": _("Not the best choice. See what happens, then try another."),
        "saved": _("Saved."),
        "savedOffline": _("Saved."),
        "choose": _("Choose an answer first."),
        "write": _("Write a few words first."),
        "offline": _("Your progress is saved by your learning platform."),
        "synced": _("Progress saved."),
        "optional": _("Optional: you already master this module."),
        "error": _("Something went wrong. Please try again."),
        "finish": _("Finish"),
        "endTitle": _("Well done: you reached the end."),
        "endPassed": _("Your progress and score are saved in your learning platform."),
        "endIncomplete": _(
            "Some cards are not seen yet or some quizzes are not mastered: go back to them "
            "when you like, your progress is kept."
        ),
        "licence": _(
            "This content is no longer available under your organisation's licence. "
            "Please contact your training team. Your learning platform keeps your progress."
        ),
        "noLms": _(
            "Your learning platform did not answer: this session is not recorded. "
            "Open this content from your learning platform."
        ),
    }


def unit_props(unit: Unit, fmt: str, report: dict[str, str] | None) -> dict[str, Any]:
    data = unit.data
    seconds = {card["key"]: card["est_seconds"] for card in data["cards"]}
    return {
        "host": {
            "format": fmt,
            "adapter": "./" + ADAPTERS[fmt].removeprefix("player/"),
            "unit": unit.ident,
            "title": unit.title,
            "mastery": data["mastery"],
            "report": report,
        },
        "code": unit.path_code,
        "enrolment": f"{unit.path_code}.{unit.module_slug or 'all'}.v{unit.version_number}",
        "card": data["cards"][0]["key"],
        "modules": [
            {"slug": m["slug"], "title": m["title"], "seconds": [seconds[k] for k in m["cards"]]}
            for m in data["modules"]
        ],
        "progress": {"seen": [], "optional": [], "answers": {}, "position_at": None},
        "urls": {"bundle": unit.content, "end": "#end"},
        "strings": _strings(),
    }


def static_bytes(name: str) -> bytes:
    found = finders.find(name)
    if not found or isinstance(found, list):
        raise FileNotFoundError(name)
    with open(found, "rb") as handle:
        return handle.read()


def add_player_content(files: PackageFiles, spec: PackageSpec, fmt: str) -> None:
    """Add the player, the adapter of `fmt`, and every unit's page, bundle and media."""
    for name in (*PLAYER_FILES, ADAPTERS[fmt]):
        files.add(name, static_bytes(name))
    for unit in spec.units:
        with translation.override(unit.language):
            page = render_to_string(
                "exports/package/unit.html",
                {
                    "unit": unit,
                    "bundle": unit.data,
                    "props": unit_props(unit, fmt, spec.report),
                    "language": unit.language,
                },
            )
        files.add(unit.launch, page)
        files.add(unit.content, json.dumps(unit.data, ensure_ascii=False, separators=(",", ":")))
        for name, stored in sorted(unit.media.items()):
            if name not in files:
                with default_storage.open(stored, "rb") as handle:
                    files.add(name, handle.read())


def site_url() -> str:
    return str(settings.SITE_URL).rstrip("/")
