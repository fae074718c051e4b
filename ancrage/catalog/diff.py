"""What changed between two versions of a path, as a structured list for authors.

`diff_versions(old, new)` returns `Change` rows in reading order: the version's own fields,
then key behaviours (matched by code), then modules (matched by slug — the stable part of
the pack file name) and, inside each module present in both, its cards.

Cards have no identity of their own across versions (a new version copies rows, a pack has
no card ids), so they are aligned like lines in a text diff: unchanged cards anchor the
alignment; a card replaced by one of the same type at the same place is "changed" with a
field-level before/after (`choices[1].feedback`); an identical card that left one place and
appears at another, even in another module, is "moved"; the rest are "added" or "removed".
A module that changed place among the modules is "moved".
"""

import json
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from django.utils.translation import gettext as _

from ancrage.catalog.content import CardContent, ModuleContent, VersionContent, content_of
from ancrage.catalog.models import PathVersion

VERSION_FIELDS = (
    "title",
    "summary",
    "level",
    "promise_minutes",
    "skills",
    "objectives",
    "cover",
    "cover_alt",
    "follow_up",
)


@dataclass(frozen=True)
class Change:
    action: str  # "added" | "removed" | "changed" | "moved"
    target: str  # "version" | "key_behaviour" | "module" | "card"
    where: str  # for people: "Module “Écouter” › card 3 (quiz)"
    field: str = ""  # inside the target: "title", "choices[1].feedback", "anchors.3"
    before: Any = None
    after: Any = None
    module: str = ""  # module slug, for cards and modules
    position_before: int | None = None  # 0-based card or module index
    position_after: int | None = None


def diff_versions(old: PathVersion, new: PathVersion) -> list[Change]:
    return diff_content(content_of(old), content_of(new))


def diff_content(old: VersionContent, new: VersionContent) -> list[Change]:
    changes: list[Change] = []
    for name in VERSION_FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            changes.append(Change("changed", "version", _("Path"), name, before, after))
    changes += _diff_key_behaviours(old, new)
    changes += _diff_modules(old.modules, new.modules)
    return changes


def _diff_key_behaviours(old: VersionContent, new: VersionContent) -> list[Change]:
    changes = []
    before = {kb.code: kb for kb in old.key_behaviours}
    after = {kb.code: kb for kb in new.key_behaviours}
    for code, kb in before.items():
        where = _("Key behaviour “%(code)s”") % {"code": code}
        if code not in after:
            changes.append(Change("removed", "key_behaviour", where, before=kb.statement))
            continue
        other = after[code]
        if kb.statement != other.statement:
            changes.append(
                Change(
                    "changed", "key_behaviour", where, "statement", kb.statement, other.statement
                )
            )
        for level, (a, b) in enumerate(zip(kb.anchors, other.anchors, strict=False), start=1):
            if a != b:
                changes.append(Change("changed", "key_behaviour", where, f"anchors.{level}", a, b))
    for code, kb in after.items():
        if code not in before:
            where = _("Key behaviour “%(code)s”") % {"code": code}
            changes.append(Change("added", "key_behaviour", where, after=kb.statement))
    return changes


def _module_where(module: ModuleContent) -> str:
    return _("Module “%(title)s”") % {"title": module.title}


def _card_where(module: ModuleContent, index: int, card: CardContent) -> str:
    return _("%(module)s › card %(n)d (%(type)s)") % {
        "module": _module_where(module),
        "n": index + 1,
        "type": card.type,
    }


