"""Writes of transfer: plans and check-ins, observations and conversations, the journal,
and the L&D lead's adaptation of key behaviours.

Every function is keyword-only, runs in one transaction and checks who may do it: a
refusal raises `NotAllowed` (views answer 404) and bad input raises `TransferError`
(views turn it into a form error naming the field). Messages leave after commit through
`ancrage.transfer.outbound`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.catalog.models import KeyBehaviour, Path
from ancrage.tenancy.models import Membership, Role
from ancrage.transfer import outbound
from ancrage.transfer.behaviours import BARS_LEVELS
from ancrage.transfer.intentions import PARTS, check_in_dates, habit_reached, missing_parts
from ancrage.transfer.markers import GIBBS_TO_CNV, detect, detect_grid
from ancrage.transfer.models import (
    ActionCheckIn,
    ActionPlan,
    BehaviourSelfRating,
    CheckInState,
    JournalEntry,
    ManagerConversation,
    Moment,
    Observation,
    ObservationState,
    OrgKeyBehaviour,
    Outcome,
    PlanState,
    SelfAssessment,
)
from ancrage.transfer.models.plans import LOGGED_OFFSET, RENEWAL_CHECK_IN_OFFSET, plan_moment

MAX_PLAN_AHEAD_DAYS = 90


class TransferError(Exception):
    """Bad input: `errors` maps a field name ("" for the whole form) to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class NotAllowed(Exception):
    """The actor may not do this (views answer 404, the same as for an unknown id)."""


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


# --- Action plans -------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanInput:
    path: Path | None
    key_behaviour: KeyBehaviour | None
    practice: str
    planned_on: date | None
    planned_at: time | None
    place: str
    task: str
    anchor_habit: str = ""
    manager_visible: bool = False


def _check_plan(data: PlanInput, *, commit: bool, now: datetime) -> None:
    errors: dict[str, str] = {}
    if data.key_behaviour is not None and data.path is not None:
        if data.key_behaviour.version.path_id != data.path.pk:
            errors["key_behaviour"] = _("This behaviour belongs to another path.")
    if not data.practice.strip() and data.key_behaviour is None:
        errors["practice"] = _("Say which practice or key behaviour you will apply.")
    if data.planned_on is not None and data.planned_at is not None:
        moment = plan_moment(data.planned_on, data.planned_at)
        if moment <= now:
            errors["planned_on"] = _(
                "This moment has already passed: choose a day and time from now on."
            )
        elif (data.planned_on - timezone.localdate(now)).days > MAX_PLAN_AHEAD_DAYS:
            errors["planned_on"] = _(
                "Choose a day within the next %(days)s days: a plan works best soon after the path."
            ) % {"days": MAX_PLAN_AHEAD_DAYS}
    elif data.planned_on is not None and data.planned_on < timezone.localdate(now):
        errors["planned_on"] = _("This day has already passed: choose a day from today on.")
    if commit:
        for name in missing_parts(
            planned_on=data.planned_on,
            planned_at=data.planned_at,
            place=data.place,
            task=data.task,
        ):
            errors.setdefault(
                name, _("Your plan needs %(part)s before you commit to it.") % {"part": PARTS[name]}
            )
    if errors:
        raise TransferError(errors)


def _schedule_check_ins(plan: ActionPlan, occurrence_on: date, offsets: Sequence[int]) -> None:
    for offset, due_on in check_in_dates(occurrence_on, offsets):
        ActionCheckIn.objects.get_or_create(
            plan=plan,
            occurrence_on=occurrence_on,
            offset_days=offset,
            defaults={"organisation_id": plan.organisation_id, "due_on": due_on},
        )


def _cancel_pending(plan: ActionPlan) -> None:
    plan.check_ins.filter(state=CheckInState.PENDING).update(
        state=CheckInState.CANCELLED, updated_at=timezone.now()
    )


def _move(plan: ActionPlan, state: str) -> None:
    if not plan.can_move_to(state):
        raise TransferError(
            {
                "": _("A plan cannot go from “%(old)s” to “%(new)s”.")
                % {"old": PlanState(plan.state).label, "new": PlanState(state).label}
            }
        )
    plan.state = state


