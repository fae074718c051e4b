"""Reads of habits, and the access_* helpers.

Rituals, recall items, reviews and streaks are the learner's own: every helper scopes to the
acting membership itself (not its organisation), so a manager, an L&D lead, an admin or
anyone from another organisation gets 404 for someone else's rows — the same answer as for
a row that does not exist. The recall-parameter status is organisation-wide and aggregate.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from ancrage.habits.models import (
    HabitProfile,
    HabitSettings,
    OptimisationOutcome,
    RecallItem,
    RecallOptimisation,
    ReviewLog,
    Ritual,
    RitualState,
)
from ancrage.habits.optimise import MIN_REVIEWS
from ancrage.tenancy.models import Membership

SESSION_SIZE = 5  # "2-minute recall": about 20 seconds per question


def _uuid_or_404(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def active_ritual_of(learner: Membership) -> Ritual | None:
    return (
        Ritual.objects.filter(learner=learner, state=RitualState.ACTIVE)
        .select_related("calendar_event")
        .first()
    )


def access_own_ritual(actor: Membership, ritual_id: Any) -> Ritual:
    try:
        return Ritual.objects.get(
            pk=_uuid_or_404(ritual_id), learner=actor, organisation_id=actor.organisation_id
        )
    except Ritual.DoesNotExist as exc:
        raise Http404 from exc


def profile_of(learner: Membership) -> HabitProfile:
    found = HabitProfile.objects.filter(membership=learner).first()
    return found or HabitProfile(membership=learner, organisation_id=learner.organisation_id)


def due_recall_items(learner: Membership, now: datetime) -> "QuerySet[RecallItem]":
    return (
        RecallItem.objects.filter(
            learner=learner,
            organisation_id=learner.organisation_id,
            suspended=False,
            due__lte=now,
        )
        .select_related("card", "path_version")
        .order_by("due", "card_key")
    )


def recall_items_of(learner: Membership) -> "QuerySet[RecallItem]":
    return RecallItem.objects.filter(learner=learner, organisation_id=learner.organisation_id)


def reviews_since(learner: Membership, since: datetime) -> "QuerySet[ReviewLog]":
    return ReviewLog.objects.filter(
        learner=learner, organisation_id=learner.organisation_id, reviewed_at__gte=since
    )


def access_own_recall_item(actor: Membership, item_id: Any) -> RecallItem:
    try:
        return RecallItem.objects.select_related("card", "path_version").get(
            pk=_uuid_or_404(item_id), learner=actor, organisation_id=actor.organisation_id
        )
    except RecallItem.DoesNotExist as exc:
        raise Http404 from exc


def access_own_review(actor: Membership, review_id: Any) -> ReviewLog:
    try:
        return ReviewLog.objects.select_related("item__card", "item__path_version").get(
            pk=_uuid_or_404(review_id), learner=actor, organisation_id=actor.organisation_id
        )
    except ReviewLog.DoesNotExist as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class RecallParametersStatus:
    """What the habit settings page says about the organisation's FSRS parameters."""

    reviews: int  # the organisation's reviews so far
    minimum: int  # reviews needed before the weekly optimisation tries
    in_use: RecallOptimisation | None  # the run whose parameters are in use; None: defaults
    last_run: RecallOptimisation | None


def recall_parameters_status(actor: Membership) -> RecallParametersStatus:
    """The actor's own organisation's figures (never another organisation's)."""
    organisation_id = actor.organisation_id
    runs = RecallOptimisation.objects.filter(organisation_id=organisation_id)
    optimised = bool(HabitSettings.for_organisation(organisation_id).recall_parameters)
    return RecallParametersStatus(
        reviews=ReviewLog.objects.filter(organisation_id=organisation_id).count(),
        minimum=MIN_REVIEWS,
        in_use=runs.filter(outcome=OptimisationOutcome.OPTIMISED).first() if optimised else None,
        last_run=runs.first(),
    )
