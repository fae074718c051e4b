"""Writing the audit log: `record(...)` is the only way in (`record_learners_viewed`, for a
page about several people at once, builds its entries the same way and inserts them together).

Call it from any action or view once the thing happened (inside the action's transaction is
fine: the entry then commits or rolls back with it). The request's IP address and user agent
are picked up from `ancrage.audit.middleware.AuditMiddleware`; outside a request (commands,
tasks) they stay empty.

`details` must be a flat dict of short scalars: names of fields, counts, ids, statuses. It is
refused (ValueError) when it holds nested objects, long text or keys that name free text —
journal text and statement bodies never enter the log.
"""

import uuid
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from ancrage.audit.models import Action, AuditEntry
from ancrage.tenancy.models import Membership

MAX_DETAIL_TEXT = 120
MAX_DETAIL_KEYS = 12
FORBIDDEN_DETAIL_KEYS = frozenset(
    {
        "text",
        "body",
        "payload",
        "statement",
        "description",
        "feelings",
        "evaluation",
        "analysis",
        "conclusion",
        "action_plan",
        "notes",
        "comment",
        "answers",
        "example",
        "password",
        "secret",
    }
)


@dataclass(frozen=True)
class RequestContext:
    ip: str | None
    user_agent: str


_context: ContextVar[RequestContext | None] = ContextVar("audit_request", default=None)


def bind_request(ip: str | None, user_agent: str) -> Any:
    """Remember the current request's IP and user agent; returns a token for `unbind`."""
    return _context.set(RequestContext(ip=ip, user_agent=user_agent[:300]))


def unbind(token: Any) -> None:
    _context.reset(token)


def _check_details(details: dict[str, Any]) -> dict[str, Any]:
    if len(details) > MAX_DETAIL_KEYS:
        raise ValueError("audit details: too many keys")
    for key, value in details.items():
        if not isinstance(key, str) or key.lower() in FORBIDDEN_DETAIL_KEYS:
            raise ValueError(f"audit details: key {key!r} is not allowed")
        if value is not None and not isinstance(value, str | int | float | bool):
            raise ValueError(f"audit details: {key!r} must be a short scalar value")
        if isinstance(value, str) and len(value) > MAX_DETAIL_TEXT:
            raise ValueError(f"audit details: {key!r} is too long for the audit log")
    return details


def record(
    *,
    action: Action | str,
    actor: Membership | None = None,
    user_id: Any = None,
    organisation_id: Any = None,
    target: Any = None,
    target_type: str = "",
    target_id: Any = "",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. `target` (a model instance) fills target type and id.

    The organisation defaults to the actor's, or to the target's `organisation_id`.
    """
    entry = _entry(
        action=action,
        actor=actor,
        user_id=user_id,
        organisation_id=organisation_id,
        target=target,
        target_type=target_type,
        target_id=target_id,
        details=details,
    )
    entry.save()
    return entry


def _entry(
    *,
    action: Action | str,
    actor: Membership | None,
    user_id: Any,
    organisation_id: Any,
    target: Any,
    target_type: str,
    target_id: Any,
    details: dict[str, Any] | None,
) -> AuditEntry:
    if action not in Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or target.pk
        if organisation_id is None:
            organisation_id = getattr(target, "organisation_id", None)
    if actor is not None:
        user_id = user_id or actor.user_id
        organisation_id = organisation_id or actor.organisation_id
    context = _context.get()
    return AuditEntry(
        action=str(action),
        organisation_id=_as_uuid(organisation_id),
        actor_membership_id=actor.pk if actor is not None else None,
        actor_user_id=_as_uuid(user_id),
        target_type=target_type[:64],
        target_id=str(target_id or "")[:64],
        ip=context.ip if context else None,
        user_agent=context.user_agent if context else "",
        details=_check_details(dict(details or {})),
    )


def _as_uuid(value: Any) -> uuid.UUID | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def record_learner_viewed(*, actor: Membership, learner: Membership, page: str) -> None:
    """A view of one learner's individual results by someone else (nothing when it is them)."""
    record_learners_viewed(actor=actor, learners=[learner], page=page)


def record_learners_viewed(*, actor: Membership, learners: Iterable[Membership], page: str) -> int:
    """One `learner_viewed` entry per person whose individual results a page shows to someone
    else (a manager's team overview shows each report's): one INSERT for them all. Returns
    how many were recorded."""
    entries = [
        _entry(
            action=Action.LEARNER_VIEWED,
            actor=actor,
            user_id=None,
            organisation_id=None,
            target=learner,
            target_type="",
            target_id="",
            details={"page": page, "role": actor.role},
        )
        for learner in learners
        if learner.pk != actor.pk
    ]
    AuditEntry.objects.bulk_create(entries)
    return len(entries)


@dataclass(frozen=True)
class MembershipSnapshot:
    role: str
    team_id: Any
    manager_id: Any

    @classmethod
    def of(cls, membership: Membership) -> "MembershipSnapshot":
        return cls(membership.role, membership.team_id, membership.manager_id)


def record_membership_changes(
    *,
    actor: Membership | None,
    membership: Membership,
    before: MembershipSnapshot | None,
    user_id: Any = None,
) -> int:
    """Record role, team and manager changes of an existing membership; returns how many.
    `user_id` names an actor without a membership (platform staff in Django's admin)."""
    if before is None or membership._state.adding:
        return 0
    after = MembershipSnapshot.of(membership)
    changes = [
        (Action.ROLE_CHANGED, before.role, after.role),
        (Action.TEAM_CHANGED, before.team_id, after.team_id),
        (Action.MANAGER_CHANGED, before.manager_id, after.manager_id),
    ]
    count = 0
    for action, old, new in changes:
        if old == new:
            continue
        record(
            action=action,
            actor=actor,
            user_id=user_id,
            target=membership,
            details={"from": str(old or ""), "to": str(new or "")},
        )
        count += 1
    return count
