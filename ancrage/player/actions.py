"""Writes of the player: starting a path, and recording what the learner does in it.

Starting a path: the one way into a path for every host (web player, LTI, Teams, exports).

`start_path` is idempotent: the first call checks the entitlement, takes the person's seat,
pins the path's current published version and creates the enrolment; later calls check the
entitlement again for the pinned version (a suspended or expired licence refuses, and
renewal lets the person back in with their progress intact), refresh `last_activity_at` and
return the same enrolment.

Recording progress: `record_events` (every tracking event of every host adapter),
`answer_card` (one answer, with the feedback to show), `complete_placement_check` and
`submit_survey`. Each writes progress and the xAPI statements in our LRS in one transaction,
so the LRS never misses a statement for recorded progress, and never holds one for progress
that was refused.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from ancrage.catalog.cards import score_quiz, score_scenario
from ancrage.catalog.models import CardType, Path, PathVersion, VersionStatus
from ancrage.licensing.actions import NoSeatLeft, record_seat_request, take_seat
from ancrage.licensing.entitlements import (
    Entitlement,
    EntitlementRefused,
    Refusal,
    check_entitlement,
)
from ancrage.licensing.queries import self_enrolment_allowed
from ancrage.lrs.actions import record_statements
from ancrage.player import survey, xapi
from ancrage.player.bundle import MASTERY, Bundle, BundleCard
from ancrage.player.events import BadEvent, EventConflict, IncomingEvent, PlayerError
from ancrage.player.models import (
    CardProgress,
    Enrolment,
    EnrolmentOrigin,
    EnrolmentStatus,
    EventKind,
    ModuleProgress,
    PlacementCheck,
    PlayerEvent,
    SurveyResponse,
)
from ancrage.tenancy.models import Membership


def start_path(
    *, membership: Membership, path: Path, origin: str, when: datetime | None = None
) -> Enrolment:
    """Start (or return to) `path` for `membership`; raises EntitlementRefused with the reason.

    When the refusal is `no_seat_left`, a seat request is recorded (and the L&D leads are
    emailed) before the refusal reaches the caller, so it is never silent.
    """
    try:
        return _start_path(membership=membership, path=path, origin=origin, when=when)
    except EntitlementRefused as refused:
        if refused.reason == Refusal.NO_SEAT_LEFT:
            record_seat_request(membership=membership, path=path, licence=refused.licence)
        raise


@transaction.atomic
def _start_path(
    *, membership: Membership, path: Path, origin: str, when: datetime | None
) -> Enrolment:
    now = when or timezone.now()
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("path_version")
        .filter(membership=membership, path=path)
        .first()
    )
    if enrolment is not None:
        version = enrolment.path_version
    else:
        published = PathVersion.objects.filter(path=path, status=VersionStatus.PUBLISHED).first()
        if published is None:
            retired = PathVersion.objects.filter(path=path, status=VersionStatus.RETIRED).exists()
            raise EntitlementRefused(
                Entitlement.refused(
                    Refusal.VERSION_RETIRED_FOR_NEW_STARTS
                    if retired
                    else Refusal.VERSION_NOT_PUBLISHED
                )
            )
        version = published

    entitlement = check_entitlement(membership=membership, path_version=version, when=now)
    if not entitlement.allowed:
        raise EntitlementRefused(entitlement)
    if (
        enrolment is None
        and origin == EnrolmentOrigin.SELF
        and not self_enrolment_allowed(membership.organisation_id)
    ):
        raise EntitlementRefused(Entitlement.refused(Refusal.SELF_ENROLMENT_CLOSED))
    if entitlement.needs_seat:
        assert entitlement.licence is not None
        try:
            take_seat(membership=membership, licence=entitlement.licence, when=now)
        except NoSeatLeft as full:
            # Someone took the last seat between the check and now.
            raise EntitlementRefused(
                Entitlement.refused(Refusal.NO_SEAT_LEFT, full.licence)
            ) from full

    if enrolment is not None:
        fields = ["last_activity_at", "updated_at"]
        enrolment.last_activity_at = now
        if enrolment.status == EnrolmentStatus.ABANDONED:
            enrolment.status = EnrolmentStatus.STARTED
            fields.append("status")
        enrolment.save(update_fields=fields)
        return enrolment
    try:
        with transaction.atomic():
            return Enrolment.objects.create(
                organisation_id=membership.organisation_id,
                membership=membership,
                path=path,
                path_version=version,
                origin=origin,
                status=EnrolmentStatus.STARTED,
                started_at=now,
                last_activity_at=now,
            )
    except IntegrityError:
        # The same person started the same path in another request a moment ago.
        return Enrolment.objects.get(membership=membership, path=path)


# --- Progress: events, answers, completion -----------------------------------------------


@dataclass
class EventsResult:
    """What a batch did: ids applied now, ids already applied before (retries), the outcome
    of each answer (feedback), and whether the path is now completed."""

    accepted: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    outcomes: dict[str, Any] = field(default_factory=dict)
    completed_modules: list[str] = field(default_factory=list)
    path_completed: bool = False


def _clamp(moment: datetime, enrolment: Enrolment, now: datetime) -> datetime:
    """The learner's clock, kept within [start of the enrolment − 1 day, now]."""
    earliest = enrolment.started_at - timedelta(days=1)
    return max(earliest, min(moment, now))