def _diff_modules(old: list[ModuleContent], new: list[ModuleContent]) -> list[Change]:
    changes: list[Change] = []
    old_index = {m.slug: i for i, m in enumerate(old)}
    new_index = {m.slug: i for i, m in enumerate(new)}
    common_old = [m.slug for m in old if m.slug in new_index]
    common_new = [m.slug for m in new if m.slug in old_index]
    matcher = SequenceMatcher(a=common_old, b=common_new, autojunk=False)
    in_place = {
        slug
        for block in matcher.get_matching_blocks()
        for slug in common_old[block.a : block.a + block.size]
    }

    for i, module in enumerate(old):
        if module.slug not in new_index:
            changes.append(
                Change(
                    "removed",
                    "module",
                    _module_where(module),
                    before=module.title,
                    module=module.slug,
                    position_before=i,
                )
            )
    removed_cards: list[tuple[ModuleContent, int, CardContent]] = []
    added_cards: list[tuple[ModuleContent, int, CardContent]] = []
    for j, module in enumerate(new):
        if module.slug not in old_index:
            changes.append(
                Change(
                    "added",
                    "module",
                    _module_where(module),
                    after=module.title,
                    module=module.slug,
                    position_after=j,
                )
            )
            continue
        i = old_index[module.slug]
        previous = old[i]
        where = _module_where(module)
        if module.slug not in in_place:
            changes.append(
                Change(
                    "moved",
                    "module",
                    where,
                    module=module.slug,
                    position_before=i,
                    position_after=j,
                )
            )
        for name in ("title", "est_minutes"):
            if getattr(previous, name) != getattr(module, name):
                changes.append(
                    Change(
                        "changed",
                        "module",
                        where,
                        name,
                        getattr(previous, name),
                        getattr(module, name),
                        module=module.slug,
                    )
                )
        changes += _diff_cards(previous, module, removed_cards, added_cards)
    changes += _moves_and_leftovers(removed_cards, added_cards)
    return changes


def _key(card: CardContent) -> str:
    return json.dumps(
        [card.type, card.est_seconds, card.payload], sort_keys=True, ensure_ascii=False
    )


def _diff_cards(
    old: ModuleContent,
    new: ModuleContent,
    removed: list[tuple[ModuleContent, int, CardContent]],
    added: list[tuple[ModuleContent, int, CardContent]],
) -> list[Change]:
    changes: list[Change] = []
    matcher = SequenceMatcher(
        a=[_key(c) for c in old.cards], b=[_key(c) for c in new.cards], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(pairs):
            a, b = old.cards[i1 + k], new.cards[j1 + k]
            if a.type == b.type:
                changes += _card_field_changes(new, i1 + k, j1 + k, a, b)
            else:
                removed.append((old, i1 + k, a))
                added.append((new, j1 + k, b))
        removed.extend((old, i, old.cards[i]) for i in range(i1 + pairs, i2))
        added.extend((new, j, new.cards[j]) for j in range(j1 + pairs, j2))
    return changes


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list):
        out = {}
        for index, item in enumerate(value):
            out.update(_flatten(item, f"{prefix}[{index}]"))
        return out
    return {prefix: value}


def _card_field_changes(
    module: ModuleContent, i: int, j: int, a: CardContent, b: CardContent
) -> list[Change]:
    before = {"est_seconds": a.est_seconds, **_flatten(a.payload)}
    after = {"est_seconds": b.est_seconds, **_flatten(b.payload)}
    where = _card_where(module, j, b)
    fields = list(before) + [k for k in after if k not in before]
    return [
        Change(
            "changed",
            "card",
            where,
            name,
            before.get(name),
            after.get(name),
            module=module.slug,
            position_before=i,
            position_after=j,
        )
        for name in fields
        if before.get(name) != after.get(name)
    ]


def _moves_and_leftovers(
    removed: list[tuple[ModuleContent, int, CardContent]],
    added: list[tuple[ModuleContent, int, CardContent]],
) -> list[Change]:
    changes: list[Change] = []
    unmatched_added = list(added)
    for old_module, i, card in removed:
        match = next((item for item in unmatched_added if _key(item[2]) == _key(card)), None)
        if match is None:
            changes.append(
                Change(
                    "removed",
                    "card",
                    _card_where(old_module, i, card),
                    before=card.payload,
                    module=old_module.slug,
                    position_before=i,
                )
            )
            continue
        unmatched_added.remove(match)
        new_module, j, _card = match
        changes.append(
            Change(
                "moved",
                "card",
                _card_where(new_module, j, card),
                before=old_module.slug,
                after=new_module.slug,
                module=new_module.slug,
                position_before=i,
                position_after=j,
            )
        )
    for new_module, j, card in unmatched_added:
        changes.append(
            Change(
                "added",
                "card",
                _card_where(new_module, j, card),
                after=card.payload,
                module=new_module.slug,
                position_after=j,
            )
        )
    return changes
