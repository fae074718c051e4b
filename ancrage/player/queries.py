"""Reads of the player, and its doors: a learner reaches only their own enrolments.

`access_enrolment(actor, code)` answers 404 for a path the person never started (or an
unknown code) — enrolments are personal, so nobody else's can be named. Whether the person
may *open* it now is the entitlement's answer (`entitled`), asked on every request.

`card_context` is the hot path of the card endpoint: one SQL query for the enrolment, its
pinned version and the learner's progress on the card, then the cached bundle.
"""

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user,
    get_user_model,
)
from django.db import connection
from django.http import Http404, HttpRequest
from django.utils.crypto import constant_time_compare

from ancrage.catalog.models import CardType, Path, PathVersion, VersionStatus
from ancrage.licensing.entitlements import Entitlement, check_entitlement
from ancrage.player.bundle import Bundle, bundle_for
from ancrage.player.models import (
    CardProgress,
    Enrolment,
    EnrolmentStatus,
    ModuleProgress,
    PlacementCheck,
    SurveyResponse,
)
from ancrage.tenancy.models import Membership


def access_enrolment(actor: Membership, code: str) -> Enrolment:
    """The actor's own enrolment on path `code`; 404 otherwise."""
    enrolment = (
        Enrolment.objects.select_related("path", "path_version", "organisation")
        .filter(membership=actor, organisation_id=actor.organisation_id, path__code=code)
        .first()
    )
    if enrolment is None:
        raise Http404
    return enrolment


def path_by_code(code: str) -> Path:
    path = Path.objects.filter(code=code).first()
    if path is None:
        raise Http404
    return path


# Recent "yes" answers of the entitlement, per process: {(membership, version): expiry}.
_PASSES: dict[tuple[str, str], float] = {}
_PASSES_LOCK = threading.Lock()
_PASSES_MAX = 50_000


def _ttl() -> int:
    return int(getattr(settings, "PLAYER_ENTITLEMENT_SECONDS", 15))


def _remember(membership_id: Any, version_id: Any, allowed: bool) -> None:
    key = (str(membership_id), str(version_id))
    with _PASSES_LOCK:
        if not allowed or _ttl() <= 0:
            _PASSES.pop(key, None)
            return
        if len(_PASSES) >= _PASSES_MAX:
            _PASSES.clear()
        _PASSES[key] = time.monotonic() + _ttl()


def _remembered(membership_id: Any, version_id: Any) -> bool:
    expiry = _PASSES.get((str(membership_id), str(version_id)))
    return expiry is not None and expiry > time.monotonic() and _ttl() > 0


def entitled(membership: Membership, enrolment: Enrolment, *, fresh: bool = False) -> Entitlement:
    """`check_entitlement` for the enrolment's pinned version.

    A yes is remembered in this process for PLAYER_ENTITLEMENT_SECONDS (default 15) so that
    the card endpoint, hit on every card, does not re-run the licence queries each time; a
    no is never remembered and clears the memory. `fresh=True` (the player page, every
    write) always asks again. So a suspended licence stops writes at once, and card reads
    within that many seconds.
    """
    if not fresh and _remembered(membership.pk, enrolment.path_version_id):
        return Entitlement(allowed=True, continuing=True)
    answer = check_entitlement(membership=membership, path_version=enrolment.path_version)
    _remember(membership.pk, enrolment.path_version_id, answer.allowed)
    return answer


def entitled_by_ids(context: "CardContext") -> bool:
    """Whether a recent yes of the entitlement is remembered (no query)."""
    return _remembered(context.membership_id, context.version_id)


def published_version(path: Path) -> PathVersion | None:
    return PathVersion.objects.filter(path=path, status=VersionStatus.PUBLISHED).first()


# --- The card endpoint's hot path ---------------------------------------------------------


@dataclass(frozen=True)
class CardContext:
    enrolment_id: uuid.UUID
    membership_id: uuid.UUID
    organisation_id: uuid.UUID
    version_id: uuid.UUID
    content_hash: str
    progress: dict[str, Any] | None


