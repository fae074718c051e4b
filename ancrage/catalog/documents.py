"""VersionContent written out as documents: the mappings a pack's YAML files hold.

`version_document` gives path.yaml's versioned fields, `module_document` one module file.
`media_name` turns a sha256 into what the document shows: a pack file name for the
exporter, the sha256 itself when rules re-check stored content. Keys come in the order
docs/content-packs.md shows them, so exported files read like hand-written ones.
"""

from collections.abc import Callable
from typing import Any

from ancrage.catalog.cards import DEFAULT_SECONDS, field_order, media_fields
from ancrage.catalog.content import ModuleContent, VersionContent

MediaName = Callable[[str], str]


def version_document(content: VersionContent, media_name: MediaName) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "title": content.title,
        "level": content.level,
        "promise_minutes": content.promise_minutes,
        "skills": list(content.skills),
    }
    if content.summary:
        doc["summary"] = content.summary
    if content.cover:
        doc["cover"] = media_name(content.cover)
    if content.cover_alt:
        doc["cover_alt"] = content.cover_alt
    doc["objectives"] = list(content.objectives)
    doc["key_behaviours"] = [
        {
            "code": kb.code,
            "statement": kb.statement,
            "anchors": dict(enumerate(kb.anchors, start=1)),
        }
        for kb in content.key_behaviours
    ]
    if content.follow_up:
        keys = ("title", "format", "duration_hours", "url")
        doc["follow_up"] = {k: content.follow_up[k] for k in keys if k in content.follow_up}
    return doc


def module_document(
    module: ModuleContent, media_name: MediaName, *, all_seconds: bool = False
) -> dict[str, Any]:
    """`all_seconds=False` leaves out est_seconds where it equals the type's default."""
    cards = []
    for card in module.cards:
        media = media_fields(card.type)
        doc: dict[str, Any] = {"type": card.type}
        for name in field_order(card.type):
            if name in card.payload:
                value = card.payload[name]
                doc[name] = media_name(value) if name in media else value
        if all_seconds or card.est_seconds != DEFAULT_SECONDS.get(card.type):
            doc["est_seconds"] = card.est_seconds
        cards.append(doc)
    return {"title": module.title, "est_minutes": module.est_minutes, "cards": cards}