def _score(card: BundleCard, response: dict[str, Any]) -> tuple[float | None, dict[str, Any]]:
    """Score an answer on the server: (score 0..1 or None, outcome shown to the learner)."""
    if card.type == CardType.QUIZ:
        quiz = score_quiz(card.payload, response["choices"])
        outcome: dict[str, Any] = {
            "type": "quiz",
            "correct": quiz.correct,
            "score": quiz.score,
            "feedback": [
                {"choice": i, "text": card.payload["choices"][i]["feedback"]}
                for i in response["choices"]
            ],
        }
        if quiz.correct and card.payload.get("explanation"):
            outcome["explanation"] = card.payload["explanation"]
        return quiz.score, outcome
    if card.type == CardType.SCENARIO:
        scenario = score_scenario(card.payload, response["choice"])
        return scenario.score / 2, {
            "type": "scenario",
            "score": scenario.score,
            "best": scenario.best,
            "consequence": scenario.consequence,
        }
    return None, {"type": "text", "saved": True}


class _Batch:
    """One locked enrolment and the rows a batch reads and writes (see record_events)."""

    def __init__(self, enrolment: Enrolment, bundle: Bundle, now: datetime) -> None:
        self.enrolment = enrolment
        self.bundle = bundle
        self.now = now
        self.cards = {c.card_key: c for c in CardProgress.objects.filter(enrolment=enrolment)}
        self.modules = {
            m.module_slug: m for m in ModuleProgress.objects.filter(enrolment=enrolment)
        }
        self.dirty: set[str] = set()
        self.statements: list[dict[str, Any]] = []
        self.position_moved = False

    # xAPI helpers
    def _path(self) -> dict[str, Any]:
        return xapi.path_activity(self.bundle.code, self.bundle.title, self.bundle.language)

    def _module(self, slug: str) -> dict[str, Any]:
        module = self.bundle.module(slug)
        title = module.title if module else slug
        return xapi.module_activity(self.bundle.code, slug, title, self.bundle.language)

    def _card(self, card: BundleCard) -> dict[str, Any]:
        return xapi.card_activity(
            self.bundle.code,
            self.bundle.number,
            card.key,
            card.type,
            card.title,
            self.bundle.language,
        )

    def emit(
        self,
        statement_id: str,
        verb_name: str,
        obj: dict[str, Any],
        when: datetime,
        *,
        module: str = "",
        result: dict[str, Any] | None = None,
    ) -> None:
        path = self._path()
        self.statements.append(
            xapi.statement(
                statement_id=statement_id,
                membership_id=self.enrolment.membership_id,
                verb_name=verb_name,
                obj=obj,
                registration=self.enrolment.pk,
                when=when,
                language=self.bundle.language,
                grouping=[path] if obj["id"] != path["id"] else None,
                parent=[self._module(module)] if module else None,
                result=result,
            )
        )

    # progress helpers
    def seen(self, card: BundleCard, when: datetime) -> CardProgress:
        progress = self.cards.get(card.key)
        if progress is None:
            progress = CardProgress(
                organisation_id=self.enrolment.organisation_id,
                enrolment=self.enrolment,
                card_key=card.key,
                module_slug=card.module,
                first_seen_at=when,
                last_seen_at=when,
            )
            self.cards[card.key] = progress
        else:
            progress.first_seen_at = min(progress.first_seen_at, when)
            progress.last_seen_at = max(progress.last_seen_at, when)
        self.dirty.add(card.key)
        return progress

    def move_to(self, key: str, when: datetime) -> None:
        """Latest wins: the position follows the event with the latest learner time."""
        enrolment = self.enrolment
        if enrolment.position_at is None or when >= enrolment.position_at:
            enrolment.position = key
            enrolment.position_at = when
            self.position_moved = True

    def apply(self, event: IncomingEvent) -> dict[str, Any] | None:
        when = _clamp(event.at, self.enrolment, self.now)
        card = self.bundle.card(event.card) if event.card else None
        sid = str(event.id)
        if event.kind == EventKind.STARTED:
            verb_name = "resumed" if self.enrolment.position or self.cards else "initialized"
            self.emit(sid, verb_name, self._path(), when)
            return None
        if event.kind == EventKind.SUSPEND:
            self.enrolment.suspend_data = event.data
            if card is not None:
                self.move_to(card.key, when)
            self.emit(sid, "suspended", self._path(), when)
            return None
        assert card is not None
        progress = self.seen(card, when)
        self.move_to(card.key, when)
        if event.kind == EventKind.CARD_VIEWED:
            self.emit(sid, "experienced", self._card(card), when, module=card.module)
            return None
        score, outcome = _score(card, event.response)
        progress.attempts += 1
        progress.answer = event.response
        progress.answered_at = when
        if score is not None:
            progress.last_score = score
            if progress.first_score is None:
                progress.first_score = score
            progress.best_score = max(progress.best_score or 0.0, score)
        if card.type == CardType.QUIZ:
            result = xapi.score_result(score, success=bool(outcome["correct"]))
            result["response"] = "[,]".join(str(i) for i in event.response["choices"])
        elif card.type == CardType.SCENARIO:
            result = xapi.score_result(score, success=bool(outcome["best"]))
            result["response"] = str(event.response["choice"])
        else:
            result = xapi.score_result(None, completion=True)
        self.emit(sid, "answered", self._card(card), when, module=card.module, result=result)
        return outcome

    # completion
    def module_state(self, slug: str) -> tuple[bool, float | None]:
        """(complete, quiz score): every card seen, and the quizzes mastered."""
        module = self.bundle.module(slug)
        assert module is not None
        if any(key not in self.cards for key in module.keys):
            return False, None
        quizzes = [k for k in module.keys if self.bundle.cards[k].type == CardType.QUIZ]
        if not quizzes:
            return True, None
        score = sum(self.cards[k].best_score or 0.0 for k in quizzes) / len(quizzes)
        return score >= MASTERY - 1e-9, round(score, 4)

    def refresh_completion(self, result: EventsResult) -> None:
        enrolment = self.enrolment
        for module in self.bundle.modules:
            done = self.modules.get(module.slug)
            if done is not None and done.completed_at is not None:
                continue
            complete, score = self.module_state(module.slug)
            if not complete:
                continue
            if done is None:
                done = ModuleProgress(
                    organisation_id=enrolment.organisation_id,
                    enrolment=enrolment,
                    module_slug=module.slug,
                )
                self.modules[module.slug] = done
            done.completed_at = self.now
            done.score = score
            done.save()
            result.completed_modules.append(module.slug)
            self.emit(
                xapi.derived_id(enrolment.pk, f"module:{module.slug}:completed"),
                "completed",
                self._module(module.slug),
                self.now,
                result=xapi.score_result(
                    score, success=True if score is not None else None, completion=True
                ),
            )
        if enrolment.status == EnrolmentStatus.COMPLETED:
            return
        required = [
            m.slug
            for m in self.bundle.modules
            if not (self.modules.get(m.slug) and self.modules[m.slug].optional)
        ]
        if all(
            self.modules.get(slug) and self.modules[slug].completed_at is not None
            for slug in required
        ):
            enrolment.status = EnrolmentStatus.COMPLETED
            enrolment.completed_at = self.now
            result.path_completed = True
            scores = [self.modules[s].score for s in required if self.modules[s].score is not None]
            self.emit(
                xapi.derived_id(enrolment.pk, "path:completed"),
                "completed",
                self._path(),
                self.now,
                result=xapi.score_result(
                    sum(s for s in scores if s is not None) / len(scores) if scores else None,
                    completion=True,
                ),
            )

    def save(self) -> None:
        for key in self.dirty:
            self.cards[key].save()
        fields = ["last_activity_at", "updated_at", "suspend_data", "status", "completed_at"]
        if self.position_moved:
            fields += ["position", "position_at"]
        self.enrolment.last_activity_at = self.now
        self.enrolment.save(update_fields=fields)
        if self.statements:
            record_statements(
                organisation=self.enrolment.organisation,
                statements=self.statements,
                authority=xapi.authority(),
            )


