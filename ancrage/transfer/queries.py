"""Reads of transfer data and its access_* helpers — the one door to these rows.

Rules (each tested with the tenancy fixture):

* Action plans: the learner; their manager only when the learner chose `manager_visible`.
* Observations and conversations: recorded only by the learner's own manager
  (Membership.manager); always visible to the learner (once recorded).
* Journal entries, self-assessments and behaviour self-ratings: their author, and nobody
  else — not the manager, not the L&D lead, not an admin, not publisher staff.
* Key behaviours to adapt: L&D leads and organisation admins, for the published paths their
  organisation's licences grant today (`licensed_paths`), nothing else.

Every helper answers Http404 for "does not exist" and "not yours" alike.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ancrage.catalog.browsing.scope import licensed_paths
from ancrage.catalog.models import KeyBehaviour, VersionStatus
from ancrage.player.models import Enrolment, EnrolmentStatus
from ancrage.tenancy.models import Membership, MembershipStatus
from ancrage.tenancy.queries import _uuid_or_404
from ancrage.transfer.models import (
    ActionCheckIn,
    ActionPlan,
    BehaviourSelfRating,
    CheckInState,
    ConversationKind,
    JournalEntry,
    ManagerConversation,
    Moment,
    Observation,
    ObservationState,
    Outcome,
    PlanState,
    SelfAssessment,
)
from ancrage.transfer.models.plans import OPEN_PLAN_STATES


def _get(qs: "QuerySet[Any]", object_id: Any) -> Any:
    try:
        return qs.get(pk=_uuid_or_404(object_id))
    except qs.model.DoesNotExist as exc:
        raise Http404 from exc


# --- Action plans -------------------------------------------------------------------------


def plans_of(learner: Membership) -> "QuerySet[ActionPlan]":
    return (
        ActionPlan.objects.filter(organisation_id=learner.organisation_id, learner=learner)
        .select_related("path", "key_behaviour__version")
        .prefetch_related(
            Prefetch("check_ins", queryset=ActionCheckIn.objects.order_by("due_on", "offset_days"))
        )
    )


def access_own_plan(actor: Membership, plan_id: Any) -> ActionPlan:
    """A plan of the actor's own; 404 for everyone else, managers included."""
    return _get(plans_of(actor), plan_id)  # type: ignore[no-any-return]


def access_own_check_in(actor: Membership, check_in_id: Any) -> ActionCheckIn:
    qs = ActionCheckIn.objects.filter(
        organisation_id=actor.organisation_id, plan__learner=actor
    ).select_related("plan")
    return _get(qs, check_in_id)  # type: ignore[no-any-return]


def plans_shared_with(manager: Membership) -> "QuerySet[ActionPlan]":
    """Plans of the manager's reports that their authors chose to show them."""
    return (
        ActionPlan.objects.filter(
            organisation_id=manager.organisation_id,
            learner__manager=manager,
            manager_visible=True,
        )
        .exclude(state=PlanState.DRAFT)
        .select_related("learner__user", "path", "key_behaviour__version")
        .prefetch_related("check_ins")
    )


def access_shared_plan(actor: Membership, plan_id: Any) -> ActionPlan:
    return _get(plans_shared_with(actor), plan_id)  # type: ignore[no-any-return]


def due_check_ins(learner: Membership, today: date) -> "QuerySet[ActionCheckIn]":
    return ActionCheckIn.objects.filter(
        organisation_id=learner.organisation_id,
        plan__learner=learner,
        state=CheckInState.PENDING,
        due_on__lte=today,
    ).select_related("plan")


# --- Key behaviours the organisation adapts (L&D) ------------------------------------------


def adaptable_behaviours(actor: Membership) -> "QuerySet[KeyBehaviour]":
    """Key behaviours of the published paths the actor's organisation is licensed for today,
    by path title then order; none unless the actor manages people."""
    if not actor.can_manage_people:
        return KeyBehaviour.objects.none()
    rows = KeyBehaviour.objects.filter(version__status=VersionStatus.PUBLISHED)
    return (
        licensed_paths(actor)
        .apply(rows, "version__path_id")
        .select_related("version__path")
        .order_by("version__title", "version_id", "order")
    )


def access_adaptable_behaviour(actor: Membership, behaviour_id: Any) -> KeyBehaviour:
    """A behaviour the actor may adapt; 404 for one of an unlicensed path, as for no such id."""
    return _get(adaptable_behaviours(actor), behaviour_id)  # type: ignore[no-any-return]


# --- Team, observations, conversations ----------------------------------------------------


def team_of(manager: Membership) -> "QuerySet[Membership]":
    """The manager's current direct reports (Membership.manager)."""
    return (
        Membership.objects.filter(organisation_id=manager.organisation_id, manager=manager)
        .exclude(status=MembershipStatus.DEACTIVATED)
        .select_related("user", "team")
        .order_by("user__name", "user__email")
    )


def access_report(actor: Membership, learner_id: Any) -> Membership:
    """One of the actor's own reports; 404 for anyone who is not their manager."""
    return _get(team_of(actor), learner_id)  # type: ignore[no-any-return]


def observations_about(learner: Membership) -> "QuerySet[Observation]":
    """What the learner sees about themselves: every observation once it is recorded."""
    return (
        Observation.objects.filter(organisation_id=learner.organisation_id, learner=learner)
        .exclude(state=ObservationState.SCHEDULED)
        .select_related("observer__user", "path", "key_behaviour__version")
    )