@transaction.atomic
def save_action_plan(
    *,
    learner: Membership,
    data: PlanInput,
    plan: ActionPlan | None = None,
    commit: bool = False,
    now: datetime | None = None,
) -> ActionPlan:
    """Save a draft, or commit it: all four parts, a moment ahead, check-ins scheduled at
    +1, +7 and +30 days and a calendar invitation sent. Editing a committed plan's moment
    reschedules its check-ins and sends the invitation again as an update."""
    now = _now(now)
    if plan is not None and (
        plan.learner_id != learner.pk or not (plan.is_open or plan.state == PlanState.DRAFT)
    ):
        raise NotAllowed
    if plan is not None and plan.state not in (PlanState.DRAFT, PlanState.COMMITTED):
        raise TransferError({"": _("This plan is under way: renew or drop it instead.")})
    committing = commit or (plan is not None and plan.state == PlanState.COMMITTED)
    _check_plan(data, commit=committing, now=now)
    if plan is None:
        plan = ActionPlan(organisation_id=learner.organisation_id, learner=learner)
    old_occurrence = plan.planned_on if plan.state == PlanState.COMMITTED else None
    for name in PlanInput.__dataclass_fields__:
        setattr(plan, name, getattr(data, name))
    plan.practice = plan.practice.strip()
    if committing:
        _move(plan, PlanState.COMMITTED)
        plan.committed_at = plan.committed_at or now
    plan.save()
    if committing:
        assert plan.planned_on is not None
        if old_occurrence is not None and old_occurrence != plan.planned_on:
            _cancel_pending(plan)
        _schedule_check_ins(plan, plan.planned_on, (1, 7, 30))
        transaction.on_commit(partial(_send_invitation, plan.pk, now))
    return plan


def _send_invitation(plan_id: Any, now: datetime) -> None:
    plan = ActionPlan.objects.select_related("learner__user", "organisation").get(pk=plan_id)
    with transaction.atomic():
        outbound.invite_to_plan(plan, now=now)


def _send_cancellation(plan_id: Any, now: datetime) -> None:
    plan = ActionPlan.objects.select_related("learner__user", "organisation").get(pk=plan_id)
    with transaction.atomic():
        outbound.cancel_plan_invitation(plan, now=now)


@transaction.atomic
def mark_plans_due(*, now: datetime | None = None) -> int:
    """Committed or renewed plans whose planned moment has passed become due."""
    now = _now(now)
    count = 0
    for plan in ActionPlan.objects.select_for_update().filter(
        state__in=(PlanState.COMMITTED, PlanState.RENEWED), planned_on__lte=timezone.localdate(now)
    ):
        moment = plan.moment()
        if moment is not None and moment <= now:
            plan.state = PlanState.DUE
            plan.save(update_fields=["state", "updated_at"])
            count += 1
    return count


@transaction.atomic
def send_check_in_reminders(*, now: datetime | None = None) -> list[ActionCheckIn]:
    """Ask every check-in whose day has come (once each): the +1/+7/+30 emails."""
    now = _now(now)
    mark_plans_due(now=now)
    due = list(
        ActionCheckIn.objects.select_for_update()
        .filter(
            state=CheckInState.PENDING,
            reminder_sent_at__isnull=True,
            due_on__lte=timezone.localdate(now),
        )
        .select_related("plan__learner__user", "plan__learner__organisation")
    )
    for check_in in due:
        check_in.reminder_sent_at = now
        check_in.save(update_fields=["reminder_sent_at", "updated_at"])
        outbound.remind_check_in(check_in)
    return due


def _after_answer(plan: ActionPlan, now: datetime) -> None:
    done_days = list(
        plan.check_ins.filter(state=CheckInState.ANSWERED, outcome=Outcome.DONE).values_list(
            "due_on", flat=True
        )
    )
    if habit_reached(done_days):
        _move(plan, PlanState.HABIT_FORMED)
        plan.closed_at = now
        plan.save(update_fields=["state", "closed_at", "updated_at"])
        _cancel_pending(plan)
        transaction.on_commit(partial(_send_cancellation, plan.pk, now))
    elif plan.state in (
        PlanState.DUE,
        PlanState.CHECKED_IN,
        PlanState.RENEWED,
        PlanState.COMMITTED,
    ):
        if plan.state == PlanState.COMMITTED:
            plan.state = PlanState.DUE  # answered early: the moment is behind the learner
        _move(plan, PlanState.CHECKED_IN)
        plan.save(update_fields=["state", "updated_at"])


