"""Key behaviours as an organisation sees them: the publisher's text, or the L&D lead's
adaptation of it (OrgKeyBehaviour), resolved by (path, code). Every page, form, export and
report that shows a behaviour goes through `shown_behaviours` / `shown_behaviour`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ancrage.catalog.models import KeyBehaviour, PathVersion, VersionStatus
from ancrage.transfer.models import OrgKeyBehaviour

BARS_LEVELS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class ShownBehaviour:
    id: Any  # the catalogue KeyBehaviour's id (what observations and ratings point to)
    path_id: Any
    code: str
    statement: str
    anchors: tuple[str, ...]  # anchors[0] describes level 1
    adapted: bool

    def anchor(self, level: int) -> str:
        return self.anchors[level - 1] if 1 <= level <= len(self.anchors) else ""

    @property
    def levels(self) -> list[tuple[int, str]]:
        return [(level, self.anchor(level)) for level in BARS_LEVELS]


def _anchor_texts(raw: Any) -> tuple[str, ...]:
    if isinstance(raw, dict):  # tolerate {"1": "...", ...}
        return tuple(str(raw.get(str(level), raw.get(level, ""))) for level in BARS_LEVELS)
    return tuple(str(text) for text in (raw or []))


def resolve(behaviours: Iterable[KeyBehaviour], organisation_id: Any) -> list[ShownBehaviour]:
    rows = list(behaviours)
    path_ids = {kb.version.path_id for kb in rows}
    adaptations = {
        (a.path_id, a.code): a
        for a in OrgKeyBehaviour.objects.filter(
            organisation_id=organisation_id, path_id__in=path_ids
        )
    }
    shown = []
    for kb in rows:
        adaptation = adaptations.get((kb.version.path_id, kb.code))
        statement = kb.statement
        anchors = _anchor_texts(kb.anchors)
        if adaptation is not None:
            statement = adaptation.statement or statement
            adapted_anchors = _anchor_texts(adaptation.anchors)
            if len(adapted_anchors) == len(BARS_LEVELS):
                anchors = tuple(
                    new or old for new, old in zip(adapted_anchors, anchors, strict=False)
                )
        shown.append(
            ShownBehaviour(
                id=kb.pk,
                path_id=kb.version.path_id,
                code=kb.code,
                statement=statement,
                anchors=anchors,
                adapted=adaptation is not None,
            )
        )
    return shown


def current_version(path_id: Any) -> PathVersion | None:
    """The published version of a path, or its latest retired one."""
    return (
        PathVersion.objects.filter(path_id=path_id, status=VersionStatus.PUBLISHED).first()
        or PathVersion.objects.filter(path_id=path_id, status=VersionStatus.RETIRED)
        .order_by("-number")
        .first()
    )


def shown_behaviours(
    organisation_id: Any, *, version: PathVersion | None = None, path_id: Any = None
) -> list[ShownBehaviour]:
    """The behaviours of a version (or of the path's current version), as the organisation
    words them, in order."""
    if version is None:
        version = current_version(path_id)
        if version is None:
            return []
    rows = KeyBehaviour.objects.filter(version=version).select_related("version").order_by("order")
    return resolve(rows, organisation_id)


def shown_behaviour(organisation_id: Any, key_behaviour: KeyBehaviour) -> ShownBehaviour:
    return resolve([key_behaviour], organisation_id)[0]


def shown_by_id(organisation_id: Any, ids: Iterable[Any]) -> dict[Any, ShownBehaviour]:
    rows = KeyBehaviour.objects.filter(pk__in=set(ids)).select_related("version")
    return {b.id: b for b in resolve(rows, organisation_id)}
