"""Reads of the catalogue, who may author and publish, and the authoring door.

The catalogue is publisher data, not tenant data: learners and clients reach versions
through their licences and enrolments (other apps), authors through
`access_version_for_author`, which answers 404 to anyone without a publisher role.
"""

import re
import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ancrage.accounts.models import PublisherRole, User
from ancrage.catalog.models import (
    OPEN_STATUSES,
    Card,
    KeyBehaviour,
    MediaAsset,
    Module,
    Path,
    PathVersion,
    VersionStatus,
)
from ancrage.catalog.schema import Issue, Loc

SHA256 = re.compile(r"[0-9a-f]{64}")


def can_author(user: User | None) -> bool:
    """Authors and editors write drafts and submit them for review."""
    return bool(user and user.is_active and (user.is_superuser or user.publisher_role))


def can_publish(user: User | None) -> bool:
    """Editors review, publish and retire versions."""
    return bool(
        user
        and user.is_active
        and (user.is_superuser or user.publisher_role == PublisherRole.EDITOR)
    )


def _uuid_or_404(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def access_version_for_author(actor: User, version_id: Any) -> PathVersion:
    """A version for the authoring UI; 404 for unknown ids and for non-publisher users."""
    if not can_author(actor):
        raise Http404
    try:
        return PathVersion.objects.select_related("path__theme").get(pk=_uuid_or_404(version_id))
    except PathVersion.DoesNotExist as exc:
        raise Http404 from exc


def latest_version(path: Path) -> PathVersion | None:
    return path.versions.order_by("-number").first()


def open_version(path: Path) -> PathVersion | None:
    """The path's draft or in-review version, if any (there is at most one)."""
    return path.versions.filter(status__in=OPEN_STATUSES).first()


def published_version(path: Path) -> PathVersion | None:
    return path.versions.filter(status=VersionStatus.PUBLISHED).first()


def published_versions() -> "QuerySet[PathVersion]":
    """What a catalogue page lists: the current published version of every path."""
    return (
        PathVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("path__theme", "cover")
        .order_by("path__theme__title", "title")
    )


def version_with_content(version_id: Any) -> PathVersion:
    """A version with its modules and cards prefetched in order, for rendering.

    Works for any status: a learner pinned to a retired version keeps seeing it.
    """
    return (
        PathVersion.objects.select_related("path__theme", "cover")
        .prefetch_related(Prefetch("modules", queryset=Module.objects.order_by("order")))
        .prefetch_related(Prefetch("modules__cards", queryset=Card.objects.order_by("order")))
        .prefetch_related(
            Prefetch("key_behaviours", queryset=KeyBehaviour.objects.order_by("order"))
        )
        .get(pk=version_id)
    )


def media_assets(shas: Iterable[str]) -> dict[str, MediaAsset]:
    return {a.sha256: a for a in MediaAsset.objects.filter(sha256__in=set(shas))}


class StoredMedia:
    """MediaResolver for stored content: a reference is the sha256 of an existing asset."""

    def __init__(self) -> None:
        self._kinds: dict[str, str | None] = {}

    def resolve_media(
        self, value: str, kinds: frozenset[str], loc: Loc, issues: list[Issue]
    ) -> str | None:
        if value not in self._kinds:
            self._kinds[value] = (
                MediaAsset.objects.filter(sha256=value).values_list("kind", flat=True).first()
                if SHA256.fullmatch(value)
                else None
            )
        kind = self._kinds[value]
        if kind is None:
            issues.append(Issue(loc, _("unknown media file; upload it first")))
            return None
        if kind not in kinds:
            issues.append(
                Issue(loc, _("this media file is of the wrong kind (%(kind)s)") % {"kind": kind})
            )
            return None
        return value