def _locked_enrolment(enrolment: Enrolment) -> Enrolment:
    return (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=enrolment.pk)
    )


@transaction.atomic
def record_events(
    *,
    enrolment: Enrolment,
    events: list[IncomingEvent],
    bundle: Bundle,
    now: datetime | None = None,
) -> EventsResult:
    """Apply a batch of tracking events to the enrolment's progress, and store their xAPI
    statements in our LRS, in one transaction.

    * Idempotent: an event id seen before with the same content is skipped (reported in
      `duplicates`, its stored outcome returned); with other content, or belonging to
      another enrolment, the whole batch is refused (`EventConflict`) and nothing recorded.
    * Concurrent tabs: the enrolment row is locked for the batch, so two batches apply one
      after the other; progress is monotonic (a card seen stays seen, attempts add up, the
      best score only rises) and the resume position follows the latest learner time.
    * Completion is derived here, never taken from the client: a module completes when all
      its cards are seen and its quizzes mastered (mean best score ≥ MASTERY); the path when
      every module not made optional by the placement check is complete. Each completion
      statement has a derived id, so it exists once.
    """
    now = now or timezone.now()
    locked = _locked_enrolment(enrolment)
    result = EventsResult()
    known = {p.pk: p for p in PlayerEvent.objects.filter(pk__in=[e.id for e in events])}
    for event in events:
        previous = known.get(event.id)
        if previous is None:
            continue
        if previous.enrolment_id != locked.pk or previous.digest != event.digest:
            raise EventConflict(
                "event_conflict",
                gettext(
                    "Event %(id)s was already received with other content; nothing was recorded."
                )
                % {"id": event.id},
            )
        result.duplicates.append(str(event.id))
        if previous.outcome is not None:
            result.outcomes[str(event.id)] = previous.outcome
    batch = _Batch(locked, bundle, now)
    ledger = []
    for event in sorted((e for e in events if e.id not in known), key=lambda e: e.at):
        outcome = batch.apply(event)
        if outcome is not None:
            result.outcomes[str(event.id)] = outcome
        result.accepted.append(str(event.id))
        ledger.append(
            PlayerEvent(
                id=event.id,
                organisation_id=locked.organisation_id,
                enrolment=locked,
                kind=event.kind,
                card_key=event.card,
                digest=event.digest,
                occurred_at=_clamp(event.at, locked, now),
                received_at=now,
                outcome=outcome,
            )
        )
    if not ledger:
        return result
    try:
        with transaction.atomic():
            PlayerEvent.objects.bulk_create(ledger)
    except IntegrityError as exc:  # an id taken by another enrolment meanwhile
        raise EventConflict(
            "event_conflict", gettext("An event id is already used; nothing was recorded.")
        ) from exc
    batch.refresh_completion(result)
    batch.save()
    enrolment.status, enrolment.position = locked.status, locked.position
    return result