# The user (for the session check), their non-deactivated membership, their enrolment on the
# path, its pinned version and their progress on one card: all the card endpoint needs.
_CARD_SQL = """
SELECT e.id, e.membership_id, e.organisation_id, e.path_version_id, v.content_hash,
       u.password, u.is_active,
       cp.first_seen_at, cp.attempts, cp.best_score, cp.last_score, cp.answer
FROM accounts_user u
JOIN tenancy_membership m ON m.user_id = u.id AND m.status <> 'deactivated'
JOIN player_enrolment e ON e.membership_id = m.id AND e.organisation_id = m.organisation_id
JOIN catalog_path p ON p.id = e.path_id
JOIN catalog_pathversion v ON v.id = e.path_version_id
LEFT JOIN player_cardprogress cp ON cp.enrolment_id = e.id AND cp.card_key = %s
WHERE u.id = %s AND p.code = %s
"""


class NotSignedIn(Exception):
    """No valid signed-in session (HTTP 401)."""


def _db_uuid(value: Any) -> Any:
    """A UUID as the database driver wants it (SQLite stores 32 hex digits)."""
    parsed = _uuid(value)
    return parsed if connection.vendor == "postgresql" else parsed.hex


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def session_user_id(request: HttpRequest) -> str | None:
    """The user id the request's session names, through a configured backend (unverified)."""
    session = request.session
    if session.get(BACKEND_SESSION_KEY) not in settings.AUTHENTICATION_BACKENDS:
        return None
    user_id = session.get(SESSION_KEY)
    return str(user_id) if user_id else None


def _session_verified(request: HttpRequest, user_id: str, password: str, active: bool) -> bool:
    """Django's session check (`auth.get_user`): the session hash is the HMAC of the user's
    password field, so a password change signs every other session out; inactive users are
    refused like ModelBackend does. Anything unusual (a key rotation's fallback secret…) is
    left to Django's own `get_user`, which also cycles or flushes the session."""
    claimed = request.session.get(HASH_SESSION_KEY)
    if (
        active
        and claimed
        and constant_time_compare(
            claimed, get_user_model()(password=password).get_session_auth_hash()
        )
    ):
        return True
    user = get_user(request)
    return bool(user.is_authenticated and str(user.pk) == user_id)


def card_context(request: HttpRequest, code: str, key: str) -> CardContext:
    """The signed-in user's enrolment on `code`, its version and their progress on card `key`
    in one query. Raises NotSignedIn without a valid session, Http404 without an (active)
    enrolment of theirs on that path."""
    user_id = session_user_id(request)
    if user_id is None:
        raise NotSignedIn
    with connection.cursor() as cursor:
        cursor.execute(_CARD_SQL, [key, _db_uuid(user_id), code])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    if not _session_verified(request, user_id, row[5], bool(row[6])):
        raise NotSignedIn
    progress = None
    if row[7] is not None:
        answer = row[11]
        if isinstance(answer, str):
            answer = json.loads(answer)
        progress = {
            "seen": True,
            "attempts": row[8],
            "best_score": row[9],
            "last_score": row[10],
            "answer": answer,
        }
    return CardContext(
        enrolment_id=_uuid(row[0]),
        membership_id=_uuid(row[1]),
        organisation_id=_uuid(row[2]),
        version_id=_uuid(row[3]),
        content_hash=row[4],
        progress=progress,
    )


# --- Progress summaries -------------------------------------------------------------------


@dataclass
class ModuleSummary:
    slug: str
    title: str
    keys: tuple[str, ...]
    optional: bool
    completed: bool
    seen: int


@dataclass
class ProgressSummary:
    """Where the learner is in a path: for the player page, the learner home and hosts."""

    bundle: Bundle
    seen: set[str]
    modules: list[ModuleSummary]
    position: str
    next_key: str | None
    seconds_left: int
    completed: bool
    answers: dict[str, Any] = field(default_factory=dict)
    check_pending: bool = False
    survey_pending: bool = False

    @property
    def minutes_left(self) -> int:
        return (self.seconds_left + 59) // 60

    @property
    def percent(self) -> int:
        total = len(self.bundle.order)
        return round(100 * len(self.seen) / total) if total else 100

    def as_json(self) -> dict[str, Any]:
        return {
            "seen": sorted(self.seen),
            "position": self.position,
            "next": self.next_key,
            "completed": self.completed,
            "optional": [m.slug for m in self.modules if m.optional],
            "completed_modules": [m.slug for m in self.modules if m.completed],
            "minutes_left": self.minutes_left,
            "answers": self.answers,
            "survey_pending": self.survey_pending,
        }