@transaction.atomic
def answer_check_in(
    *,
    learner: Membership,
    check_in: ActionCheckIn,
    outcome: str,
    obstacle: str = "",
    adjustment: str = "",
    now: datetime | None = None,
) -> ActionCheckIn:
    now = _now(now)
    check_in = ActionCheckIn.objects.select_for_update().select_related("plan").get(pk=check_in.pk)
    plan = check_in.plan
    if plan.learner_id != learner.pk:
        raise NotAllowed
    if outcome not in Outcome.values:
        raise TransferError({"outcome": _("Say whether you did it, partly or not.")})
    if check_in.state != CheckInState.PENDING:
        raise TransferError({"": _("This check-in is closed.")})
    if check_in.due_on > timezone.localdate(now):
        raise TransferError({"": _("This check-in opens on %(day)s.") % {"day": check_in.due_on}})
    if outcome != Outcome.DONE and not obstacle.strip():
        raise TransferError({"obstacle": _("What got in the way? One sentence is enough.")})
    check_in.outcome = outcome
    check_in.obstacle = obstacle.strip()
    check_in.adjustment = adjustment.strip()
    check_in.state = CheckInState.ANSWERED
    check_in.answered_at = now
    check_in.save()
    _after_answer(plan, now)
    return check_in


@transaction.atomic
def log_practice(
    *, learner: Membership, plan: ActionPlan, on: date | None = None, now: datetime | None = None
) -> ActionCheckIn:
    """'I did it today': a done check-in the learner adds, counting towards the habit."""
    now = _now(now)
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.learner_id != learner.pk:
        raise NotAllowed
    if plan.state not in (PlanState.DUE, PlanState.CHECKED_IN, PlanState.RENEWED):
        raise TransferError({"": _("You can log a practice once the planned day has come.")})
    day = on or timezone.localdate(now)
    if day > timezone.localdate(now):
        raise TransferError({"": _("You cannot log a practice in the future.")})
    check_in = ActionCheckIn.objects.create(
        organisation_id=plan.organisation_id,
        plan=plan,
        occurrence_on=day,
        offset_days=LOGGED_OFFSET,
        due_on=day,
        state=CheckInState.ANSWERED,
        answered_at=now,
        outcome=Outcome.DONE,
    )
    _after_answer(plan, now)
    return check_in


@transaction.atomic
def renew_action_plan(
    *,
    learner: Membership,
    plan: ActionPlan,
    planned_on: date,
    planned_at: time,
    now: datetime | None = None,
) -> ActionPlan:
    """Plan the next occurrence: the invitation is updated and a check-in asked the day after."""
    now = _now(now)
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.learner_id != learner.pk:
        raise NotAllowed
    if plan_moment(planned_on, planned_at) <= now:
        raise TransferError(
            {"planned_on": _("This moment has already passed: choose a day and time from now on.")}
        )
    _move(plan, PlanState.RENEWED)
    plan.planned_on = planned_on
    plan.planned_at = planned_at
    plan.save(update_fields=["state", "planned_on", "planned_at", "updated_at"])
    _schedule_check_ins(plan, planned_on, (RENEWAL_CHECK_IN_OFFSET,))
    transaction.on_commit(partial(_send_invitation, plan.pk, now))
    return plan


@transaction.atomic
def drop_action_plan(
    *, learner: Membership, plan: ActionPlan, now: datetime | None = None
) -> ActionPlan:
    now = _now(now)
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.learner_id != learner.pk:
        raise NotAllowed
    was_committed = plan.state != PlanState.DRAFT
    _move(plan, PlanState.DROPPED)
    plan.closed_at = now
    plan.save(update_fields=["state", "closed_at", "updated_at"])
    _cancel_pending(plan)
    if was_committed:
        transaction.on_commit(partial(_send_cancellation, plan.pk, now))
    return plan


@transaction.atomic
def set_plan_visibility(*, learner: Membership, plan: ActionPlan, visible: bool) -> ActionPlan:
    if plan.learner_id != learner.pk:
        raise NotAllowed
    plan.manager_visible = visible
    plan.save(update_fields=["manager_visible", "updated_at"])
    return plan


# --- Observations and conversations -------------------------------------------------------


@dataclass(frozen=True)
class Rating:
    key_behaviour: KeyBehaviour
    score: int
    frequency: str
    example: str


def _require_manager_of(observer: Membership, learner: Membership) -> None:
    if (
        learner.manager_id != observer.pk
        or learner.organisation_id != observer.organisation_id
        or learner.pk == observer.pk
    ):
        raise NotAllowed


