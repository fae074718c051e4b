"""Reads for the studio and its doors: every module, card and key behaviour an author opens
is fetched here, and anyone without a publisher role gets 404 (the catalogue is publisher
data; there is no organisation to scope by)."""

import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404

from ancrage.accounts.models import User
from ancrage.catalog.models import (
    Card,
    KeyBehaviour,
    MediaAsset,
    Module,
    Path,
    PathVersion,
    VersionStatus,
)
from ancrage.catalog.queries import can_author


def _uuid_or_404(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def _require_author(actor: User) -> None:
    if not can_author(actor):
        raise Http404


def _one_for_author[M: Model](actor: User, rows: "QuerySet[M]", pk: Any) -> M:
    """The row with this id, for publisher staff only; 404 for anyone else or a bad id."""
    _require_author(actor)
    found = rows.filter(pk=_uuid_or_404(pk)).first()
    if found is None:
        raise Http404
    return found


def access_path_for_author(actor: User, path_id: Any) -> Path:
    return _one_for_author(actor, Path.objects.select_related("theme"), path_id)


def access_module_for_author(actor: User, module_id: Any) -> Module:
    return _one_for_author(actor, Module.objects.select_related("version__path"), module_id)


def access_card_for_author(actor: User, card_id: Any) -> Card:
    return _one_for_author(actor, Card.objects.select_related("module__version__path"), card_id)


def access_key_behaviour_for_author(actor: User, key_behaviour_id: Any) -> KeyBehaviour:
    rows = KeyBehaviour.objects.select_related("version__path")
    return _one_for_author(actor, rows, key_behaviour_id)


@dataclass(frozen=True)
class StudioRow:
    path: Path
    latest: PathVersion
    published: PathVersion | None


def studio_rows() -> list[StudioRow]:
    """Every path with its latest version and its published one (two queries)."""
    versions = PathVersion.objects.select_related("path__theme").order_by("path__code", "-number")
    latest: dict[uuid.UUID, PathVersion] = {}
    published: dict[uuid.UUID, PathVersion] = {}
    for version in versions:
        latest.setdefault(version.path_id, version)
        if version.status == VersionStatus.PUBLISHED:
            published[version.path_id] = version
    return [
        StudioRow(path=v.path, latest=v, published=published.get(path_id))
        for path_id, v in latest.items()
    ]


def studio_counts() -> dict[str, int]:
    """How many versions are drafts, in review and published (for the publisher home)."""
    counts = Counter(PathVersion.objects.values_list("status", flat=True))
    return {
        "draft": counts[VersionStatus.DRAFT],
        "in_review": counts[VersionStatus.IN_REVIEW],
        "published": counts[VersionStatus.PUBLISHED],
    }


def media_of_kinds(kinds: frozenset[str], limit: int = 200) -> "QuerySet[MediaAsset]":
    """Stored media an author may pick for a field, newest first."""
    return MediaAsset.objects.filter(kind__in=kinds).order_by("-created_at")[:limit]


def versions_of(path: Path) -> "QuerySet[PathVersion]":
    return path.versions.order_by("-number")