def answer_card(
    *, enrolment: Enrolment, event: IncomingEvent, bundle: Bundle, now: datetime | None = None
) -> dict[str, Any]:
    """Record one answer and return its outcome (the same outcome again on a retry)."""
    if event.kind != EventKind.ANSWERED:
        raise BadEvent("not_an_answer", gettext("Send an “answered” event."))
    result = record_events(enrolment=enrolment, events=[event], bundle=bundle, now=now)
    outcome: dict[str, Any] = dict(result.outcomes.get(str(event.id), {}))
    outcome["path_completed"] = result.path_completed or enrolment.status == (
        EnrolmentStatus.COMPLETED
    )
    outcome["completed_modules"] = result.completed_modules
    return outcome


@transaction.atomic
def complete_placement_check(
    *,
    enrolment: Enrolment,
    bundle: Bundle,
    answers: dict[str, list[int]] | None,
    now: datetime | None = None,
) -> PlacementCheck:
    """Score the short check (or record that it was skipped, `answers=None`); modules whose
    question was answered right become optional. Once per enrolment: later calls return the
    first result unchanged."""
    now = now or timezone.now()
    locked = _locked_enrolment(enrolment)
    existing = PlacementCheck.objects.filter(enrolment=locked).first()
    if existing is not None:
        return existing
    if not bundle.placement:
        raise BadEvent("no_check", gettext("This path has no placement check."))
    if answers is None:
        return PlacementCheck.objects.create(
            organisation_id=locked.organisation_id, enrolment=locked, skipped=True
        )
    if set(answers) != set(bundle.placement):
        raise BadEvent("incomplete_check", gettext("Answer every question of the check."))
    mastered: list[str] = []
    total = 0.0
    for key in bundle.placement:
        card = bundle.cards[key]
        outcome = score_quiz(card.payload, answers[key])
        total += outcome.score
        if outcome.correct:
            mastered.append(card.module)
    for slug in mastered:
        ModuleProgress.objects.update_or_create(
            enrolment=locked,
            module_slug=slug,
            defaults={"organisation_id": locked.organisation_id, "optional": True},
        )
    score = round(total / len(bundle.placement), 4)
    check = PlacementCheck.objects.create(
        organisation_id=locked.organisation_id,
        enrolment=locked,
        answers=answers,
        mastered=mastered,
        score=score,
    )
    record_statements(
        organisation=locked.organisation,
        statements=[
            xapi.statement(
                statement_id=xapi.derived_id(locked.pk, "placement:completed"),
                membership_id=locked.membership_id,
                verb_name="completed",
                obj=xapi.placement_activity(bundle.code, bundle.language),
                registration=locked.pk,
                when=now,
                language=bundle.language,
                grouping=[xapi.path_activity(bundle.code, bundle.title, bundle.language)],
                result=xapi.score_result(score, completion=True),
            )
        ],
        authority=xapi.authority(),
    )
    return check


