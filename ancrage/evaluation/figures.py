"""Computing a scope's figures from the source tables (statements, enrolments, surveys,
plans, check-ins, observations, conversations, indicators).

`refresh_rollups` runs this in a task and stores the result as `Figure` rows; the bench
runs it with `activity="raw"` to time the same figures straight from the statements.
Small groups are not hidden here: every value carries its population, and
`privacy.k_anonymous` hides it when shown.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, FloatField, Max, Q, QuerySet, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Least
from django.utils import timezone

from ancrage.evaluation.instruments import L3_SELF_REPORT, SUCCESS_CASE
from ancrage.evaluation.models import EnrolmentActivity, IndicatorValue, SurveyRequest
from ancrage.lrs.models import Statement
from ancrage.player.models import Enrolment, EnrolmentStatus, ModuleProgress, SurveyResponse
from ancrage.tenancy.models import Membership
from ancrage.transfer.intentions import missing_parts
from ancrage.transfer.models import (
    ActionCheckIn,
    ActionPlan,
    BehaviourSelfRating,
    CheckInState,
    ConversationKind,
    ManagerConversation,
    Moment,
    Observation,
    ObservationState,
    Outcome,
    PlanState,
)


@dataclass
class Value:
    value: float | None
    population: int
    series: list[list[Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Activity:
    statements: int
    last_stored: datetime | None
    score_sum: float
    score_count: int


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def statement_activity(
    organisation_id: Any, registrations: list[Any] | None
) -> dict[str, Activity]:
    """Statements aggregated per registration (= enrolment id), straight from the LRS table.
    A statement's moment is when it happened (`timestamp`: a card played offline last week
    counts last week), never after it was stored (a clock set in the future counts as now)."""
    qs = Statement.objects.filter(
        organisation_id=organisation_id, registration__isnull=False, voided=False
    )
    if registrations is not None:
        qs = qs.filter(registration__in=registrations)
    score = Cast(KT("payload__result__score__scaled"), FloatField())
    rows = qs.values("registration").annotate(
        n=Count("seq"),
        last=Max(Least("timestamp", "stored")),
        score_sum=Sum(score),
        score_n=Count(score),
    )
    return {
        str(r["registration"]): Activity(r["n"], r["last"], r["score_sum"] or 0.0, r["score_n"])
        for r in rows
    }


def rolled_up_activity(enrolment_ids: list[Any]) -> dict[str, Activity]:
    return {
        str(a.enrolment_id): Activity(a.statements, a.last_stored, a.score_sum, a.score_count)
        for a in EnrolmentActivity.objects.filter(enrolment_id__in=enrolment_ids)
    }


def finished_every_step(
    rows: list[tuple[Any, Any, Any, str]], steps: tuple[tuple[Any, str], ...]
) -> set[Any]:
    """People (of `rows`: enrolment, person, path, status) who did every step of a programme:
    a whole-path step is done when the path is completed, a one-module step also when that
    module is completed (or marked already mastered) in an enrolment on its path."""
    done_paths: dict[Any, set[Any]] = defaultdict(set)
    for _pk, person, path, status in rows:
        if status == EnrolmentStatus.COMPLETED:
            done_paths[person].add(path)
    done_modules: dict[Any, set[tuple[Any, str]]] = defaultdict(set)
    slugs = {slug for _path, slug in steps if slug}
    if slugs:
        owner = {pk: (person, path) for pk, person, path, _status in rows}
        for enrolment_id, slug in ModuleProgress.objects.filter(
            Q(completed_at__isnull=False) | Q(optional=True),
            enrolment_id__in=list(owner),
            module_slug__in=slugs,
        ).values_list("enrolment_id", "module_slug"):
            person, path = owner[enrolment_id]
            done_modules[person].add((path, slug))
    return {
        person
        for person in {r[1] for r in rows}
        if all(
            path in done_paths[person] or (slug and (path, slug) in done_modules[person])
            for path, slug in steps
        )
    }


def compute(
    organisation_id: Any,
    enrolments: "QuerySet[Enrolment]",
    *,
    now: datetime | None = None,
    activity: str = "rollup",
    team_ids: tuple[Any, ...] = (),
    steps: tuple[tuple[Any, str], ...] = (),
) -> dict[str, Value]:
    """The figures of these enrolments; with a programme's `steps`, "finished" means every
    step done (see `finished_every_step`), otherwise at least one path completed."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    rows = list(enrolments.values_list("pk", "membership_id", "path_id", "status"))
    enrolment_ids = [r[0] for r in rows]
    people = {r[1] for r in rows}
    paths = {r[2] for r in rows}
    pairs = {(r[1], r[2]) for r in rows}
    n = len(people)
    out: dict[str, Value] = {}

    # Reach and activity.
    out["enrolled"] = Value(float(n), n)
    completed = (
        finished_every_step(rows, steps)
        if steps
        else {r[1] for r in rows if r[3] == EnrolmentStatus.COMPLETED}
    )
    out["completion_rate"] = Value(_pct(len(completed), n), n)
    acts = (
        statement_activity(organisation_id, enrolment_ids)
        if activity == "raw"
        else rolled_up_activity(enrolment_ids)
    )
    by_person: dict[Any, list[Activity]] = defaultdict(list)
    for pk, person, _path, _status in rows:
        if str(pk) in acts:
            by_person[person].append(acts[str(pk)])
    since = now - timedelta(days=30)
    active = {
        p
        for p, items in by_person.items()
        if any(a.last_stored and a.last_stored >= since for a in items)
    }
    out["active_30d"] = Value(_pct(len(active), n), n)
    total = sum(a.statements for items in by_person.values() for a in items)
    out["statements_per_learner"] = Value(round(total / n, 1) if n else None, n)
    scored = {
        p: sum(a.score_sum for a in items) / sum(a.score_count for a in items)
        for p, items in by_person.items()
        if sum(a.score_count for a in items)
    }
    out["l2_score"] = Value(
        round(100 * sum(scored.values()) / len(scored), 1) if scored else None, len(scored)
    )

    # Reaction (the player's level-1 survey).
    responses = list(
        SurveyResponse.objects.filter(enrolment_id__in=enrolment_ids).values_list(
            "relevance", "intention"
        )
    )
    r = len(responses)
    out["l1_relevance"] = Value(
        _pct(sum(1 for rel, _i in responses if rel in ("this_week", "coming_weeks")), r), r
    )
    out["l1_planned"] = Value(_pct(sum(1 for _r, i in responses if i == "planned"), r), r)

    # Plans and check-ins (transfer).
    plans = [
        p
        for p in ActionPlan.objects.filter(organisation_id=organisation_id, learner_id__in=people)
        .exclude(state=PlanState.DROPPED)
        .values("pk", "learner_id", "path_id", "planned_on", "planned_at", "place", "task", "state")
        if p["path_id"] is None or p["path_id"] in paths
    ]
    planners = {p["learner_id"] for p in plans}
    complete = [
        p
        for p in plans
        if not missing_parts(
            planned_on=p["planned_on"], planned_at=p["planned_at"], place=p["place"], task=p["task"]
        )
    ]
    out["plans_complete"] = Value(_pct(len(complete), len(plans)), len(planners))
    out["habits"] = Value(
        float(len({p["learner_id"] for p in plans if p["state"] == PlanState.HABIT_FORMED})),
        len(planners),
    )
    check_ins = list(
        ActionCheckIn.objects.filter(
            plan_id__in=[p["pk"] for p in plans], offset_days__in=(1, 7, 30), due_on__lte=today
        )
        .exclude(state=CheckInState.CANCELLED)
        .values_list("plan__learner_id", "offset_days", "state", "outcome")
    )
    asked = {c[0] for c in check_ins}
    answered = [c for c in check_ins if c[2] == CheckInState.ANSWERED]
    out["checkin_response"] = Value(_pct(len(answered), len(check_ins)), len(asked))
    for offset in (7, 30):
        at = [c for c in answered if c[1] == offset]
        out[f"checkin_done_{offset}"] = Value(
            _pct(sum(1 for c in at if c[3] == Outcome.DONE), len(at)), len({c[0] for c in at})
        )

    # Follow-up surveys.
    l3 = list(
        SurveyRequest.objects.filter(
            enrolment_id__in=enrolment_ids, instrument=L3_SELF_REPORT, answered_at__isnull=False
        ).values_list("answers", flat=True)
    )
    out["l3_weekly"] = Value(
        _pct(sum(1 for a in l3 if a.get("frequency") in ("several_weekly", "weekly")), len(l3)),
        len(l3),
    )
    scm = list(
        SurveyRequest.objects.filter(
            enrolment_id__in=enrolment_ids, instrument=SUCCESS_CASE, answered_at__isnull=False
        ).values_list("answers", flat=True)
    )
    out["success_cases"] = Value(
        _pct(sum(1 for a in scm if a.get("impact") == "concrete_result"), len(scm)), len(scm)
    )

    # Observations (BARS) and the self vs manager gap.
    observations = list(
        Observation.objects.filter(
            organisation_id=organisation_id, learner_id__in=people, path_id__in=paths
        )
        .exclude(state=ObservationState.SCHEDULED)
        .values_list("learner_id", "key_behaviour_id", "moment", "bars_score", "observed_on")
    )
    for code, moments in (
        ("bars_before", (Moment.BEFORE,)),
        ("bars_after", (Moment.AFTER, Moment.FOLLOW_UP)),
    ):
        scores = [o[3] for o in observations if o[2] in moments and o[3] is not None]
        out[code] = Value(
            round(sum(scores) / len(scores), 2) if scores else None,
            len({o[0] for o in observations if o[2] in moments}),
        )
    latest_manager: dict[tuple[Any, Any], tuple[Any, Any]] = {}
    for learner, behaviour, _m, score, day in observations:
        key = (learner, behaviour)
        if key not in latest_manager or latest_manager[key][0] < day:
            latest_manager[key] = (day, score)
    latest_self: dict[tuple[Any, Any], tuple[Any, int]] = {}
    for learner, behaviour, score, day in BehaviourSelfRating.objects.filter(
        organisation_id=organisation_id, author_id__in=people, path_id__in=paths
    ).values_list("author_id", "key_behaviour_id", "score", "rated_on"):
        key = (learner, behaviour)
        if key not in latest_self or latest_self[key][0] < day:
            latest_self[key] = (day, score)
    gaps = [
        latest_self[k][1] - latest_manager[k][1] for k in latest_self.keys() & latest_manager.keys()
    ]
    out["self_manager_gap"] = Value(
        round(sum(gaps) / len(gaps), 2) if gaps else None,
        len({k[0] for k in latest_self.keys() & latest_manager.keys()}),
    )

    # Drivers: conversations before and after, observation coverage.
    talks: dict[Any, set[tuple[str, Any]]] = defaultdict(set)
    for learner, kind, path in ManagerConversation.objects.filter(
        organisation_id=organisation_id, learner_id__in=people
    ).values_list("learner_id", "kind", "path_id"):
        talks[learner].add((kind, path))
    both = sum(
        1
        for person, path in pairs
        if any(k == ConversationKind.PRE and p in (path, None) for k, p in talks[person])
        and any(k == ConversationKind.POST and p in (path, None) for k, p in talks[person])
    )
    out["conversations_pre_post"] = Value(_pct(both, len(pairs)), n)
    observed_after = {(o[0]) for o in observations if o[2] != Moment.BEFORE}
    out["observation_coverage"] = Value(_pct(len(people & observed_after), n), n)

    # Results: imported indicators of the scope's teams (mean per date).
    if team_ids:
        team_people = Membership.objects.filter(
            organisation_id=organisation_id, team_id__in=team_ids
        ).count()
        series: dict[tuple[Any, str], dict[str, list[float]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for ind_id, name, day, value in IndicatorValue.objects.filter(
            organisation_id=organisation_id, team_id__in=team_ids
        ).values_list("indicator_id", "indicator__name", "measured_on", "value"):
            series[(ind_id, name)][day.isoformat()].append(value)
        for (ind_id, name), points in series.items():
            ordered: list[list[Any]] = [
                [day, round(sum(vals) / len(vals), 2), team_people]
                for day, vals in sorted(points.items())
            ]
            out[f"indicator:{ind_id}"] = Value(
                ordered[-1][1], team_people, [[name, None, 0], *ordered]
            )
    return out