@transaction.atomic
def record_observations(
    *,
    observer: Membership,
    learner: Membership,
    path: Path,
    moment: str,
    context: str,
    observed_on: date,
    ratings: Sequence[Rating],
    now: datetime | None = None,
) -> list[Observation]:
    """Record the manager's BARS ratings of a report's key behaviours; the learner sees them
    at once (state shared_with_learner) and is told by email after commit."""
    now = _now(now)
    _require_manager_of(observer, learner)
    errors: dict[str, str] = {}
    if moment not in Moment.values:
        errors["moment"] = _("Say whether this is before or after the path, or a follow-up.")
    if observed_on > timezone.localdate(now):
        errors["observed_on"] = _(
            "An observation is about something already seen: not a future day."
        )
    if not ratings:
        errors[""] = _("Rate at least one key behaviour you have seen.")
    for rating in ratings:
        key = str(rating.key_behaviour.pk)
        if rating.key_behaviour.version.path_id != path.pk:
            errors[key] = _("This behaviour belongs to another path.")
        elif rating.score not in BARS_LEVELS:
            errors[key] = _("Choose a level from 1 to 5.")
        elif not rating.example.strip():
            errors[f"example-{key}"] = _(
                "Give one factual example: what would a camera have recorded?"
            )
    if errors:
        raise TransferError(errors)
    rows = []
    for rating in ratings:
        observation = (
            Observation.objects.select_for_update()
            .filter(
                learner=learner,
                key_behaviour=rating.key_behaviour,
                moment=moment,
                state=ObservationState.SCHEDULED,
            )
            .first()
        ) or Observation(
            organisation_id=learner.organisation_id,
            learner=learner,
            key_behaviour=rating.key_behaviour,
            moment=moment,
        )
        observation.observer = observer
        observation.path = path
        observation.bars_score = rating.score
        observation.frequency = rating.frequency
        observation.context = context.strip()
        observation.example = rating.example.strip()
        observation.observed_on = observed_on
        observation.state = ObservationState.SHARED
        observation.recorded_at = now
        observation.shared_at = now
        observation.save()
        rows.append(observation)
    first = rows[0]
    transaction.on_commit(partial(outbound.tell_learner_about_observation, first))
    return rows


@transaction.atomic
def schedule_observation(
    *,
    observer: Membership,
    learner: Membership,
    key_behaviour: KeyBehaviour,
    moment: str,
    scheduled_for: date,
) -> Observation:
    _require_manager_of(observer, learner)
    return Observation.objects.create(
        organisation_id=learner.organisation_id,
        observer=observer,
        learner=learner,
        path_id=key_behaviour.version.path_id,
        key_behaviour=key_behaviour,
        moment=moment,
        scheduled_for=scheduled_for,
    )


@transaction.atomic
def mark_observation_discussed(
    *, observer: Membership, observation: Observation, now: datetime | None = None
) -> Observation:
    now = _now(now)
    _require_manager_of(observer, observation.learner)
    if observation.state != ObservationState.SHARED:
        raise TransferError(
            {"": _("Only an observation shared with the learner can be discussed.")}
        )
    observation.state = ObservationState.DISCUSSED
    observation.discussed_at = now
    observation.save(update_fields=["state", "discussed_at", "updated_at"])
    return observation


@transaction.atomic
def record_conversation(
    *,
    manager: Membership,
    learner: Membership,
    kind: str,
    held_on: date,
    notes: str,
    path: Path | None = None,
    now: datetime | None = None,
) -> ManagerConversation:
    now = _now(now)
    _require_manager_of(manager, learner)
    if held_on > timezone.localdate(now):
        raise TransferError({"held_on": _("Record a conversation once it has taken place.")})
    return ManagerConversation.objects.create(
        organisation_id=learner.organisation_id,
        manager=manager,
        learner=learner,
        kind=kind,
        held_on=held_on,
        notes=notes.strip(),
        path=path,
    )


# --- Journal ------------------------------------------------------------------------------

GIBBS_FIELDS = ("description", "feelings", "evaluation", "analysis", "conclusion", "action_plan")


def journal_markers(values: dict[str, str]) -> list[dict[str, str]]:
    """Markers of each Gibbs stage that maps onto a CNV component, tagged with the stage."""
    found = []
    for stage, component in GIBBS_TO_CNV.items():
        for marker in detect(values.get(stage, ""), (component,)):
            found.append({"stage": stage, **marker.as_dict()})
    return found