class SurveyRefused(PlayerError):
    status = 409


@transaction.atomic
def submit_survey(
    *,
    enrolment: Enrolment,
    bundle: Bundle,
    relevance: str,
    intention: str,
    support: str,
    comment: str = "",
    now: datetime | None = None,
) -> SurveyResponse:
    """Record the reaction survey of a completed path (once) and its xAPI statement."""
    now = now or timezone.now()
    locked = _locked_enrolment(enrolment)
    if locked.status != EnrolmentStatus.COMPLETED:
        raise SurveyRefused(
            "path_not_completed", gettext("The survey opens once the path is completed.")
        )
    if SurveyResponse.objects.filter(enrolment=locked).exists():
        raise SurveyRefused("already_answered", gettext("You have already answered the survey."))
    answers = {"relevance": relevance, "intention": intention, "support": support}
    for item in survey.ITEMS:
        if answers[item.name] not in item.codes:
            raise BadEvent("invalid_answer", gettext("Choose one of the answers offered."))
    response = SurveyResponse.objects.create(
        organisation_id=locked.organisation_id,
        enrolment=locked,
        instrument=survey.INSTRUMENT,
        kirkpatrick_level=survey.KIRKPATRICK_LEVEL,
        ltem_tier=survey.LTEM_TIER,
        comment=comment.strip()[: survey.COMMENT_MAX],
        **answers,
    )
    record_statements(
        organisation=locked.organisation,
        statements=[
            xapi.statement(
                statement_id=xapi.derived_id(locked.pk, "survey:responded"),
                membership_id=locked.membership_id,
                verb_name="responded",
                obj=xapi.survey_activity(bundle.code, bundle.language),
                registration=locked.pk,
                when=now,
                language=bundle.language,
                grouping=[xapi.path_activity(bundle.code, bundle.title, bundle.language)],
                result={"response": ",".join(f"{k}={v}" for k, v in answers.items())},
            )
        ],
        authority=xapi.authority(),
    )
    return response
