"""Reads of the player, and its doors: a learner reaches only their own enrolments.

`access_enrolment(actor, code)` answers 404 for a path the person never started (or an
unknown code) — enrolments are personal, so nobody else's can be named. Whether the person
may *open* it now is the entitlement's answer (`entitled`), asked on every request.

`card_row` is the hot path of the card endpoint: one SQL statement for the enrolment, its
pinned version, the learner's progress on the card and whether their seat settles the
entitlement (plus, for player.fastpath, the session row); `card_body` adds the cached bundle.
"""

import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.http import Http404
from django.utils import timezone

from ancrage.catalog.models import CardType, Path, PathVersion, VersionStatus
from ancrage.common.prepared import run_prepared
from ancrage.licensing.entitlements import SEATED_SQL, Entitlement, check_entitlement
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


def entitled(membership: Membership, enrolment: Enrolment) -> Entitlement:
    """`check_entitlement` for the enrolment's pinned version."""
    return check_entitlement(membership=membership, path_version=enrolment.path_version)


def published_version(path: Path) -> PathVersion | None:
    return PathVersion.objects.filter(path=path, status=VersionStatus.PUBLISHED).first()


# --- The card endpoint's hot path ---------------------------------------------------------


@dataclass(frozen=True)
class CardRow:
    """What the card endpoint needs about one person, path and card (`card_row`)."""

    enrolment_id: uuid.UUID
    version_id: uuid.UUID
    content_hash: str
    password: str  # the user's password field: a session's auth hash is an HMAC of it
    seated: bool  # licensing SEATED_SQL: the entitlement says yes (False: ask it)
    session_data: str | None  # the session row named by `session_key`, if unexpired
    progress: dict[str, Any] | None


# The active user, their non-deactivated membership, their enrolment on the path, its
# pinned version, their progress on one card, whether their seat settles the entitlement,
# and (for player.fastpath) the session row: all the card endpoint reads, in one statement.
_CARD_SQL = f"""
SELECT e.id, e.path_version_id, v.content_hash, u.password, {SEATED_SQL}, s.session_data,
       cp.attempts, cp.best_score, cp.last_score, cp.answer
FROM accounts_user u
JOIN tenancy_membership m ON m.user_id = u.id AND m.status <> 'deactivated'
JOIN player_enrolment e ON e.membership_id = m.id AND e.organisation_id = m.organisation_id
JOIN catalog_path p ON p.id = e.path_id
JOIN catalog_pathversion v ON v.id = e.path_version_id
LEFT JOIN player_cardprogress cp ON cp.enrolment_id = e.id AND cp.card_key = %(key)s
LEFT JOIN django_session s ON s.session_key = %(session_key)s AND s.expire_date > %(now)s
WHERE u.id = %(user_id)s AND u.is_active AND p.code = %(code)s
"""  # noqa: S608  # nosec B608 — constant fragments; every value is a bound parameter

# PostgreSQL plans this join in about a millisecond and runs it in a tenth of that: there it
# is a prepared statement, planned once per connection (`common.prepared.run_prepared`).
_PG_NAMES = re.findall(r"%\((\w+)\)s", _CARD_SQL)
_PG_SQL = re.sub(r"%\(\w+\)s", "%s", _CARD_SQL)


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def card_row(
    *, user_id: Any, code: str, key: str, session_key: str | None = None
) -> CardRow | None:
    """One statement: the user's enrolment on path `code`, its version, their progress on
    card `key`, whether the entitlement is settled, and the session row `session_key` (when
    given). None when the user has no enrolment on that path (or they are inactive, or their
    membership is deactivated)."""
    db = connections[DEFAULT_DB_ALIAS]
    now = timezone.now()
    user = _uuid(user_id)
    params: dict[str, Any] = {
        "user_id": user,
        "code": code,
        "key": key,
        "session_key": session_key,
        "now": now,
        "today": timezone.localdate(now),
    }
    if db.vendor == "postgresql":
        rows = run_prepared(_PG_SQL, [params[name] for name in _PG_NAMES])
        row = rows[0] if rows else None
    else:
        params["user_id"] = user.hex  # SQLite stores 32 hex digits
        params["now"] = db.ops.adapt_datetimefield_value(now)
        with db.cursor() as cursor:
            cursor.execute(_CARD_SQL, params)
            row = cursor.fetchone()
    if row is None:
        return None
    progress = None
    if row[6] is not None:  # a progress row (attempts is never null there)
        answer = row[9]
        if isinstance(answer, str):
            answer = json.loads(answer)
        progress = {
            "seen": True,
            "attempts": row[6],
            "best_score": row[7],
            "last_score": row[8],
            "answer": answer,
        }
    return CardRow(
        enrolment_id=_uuid(row[0]),
        version_id=_uuid(row[1]),
        content_hash=row[2],
        password=row[3],
        seated=bool(row[4]),
        session_data=row[5],
        progress=progress,
    )


def card_body(row: CardRow, key: str, language: str = "") -> bytes | None:
    """The card endpoint's JSON (None when `key` is not a card of the learner's version), in
    `language` (default: the active one)."""
    bundle = bundle_for(row.version_id, row.content_hash, language=language)
    found = bundle.card(key)
    if found is None:
        return None
    return b"".join(
        (
            b'{"card":',
            found.client_json,
            b',"progress":',
            json.dumps(row.progress).encode(),
            b',"next":',
            json.dumps(bundle.next_key(key)).encode(),
            b',"previous":',
            json.dumps(bundle.previous_key(key)).encode(),
            b"}",
        )
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

    @property
    def resume_key(self) -> str | None:
        """The card a learner returns to, the same on the home ("Resume at") and in the player
        opened without a card: the card they left (close the phone, open the laptop, same
        card), or the first one to see when they have opened none yet."""
        return self.position or self.next_key

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
        key = summary.resume_key
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