@transaction.atomic
def save_journal_entry(
    *,
    author: Membership,
    title: str,
    occurred_on: date,
    situation: str,
    sections: dict[str, str],
    path: Path | None = None,
    entry: JournalEntry | None = None,
    now: datetime | None = None,
) -> JournalEntry:
    now = _now(now)
    if entry is not None and entry.author_id != author.pk:
        raise NotAllowed
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the entry a short title.")
    if occurred_on > timezone.localdate(now):
        errors["occurred_on"] = _("A journal entry is about something that has happened.")
    if errors:
        raise TransferError(errors)
    entry = entry or JournalEntry(organisation_id=author.organisation_id, author=author)
    entry.title = title.strip()
    entry.occurred_on = occurred_on
    entry.situation = situation
    entry.path = path
    for name in GIBBS_FIELDS:
        setattr(entry, name, sections.get(name, "").strip())
    entry.markers = journal_markers({name: getattr(entry, name) for name in GIBBS_FIELDS})
    entry.save()
    return entry


@transaction.atomic
def save_self_assessment(
    *,
    author: Membership,
    texts: dict[str, str],
    scores: dict[str, int],
    assessed_on: date,
    entry: JournalEntry | None = None,
) -> SelfAssessment:
    if entry is not None and entry.author_id != author.pk:
        raise NotAllowed
    errors = {
        f"{name}_score": _("Score from 0 to 2.")
        for name in ("observation", "feeling", "need", "request")
        if scores.get(name) not in (0, 1, 2)
    }
    if errors:
        raise TransferError(errors)
    clean = {
        name: texts.get(name, "").strip() for name in ("observation", "feeling", "need", "request")
    }
    return SelfAssessment.objects.create(
        organisation_id=author.organisation_id,
        author=author,
        entry=entry,
        assessed_on=assessed_on,
        observation_text=clean["observation"],
        feeling_text=clean["feeling"],
        need_text=clean["need"],
        request_text=clean["request"],
        observation_score=scores["observation"],
        feeling_score=scores["feeling"],
        need_score=scores["need"],
        request_score=scores["request"],
        markers=[m.as_dict() for m in detect_grid(clean)],
    )


@transaction.atomic
def rate_own_behaviour(
    *,
    author: Membership,
    key_behaviour: KeyBehaviour,
    score: int,
    rated_on: date,
    entry: JournalEntry | None = None,
) -> BehaviourSelfRating:
    if entry is not None and entry.author_id != author.pk:
        raise NotAllowed
    if score not in BARS_LEVELS:
        raise TransferError({"score": _("Choose a level from 1 to 5.")})
    return BehaviourSelfRating.objects.create(
        organisation_id=author.organisation_id,
        author=author,
        path_id=key_behaviour.version.path_id,
        key_behaviour=key_behaviour,
        score=score,
        rated_on=rated_on,
        entry=entry,
    )


# --- Key behaviour adaptation (L&D) -------------------------------------------------------


@transaction.atomic
def adapt_key_behaviour(
    *, actor: Membership, key_behaviour: KeyBehaviour, statement: str, anchors: Sequence[str]
) -> OrgKeyBehaviour:
    """The organisation's own wording of a behaviour; empty texts keep the publisher's."""
    if actor.role not in (Role.LD_LEAD, Role.ORG_ADMIN):
        raise NotAllowed
    anchors = [a.strip() for a in anchors]
    if len(anchors) != len(BARS_LEVELS):
        raise TransferError({"": _("A BARS scale has exactly five levels.")})
    adaptation, _created = OrgKeyBehaviour.objects.update_or_create(
        organisation_id=actor.organisation_id,
        path_id=key_behaviour.version.path_id,
        code=key_behaviour.code,
        defaults={
            "source": key_behaviour,
            "statement": statement.strip(),
            "anchors": anchors,
            "updated_by": actor.user,
        },
    )
    return adaptation


@transaction.atomic
def reset_key_behaviour(*, actor: Membership, key_behaviour: KeyBehaviour) -> None:
    if actor.role not in (Role.LD_LEAD, Role.ORG_ADMIN):
        raise NotAllowed
    OrgKeyBehaviour.objects.filter(
        organisation_id=actor.organisation_id,
        path_id=key_behaviour.version.path_id,
        code=key_behaviour.code,
    ).delete()
