"""One in-memory shape for a version's content, whatever it comes from or goes to.

A pack's path folder, a PathVersion in the database and an exported pack all convert to and
from `VersionContent`. Its canonical form (`canonical()`) is plain JSON with media named by
sha256, and `content_hash()` is the sha256 of that JSON with sorted keys. So:

* two versions with equal hashes show learners exactly the same thing;
* re-importing an unchanged pack is recognised as unchanged (same hash), even if media
  files were renamed, because file names are not content;
* path metadata that is not versioned (code, theme, language, publisher, translation)
  is not part of the hash.
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from ancrage.catalog.models import Card, KeyBehaviour, Module, PathVersion


@dataclass
class CardContent:
    type: str
    est_seconds: int
    payload: dict[str, Any]


@dataclass
class ModuleContent:
    slug: str
    title: str
    est_minutes: int
    cards: list[CardContent] = field(default_factory=list)


@dataclass
class KeyBehaviourContent:
    code: str
    statement: str
    anchors: list[str]


@dataclass
class VersionContent:
    title: str
    summary: str = ""
    level: str = "decouverte"
    promise_minutes: int = 20
    skills: list[str] = field(default_factory=list)
    objectives: list[str] = field(default_factory=list)
    cover: str | None = None  # sha256 of a MediaAsset
    cover_alt: str = ""
    follow_up: dict[str, Any] = field(default_factory=dict)
    key_behaviours: list[KeyBehaviourContent] = field(default_factory=list)
    modules: list[ModuleContent] = field(default_factory=list)

    def canonical(self) -> dict[str, Any]:
        return asdict(self)


def content_hash(content: VersionContent) -> str:
    blob = json.dumps(
        content.canonical(), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def content_of(version: PathVersion) -> VersionContent:
    """Read a version's content from the database (3 queries)."""
    modules = list(Module.objects.filter(version=version).order_by("order"))
    cards_by_module: dict[Any, list[CardContent]] = {m.pk: [] for m in modules}
    for card in Card.objects.filter(module__version=version).order_by("module__order", "order"):
        cards_by_module[card.module_id].append(
            CardContent(type=card.type, est_seconds=card.est_seconds, payload=dict(card.payload))
        )
    cover_sha = version.cover.sha256 if version.cover_id and version.cover else None
    return VersionContent(
        title=version.title,
        summary=version.summary,
        level=version.level,
        promise_minutes=version.promise_minutes,
        skills=list(version.skills),
        objectives=list(version.objectives),
        cover=cover_sha,
        cover_alt=version.cover_alt,
        follow_up=dict(version.follow_up),
        key_behaviours=[
            KeyBehaviourContent(code=kb.code, statement=kb.statement, anchors=list(kb.anchors))
            for kb in KeyBehaviour.objects.filter(version=version).order_by("order")
        ],
        modules=[
            ModuleContent(
                slug=m.slug, title=m.title, est_minutes=m.est_minutes, cards=cards_by_module[m.pk]
            )
            for m in modules
        ],
    )