def observations_by(manager: Membership) -> "QuerySet[Observation]":
    return Observation.objects.filter(
        organisation_id=manager.organisation_id, observer=manager, learner__manager=manager
    ).select_related("learner__user", "path", "key_behaviour__version")


def access_observation_as_manager(actor: Membership, observation_id: Any) -> Observation:
    return _get(observations_by(actor), observation_id)  # type: ignore[no-any-return]


def conversations_about(learner: Membership) -> "QuerySet[ManagerConversation]":
    return ManagerConversation.objects.filter(
        organisation_id=learner.organisation_id, learner=learner
    ).select_related("manager__user", "path")


# --- Journal (author only) ----------------------------------------------------------------


def journal_of(author: Membership) -> "QuerySet[JournalEntry]":
    return JournalEntry.objects.filter(organisation_id=author.organisation_id, author=author)


def access_journal_entry(actor: Membership | None, entry_id: Any) -> JournalEntry:
    """The actor's own entry. Anyone else — whatever their role — gets a 404."""
    if actor is None:
        raise Http404
    return _get(journal_of(actor).prefetch_related("self_assessments"), entry_id)  # type: ignore[no-any-return]


def self_assessments_of(author: Membership) -> "QuerySet[SelfAssessment]":
    return SelfAssessment.objects.filter(organisation_id=author.organisation_id, author=author)


def access_self_assessment(actor: Membership | None, assessment_id: Any) -> SelfAssessment:
    if actor is None:
        raise Http404
    return _get(self_assessments_of(actor), assessment_id)  # type: ignore[no-any-return]


def self_ratings_of(author: Membership) -> "QuerySet[BehaviourSelfRating]":
    return BehaviourSelfRating.objects.filter(
        organisation_id=author.organisation_id, author=author
    ).select_related("key_behaviour__version", "path")


# --- The manager's team page --------------------------------------------------------------


@dataclass
class ReportRow:
    """One report on the manager's team page: progress, shared plans, what to discuss.

    Built only from enrolments, shared plans, observations and conversations — never from
    the journal."""

    person: Membership
    enrolments: list[Enrolment] = field(default_factory=list)
    shared_plans: list[ActionPlan] = field(default_factory=list)
    observations_before: int = 0
    observations_after: int = 0
    to_discuss: list[str] = field(default_factory=list)

    @property
    def completed(self) -> int:
        return sum(1 for e in self.enrolments if e.status == EnrolmentStatus.COMPLETED)


def team_overview(manager: Membership, today: date) -> list[ReportRow]:
    reports = list(team_of(manager))
    ids = [r.pk for r in reports]
    rows = {r.pk: ReportRow(person=r) for r in reports}
    for enrolment in (
        Enrolment.objects.filter(organisation_id=manager.organisation_id, membership_id__in=ids)
        .select_related("path", "path_version")
        .order_by("-last_activity_at")
    ):
        rows[enrolment.membership_id].enrolments.append(enrolment)
    for plan in plans_shared_with(manager).filter(learner_id__in=ids):
        rows[plan.learner_id].shared_plans.append(plan)
    observations = list(
        Observation.objects.filter(
            organisation_id=manager.organisation_id, learner_id__in=ids
        ).exclude(state=ObservationState.SCHEDULED)
    )
    conversations = list(
        ManagerConversation.objects.filter(
            organisation_id=manager.organisation_id, learner_id__in=ids
        )
    )
    for obs in observations:
        row = rows[obs.learner_id]
        if obs.moment == Moment.BEFORE:
            row.observations_before += 1
        else:
            row.observations_after += 1
    for row in rows.values():
        kinds = {(c.kind, c.path_id) for c in conversations if c.learner_id == row.person.pk}
        for enrolment in row.enrolments:
            title = enrolment.path_version.title
            if (
                enrolment.status == EnrolmentStatus.STARTED
                and (
                    ConversationKind.PRE,
                    enrolment.path_id,
                )
                not in kinds
            ):
                row.to_discuss.append(
                    _("Expectations for “%(path)s”: what should change in their work?")
                    % {"path": title}
                )
            if enrolment.status == EnrolmentStatus.COMPLETED:
                if (ConversationKind.POST, enrolment.path_id) not in kinds:
                    row.to_discuss.append(
                        _("“%(path)s” is finished: which practice will they try first?")
                        % {"path": title}
                    )
                after = [
                    o
                    for o in observations
                    if o.learner_id == row.person.pk
                    and o.path_id == enrolment.path_id
                    and o.moment != Moment.BEFORE
                ]
                if not after:
                    row.to_discuss.append(
                        _("Observe the key behaviours of “%(path)s” in the field.")
                        % {"path": title}
                    )
        for plan in row.shared_plans:
            last = [
                c
                for c in plan.check_ins.all()
                if c.state == CheckInState.ANSWERED and c.outcome != Outcome.DONE
            ]
            if plan.state in OPEN_PLAN_STATES and last and last[-1].obstacle:
                row.to_discuss.append(
                    _("An obstacle to their action plan: “%(obstacle)s”")
                    % {"obstacle": last[-1].obstacle}
                )
        undiscussed = [
            o
            for o in observations
            if o.learner_id == row.person.pk and o.state == ObservationState.SHARED
        ]
        if undiscussed:
            row.to_discuss.append(_("Talk through your latest observation with them."))
    return [rows[r.pk] for r in reports]
