"""Reads for the catalogue pages, always through the person's scope (their licence, or the
whole catalogue for publisher staff): a path or memo sheet outside it answers 404, exactly
like one that does not exist."""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest

from ancrage.accounts.models import User
from ancrage.catalog.browsing.filters import CatalogueFilters, filter_versions
from ancrage.catalog.browsing.scope import CatalogueScope, licensed_paths
from ancrage.catalog.cards import media_fields
from ancrage.catalog.models import Card, CardType, MediaAsset, PathVersion, Theme, VersionStatus
from ancrage.catalog.queries import can_author
from ancrage.tenancy.models import Membership


@dataclass(frozen=True)
class Reader:
    """Who is browsing: a member (scoped by their licence) or publisher staff (everything)."""

    scope: CatalogueScope
    membership: Membership | None

    @property
    def is_publisher(self) -> bool:
        return self.membership is None


def reader_of(request: HttpRequest) -> Reader | None:
    user = request.user
    if isinstance(user, User) and can_author(user):
        return Reader(scope=CatalogueScope.everything(), membership=None)
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None:
        return None
    return Reader(scope=licensed_paths(membership), membership=membership)


def _uuid_or_404(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def visible_versions(scope: CatalogueScope) -> "QuerySet[PathVersion]":
    """The published version of every path in scope."""
    return scope.apply(PathVersion.objects.published()).select_related("path__theme", "cover")


def catalogue_versions(
    scope: CatalogueScope, filters: CatalogueFilters | None
) -> "QuerySet[PathVersion]":
    return filter_versions(visible_versions(scope), filters).order_by("path__theme__title", "title")


def themes_in(scope: CatalogueScope) -> "QuerySet[Theme]":
    """Themes with at least one path in scope, and how many."""
    published = Q(paths__versions__status=VersionStatus.PUBLISHED)
    if not scope.whole_catalogue:
        if not scope.path_ids:
            return Theme.objects.none()
        published &= Q(paths__in=scope.path_ids)
    return (
        Theme.objects.annotate(path_count=Count("paths", filter=published, distinct=True))
        .filter(path_count__gt=0)
        .order_by("title")
    )


def access_published_path(scope: CatalogueScope, code: str) -> PathVersion:
    """The published version of the path with this code, if the scope covers it; else 404."""
    version = visible_versions(scope).filter(path__code=code).first()
    if version is None:
        raise Http404
    return version


def access_memo_sheet(scope: CatalogueScope, card_id: Any) -> Card:
    """A memo sheet of a published version in scope; 404 for anything else."""
    card = (
        Card.objects.select_related("module__version__path__theme")
        .filter(
            pk=_uuid_or_404(card_id),
            type=CardType.MEMO_SHEET,
            module__version__status=VersionStatus.PUBLISHED,
        )
        .first()
    )
    if card is None or not scope.covers(card.module.version.path_id):
        raise Http404
    return card


def memo_sheets_of(version: PathVersion) -> "QuerySet[Card]":
    return (
        Card.objects.filter(module__version=version, type=CardType.MEMO_SHEET)
        .select_related("module")
        .order_by("module__order", "order")
    )


def access_media(reader: Reader, name: str) -> MediaAsset:
    """The media file `<sha256>.<extension>` if the reader may see it, else 404.

    Publisher staff see every stored file (the studio shows drafts). A member sees a file only
    when a published version in their scope uses it: as its cover, or in one of its cards.
    """
    sha, _dot, extension = name.partition(".")
    asset = MediaAsset.objects.filter(sha256=sha, extension=extension).first()
    if asset is None:
        raise Http404
    if reader.is_publisher:
        return asset
    versions = visible_versions(reader.scope)
    if versions.filter(cover=asset).exists():
        return asset
    typed = [t for t in CardType.values if media_fields(t)]
    cards = Card.objects.filter(module__version__in=versions, type__in=typed)
    for card_type, payload in cards.values_list("type", "payload").iterator():
        if any(payload.get(field) == sha for field in media_fields(card_type)):
            return asset
    raise Http404
