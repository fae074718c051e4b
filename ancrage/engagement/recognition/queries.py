"""Reads of recognitions and rules, and their access_* helpers (404 outside one's scope).

Rules belong to the L&D leads and admins. A recognition is seen by its learner once
validated, by the learner's manager, and by the L&D leads and admins. Lists are ordered by
date or name, never by how much someone did: there is no ranking of people anywhere.
"""

import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from ancrage.engagement.models import Recognition, RecognitionRule, RecognitionStatus
from ancrage.tenancy.models import Membership, Role


def _uuid_or_404(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def rules_of(actor: Membership) -> "QuerySet[RecognitionRule]":
    if not actor.can_manage_people:
        return RecognitionRule.objects.none()
    return RecognitionRule.objects.filter(organisation_id=actor.organisation_id)


def access_rule(actor: Membership, rule_id: Any) -> RecognitionRule:
    try:
        return rules_of(actor).get(pk=_uuid_or_404(rule_id))
    except RecognitionRule.DoesNotExist as exc:
        raise Http404 from exc


def recognitions_visible_to(actor: Membership) -> "QuerySet[Recognition]":
    rows = Recognition.objects.filter(organisation_id=actor.organisation_id).select_related(
        "learner__user", "learner__team", "rule", "proposed_by__user", "decided_by__user"
    )
    own = Q(learner=actor, status=RecognitionStatus.VALIDATED)
    if actor.can_manage_people:
        return rows
    if actor.role == Role.MANAGER:
        return rows.filter(own | Q(learner__manager=actor))
    return rows.filter(own)


def access_recognition(actor: Membership, recognition_id: Any) -> Recognition:
    try:
        return recognitions_visible_to(actor).get(pk=_uuid_or_404(recognition_id))
    except Recognition.DoesNotExist as exc:
        raise Http404 from exc


def proposals_for(actor: Membership) -> "QuerySet[Recognition]":
    """What the actor may decide now (see recognition.actions.may_decide), oldest first."""
    rows = recognitions_visible_to(actor).filter(status=RecognitionStatus.PROPOSED)
    if actor.can_manage_people:
        return rows.order_by("created_at")
    if actor.role == Role.MANAGER:
        return rows.filter(learner__manager=actor).exclude(proposed_by=actor).order_by("created_at")
    return rows.none()


def waiting_for_ld(actor: Membership) -> "QuerySet[Recognition]":
    """A manager's own nominations, waiting for the L&D lead."""
    return recognitions_visible_to(actor).filter(
        status=RecognitionStatus.PROPOSED, proposed_by=actor
    )


def decided_by_scope(actor: Membership) -> "QuerySet[Recognition]":
    """Recently decided recognitions the actor oversees, newest first."""
    rows = recognitions_visible_to(actor).exclude(status=RecognitionStatus.PROPOSED)
    if not actor.can_manage_people:
        rows = rows.filter(learner__manager=actor)
    return rows.order_by("-decided_at")


def validated_of(learner: Membership) -> "QuerySet[Recognition]":
    return Recognition.objects.filter(
        organisation_id=learner.organisation_id,
        learner=learner,
        status=RecognitionStatus.VALIDATED,
    ).order_by("-decided_at")


def reports_of(manager: Membership) -> "QuerySet[Membership]":
    """Whom the actor may propose: a manager's reports; everyone for the L&D lead."""
    people = Membership.objects.filter(organisation_id=manager.organisation_id).exclude(
        status="deactivated"
    )
    if not manager.can_manage_people:
        people = people.filter(manager=manager)
    return people.exclude(pk=manager.pk).select_related("user").order_by("user__name")
