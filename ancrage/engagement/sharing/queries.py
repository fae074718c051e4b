"""Reads of shared takeaways, and `access_takeaway`: the one door to a takeaway.

Who sees a takeaway: its author, the members of the team it was shared with, the L&D leads
and admins of the organisation — and, once an L&D lead featured it, everyone in the
organisation. Anything else (another team's takeaway, another organisation's) answers 404.
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from ancrage.catalog.models import Card, Path, PathVersion, VersionStatus
from ancrage.engagement.models import (
    REACTION_EMOJI,
    ReactionKind,
    SharedTakeaway,
    TakeawayReaction,
)
from ancrage.player.bundle import card_title
from ancrage.tenancy.models import Membership, Organisation


def _uuid_or_404(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def takeaways_visible_to(actor: Membership) -> "QuerySet[SharedTakeaway]":
    rows = SharedTakeaway.objects.filter(organisation_id=actor.organisation_id).select_related(
        "author__user", "team", "path", "card"
    )
    if actor.can_manage_people:
        return rows
    mine = Q(author=actor) | Q(featured_at__isnull=False)
    if actor.team_id is not None:
        mine |= Q(team_id=actor.team_id)
    return rows.filter(mine)


def team_feed(actor: Membership) -> "QuerySet[SharedTakeaway]":
    """The actor's team's takeaways, newest first (L&D leads and admins: the organisation's)."""
    rows = takeaways_visible_to(actor)
    if actor.can_manage_people:
        return rows.order_by("-created_at")
    mine = Q(author=actor)
    if actor.team_id is not None:
        mine |= Q(team_id=actor.team_id)
    return rows.filter(mine).order_by("-created_at")


def featured_takeaways(organisation: Organisation | Any) -> "QuerySet[SharedTakeaway]":
    return (
        SharedTakeaway.objects.filter(organisation=organisation, featured_at__isnull=False)
        .select_related("author__user", "team", "path")
        .order_by("-featured_at")
    )


def access_takeaway(actor: Membership, takeaway_id: Any) -> SharedTakeaway:
    try:
        return takeaways_visible_to(actor).get(pk=_uuid_or_404(takeaway_id))
    except SharedTakeaway.DoesNotExist as exc:
        raise Http404 from exc


def may_react(actor: Membership, takeaway: SharedTakeaway) -> bool:
    """Colleagues of the takeaway's team react; not its author, not people outside the team."""
    return (
        takeaway.team_id is not None
        and actor.team_id == takeaway.team_id
        and actor.pk != takeaway.author_id
        and actor.organisation_id == takeaway.organisation_id
    )


@dataclass
class ReactionView:
    kind: str
    emoji: str
    label: str
    count: int
    mine: bool


@dataclass
class Reactions:
    by_takeaway: dict[uuid.UUID, list[ReactionView]] = field(default_factory=dict)

    def of(self, takeaway_id: uuid.UUID) -> list[ReactionView]:
        return self.by_takeaway.get(takeaway_id, [])


def reactions_for(takeaways: Iterable[SharedTakeaway], actor: Membership) -> Reactions:
    """Per takeaway: how many of each kind, and which ones the actor gave (the toggles)."""
    ids = [t.pk for t in takeaways]
    counts: dict[uuid.UUID, dict[str, int]] = defaultdict(dict)
    for row in (
        TakeawayReaction.objects.filter(takeaway_id__in=ids)
        .values("takeaway_id", "kind")
        .annotate(n=Count("pk"))
    ):
        counts[row["takeaway_id"]][row["kind"]] = row["n"]
    mine: set[tuple[uuid.UUID, str]] = set(
        TakeawayReaction.objects.filter(takeaway_id__in=ids, member=actor).values_list(
            "takeaway_id", "kind"
        )
    )
    result = Reactions()
    for pk in ids:
        result.by_takeaway[pk] = [
            ReactionView(
                kind=kind.value,
                emoji=REACTION_EMOJI[kind],
                label=str(kind.label),
                count=counts[pk].get(kind.value, 0),
                mine=(pk, kind.value) in mine,
            )
            for kind in ReactionKind
        ]
    return result


@dataclass(frozen=True)
class CardRef:
    path: Path
    card: Card | None
    key: str
    path_title: str
    card_title: str


def card_reference(path_code: str, card_key: str) -> CardRef | None:
    """The published card a learner shares from (`<module slug>.<n>` as in the player)."""
    path = Path.objects.filter(code=path_code[:60]).first() if path_code else None
    if path is None:
        return None
    version = PathVersion.objects.filter(path=path, status=VersionStatus.PUBLISHED).first()
    path_title = version.title if version else path.code
    card = None
    slug, _, number = card_key.rpartition(".")
    if version is not None and slug and number.isdigit() and len(card_key) <= 200:
        card = Card.objects.filter(
            module__version=version, module__slug=slug, order=int(number) - 1
        ).first()
    return CardRef(
        path=path,
        card=card,
        key=card_key if card is not None else "",
        path_title=path_title,
        card_title=card_title(card.type, card.payload) if card is not None else "",
    )


def path_title(path: Path) -> str:
    """The published title of a path (its code when nothing is published)."""
    title = (
        PathVersion.objects.filter(path=path, status=VersionStatus.PUBLISHED)
        .values_list("title", flat=True)
        .first()
    )
    return title or path.code