def summarise(
    bundle: Bundle,
    enrolment: Enrolment,
    cards: list[CardProgress],
    modules: list[ModuleProgress],
    *,
    check_done: bool = True,
    survey_done: bool = True,
) -> ProgressSummary:
    seen = {c.card_key for c in cards if c.card_key in bundle.cards}
    by_slug = {m.module_slug: m for m in modules}
    summaries = []
    for module in bundle.modules:
        row = by_slug.get(module.slug)
        summaries.append(
            ModuleSummary(
                slug=module.slug,
                title=module.title,
                keys=module.keys,
                optional=bool(row and row.optional),
                completed=bool(row and row.completed_at),
                seen=sum(1 for k in module.keys if k in seen),
            )
        )
    optional = {m.slug for m in summaries if m.optional and not m.completed}
    remaining = [
        key for key in bundle.order if key not in seen and bundle.cards[key].module not in optional
    ]
    position = enrolment.position if enrolment.position in bundle.cards else ""
    next_key = None
    if position:
        # The first unseen required card after the position, else the first one anywhere.
        after = bundle.order[bundle.cards[position].index :]
        next_key = next((k for k in after if k in remaining), None)
    if next_key is None and remaining:
        next_key = remaining[0]
    completed = enrolment.status == EnrolmentStatus.COMPLETED
    answers = {
        c.card_key: c.answer
        for c in cards
        if c.answer is not None
        and c.card_key in bundle.cards
        and bundle.cards[c.card_key].type
        in (CardType.REFLECTION_PROMPT, CardType.ACTION_PLAN_PROMPT)
    }
    return ProgressSummary(
        bundle=bundle,
        seen=seen,
        modules=summaries,
        position=position,
        next_key=next_key,
        seconds_left=sum(bundle.cards[k].est_seconds for k in remaining),
        completed=completed,
        answers=answers,
        check_pending=bool(bundle.placement) and not check_done and not seen,
        survey_pending=completed and not survey_done,
    )


def progress_of(enrolment: Enrolment) -> ProgressSummary:
    """The enrolment's progress (4 queries, plus the bundle when not cached yet)."""
    bundle = bundle_for(enrolment.path_version_id, enrolment.path_version.content_hash)
    return summarise(
        bundle,
        enrolment,
        list(CardProgress.objects.filter(enrolment=enrolment)),
        list(ModuleProgress.objects.filter(enrolment=enrolment)),
        check_done=PlacementCheck.objects.filter(enrolment=enrolment).exists(),
        survey_done=SurveyResponse.objects.filter(enrolment=enrolment).exists(),
    )


@dataclass(frozen=True)
class ResumeEntry:
    """One path in progress on the learner home: where to continue, and what is left."""

    enrolment: Enrolment
    next_title: str
    next_key: str | None
    minutes_left: int
    percent: int


def resume_entries(membership: Membership) -> dict[uuid.UUID, ResumeEntry]:
    """For each path the person started and has not finished: the next card and the time
    left (3 queries, plus bundles not cached yet), keyed by path id."""
    enrolments = list(
        Enrolment.objects.filter(membership=membership, status=EnrolmentStatus.STARTED)
        .select_related("path", "path_version")
        .order_by("-last_activity_at")
    )
    if not enrolments:
        return {}
    ids = [e.pk for e in enrolments]
    cards: dict[uuid.UUID, list[CardProgress]] = {i: [] for i in ids}
    for row in CardProgress.objects.filter(enrolment_id__in=ids).only(
        "enrolment_id", "card_key", "answer"
    ):
        cards[row.enrolment_id].append(row)
    modules: dict[uuid.UUID, list[ModuleProgress]] = {i: [] for i in ids}
    for mrow in ModuleProgress.objects.filter(enrolment_id__in=ids):
        modules[mrow.enrolment_id].append(mrow)
    entries = {}
    for enrolment in enrolments:
        bundle = bundle_for(enrolment.path_version_id, enrolment.path_version.content_hash)
        summary = summarise(bundle, enrolment, cards[enrolment.pk], modules[enrolment.pk])
        key = summary.next_key
        entries[enrolment.path_id] = ResumeEntry(
            enrolment=enrolment,
            next_title=bundle.cards[key].title if key else "",
            next_key=key,
            minutes_left=summary.minutes_left,
            percent=summary.percent,
        )
    return entries


def latest_enrolment(membership: Membership) -> Enrolment | None:
    return (
        Enrolment.objects.filter(membership=membership, status=EnrolmentStatus.STARTED)
        .select_related("path")
        .order_by("-last_activity_at")
        .first()
    )
