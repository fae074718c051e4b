"""GDPR writes: erasing a person, recording a data download, purging expired data.

Guarantees:

* `erase_person` follows the declarations kind by kind (ERASURE_ORDER), one transaction per
  kind, and records after each kind what it changed in the person's `Erasure` row. Every step
  only touches rows not yet erased, so a second run changes nothing and reports 0 everywhere,
  and a run interrupted half-way is finished by running it again.
* Learning records are pseudonymised, not deleted: the person's agent becomes the stable
  random account `anonyme-<pseudonym>` (the same on every run), and names or e-mail addresses
  of the person are stripped from statement bodies — in the LRS and in the copies queued for
  the organisation's own LRS (`lrs.OutboxItem`). Journals are deleted. The membership is
  deactivated and the account anonymised last; aggregate rows (completions, scores) stay.
* The person is signed out everywhere: once the account is disabled, every session of theirs
  in the session store (database, and its cache copy with `cached_db`) is deleted.
* `purge_expired` applies each declaration's retention period, one transaction per model,
  then erases (as above) every person whose membership was deactivated over a year ago.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from ancrage.accounts.models import User
from ancrage.audit.actions import record
from ancrage.audit.models import Action
from ancrage.lrs.models import OutboxItem, Statement, StatementAgent
from ancrage.lrs.shapes import agent_hash, agent_key
from ancrage.player.models import Enrolment
from ancrage.privacy.declarations import DECLARATIONS
from ancrage.privacy.models import DataDownload, Erasure, ErasureState
from ancrage.privacy.registry import ERASURE_ORDER, Declaration, Erase
from ancrage.privacy.subjects import agent_keys, documents_about, rows_about, statements_about
from ancrage.tenancy.models import Membership, MembershipStatus, Role

ERASED_DOMAIN = "invalid"
# Everything about a person whose membership was deactivated this long ago is erased.
DEPARTED_RETENTION = timedelta(days=365)


class ErasureRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _empty_value(field: models.Field[Any, Any]) -> Any:
    if isinstance(field, models.JSONField):
        return None if field.null else field.get_default()
    return None if field.null and not isinstance(field, models.CharField | models.TextField) else ""


def _anonymise(qs: "models.QuerySet[Any]", fields: tuple[str, ...]) -> int:
    meta = qs.model._meta
    empties = {name: _empty_value(meta.get_field(name)) for name in fields}
    # Rows where at least one field is not yet empty.
    all_empty = Q()
    for name, empty in empties.items():
        all_empty &= Q(**{f"{name}__isnull": True}) if empty is None else Q(**{name: empty})
    return qs.exclude(all_empty).update(**empties)


def _delete(qs: "models.QuerySet[Any]") -> int:
    _total, per_model = qs.delete()
    return per_model.get(qs.model._meta.label, 0)


def _pseudonym_agent(erasure: Erasure) -> dict[str, Any]:
    return {
        "objectType": "Agent",
        "account": {
            "homePage": str(settings.SITE_URL).rstrip("/"),
            "name": f"anonyme-{erasure.pseudonym}",
        },
    }


def _scrub(value: Any, keys: set[str], pseudo: dict[str, Any], words: list[str]) -> Any:
    """The statement body with the person's agents replaced and their name/e-mail removed."""
    if isinstance(value, dict):
        if value.get("objectType", "Agent") in ("Agent", "Group") and agent_key(value) in keys:
            return {**pseudo, "objectType": value.get("objectType", "Agent")}
        return {k: _scrub(v, keys, pseudo, words) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, keys, pseudo, words) for v in value]
    if isinstance(value, str):
        for word in words:
            if word and word in value:
                value = value.replace(word, "")
        return value
    return value


def _person_words(membership: Membership) -> list[str]:
    """The person's e-mail and name, to strip from statement bodies (until anonymised)."""
    user = membership.user
    return [w for w in (user.email, user.name) if w and not w.endswith(f"@{ERASED_DOMAIN}")]


def _pseudonymise_statements(membership: Membership, erasure: Erasure) -> int:
    keys = agent_keys(membership)
    key_set = set(keys)
    pseudo = _pseudonym_agent(erasure)
    pseudo_key = agent_key(pseudo)
    words = _person_words(membership)
    changed: list[Statement] = []
    for row in statements_about(membership, keys).iterator(chunk_size=500):
        row.payload = _scrub(row.payload, key_set, pseudo, words)
        if row.actor_key in key_set:
            row.actor_key = pseudo_key or ""
        if row.object_agent_key in key_set:
            row.object_agent_key = pseudo_key
        if row.ref_actor_key in key_set:
            row.ref_actor_key = pseudo_key
        row.related_agents = [pseudo_key if k in key_set else k for k in row.related_agents]
        changed.append(row)
    Statement.objects.bulk_update(
        changed,
        ["payload", "actor_key", "object_agent_key", "ref_actor_key", "related_agents"],
        batch_size=500,
    )
    _rekey_statement_agents(membership, changed, keys, pseudo_key or "")
    return len(changed) + _delete(documents_about(membership, keys))


def _rekey_statement_agents(
    membership: Membership, changed: list[Statement], keys: list[str], pseudo_key: str
) -> None:
    """The `related_agents` index rows follow the rewritten statements: the person's keys
    lose them, the pseudonym gets them (a related_agents query for an old key finds nothing)."""
    old_hashes = [agent_hash(key) for key in keys]
    new_hash = agent_hash(pseudo_key)
    org_id = membership.organisation_id
    for start in range(0, len(changed), 500):
        chunk = changed[start : start + 500]
        StatementAgent.objects.filter(
            organisation_id=org_id, agent_hash__in=old_hashes, seq__in=[row.seq for row in chunk]
        ).delete()
        StatementAgent.objects.bulk_create(
            [
                StatementAgent(
                    organisation_id=org_id, agent_hash=new_hash, stored=row.stored, seq=row.seq
                )
                for row in chunk
                if pseudo_key in row.related_agents
            ],
            ignore_conflicts=True,
        )


def _pseudonymise_outbox(membership: Membership, erasure: Erasure) -> int:
    """The forwarding outbox's copies, pending or sent, treated like the stored statements:
    a statement naming one of the person's agents gets the pseudonym, without name or e-mail
    (other statements of the same batch are left as they are)."""
    key_set = set(agent_keys(membership))
    pseudo = _pseudonym_agent(erasure)
    words = _person_words(membership)
    changed = 0
    items = OutboxItem.objects.select_for_update().filter(
        organisation_id=membership.organisation_id
    )
    for item in items.iterator(chunk_size=200):
        statements = list(item.statements)
        scrubbed = []
        for statement in statements:
            about_them = _scrub(statement, key_set, pseudo, []) != statement
            scrubbed.append(_scrub(statement, key_set, pseudo, words) if about_them else statement)
        if scrubbed != statements:
            OutboxItem.objects.filter(pk=item.pk).update(statements=scrubbed)
            changed += 1
    return changed


def _end_sessions(membership: Membership, erasure: Erasure) -> int:
    """Delete every live session of the person (a scan: sessions are not indexed by user).
    Engines that cannot list sessions (signed cookies, plain cache) are skipped: their
    sessions are refused anyway once the account is inactive with an unusable password."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return 0
    model = store.get_model_class()
    decoder = store()
    user_id = str(membership.user_id)
    count = 0
    live = model.objects.filter(expire_date__gt=timezone.now()).values_list(
        "session_key", "session_data"
    )
    for session_key, data in live.iterator(chunk_size=1000):
        if str(decoder.decode(data).get(SESSION_KEY, "")) == user_id:
            store(session_key=session_key).delete()
            count += 1
    return count


def _anonymise_user(membership: Membership, erasure: Erasure) -> int:
    user = User.objects.select_for_update().get(pk=membership.user_id)
    if user.email.endswith(f"@{ERASED_DOMAIN}") and not user.is_active:
        return 0
    user.email = f"erased-{erasure.pseudonym}@{ERASED_DOMAIN}"
    user.name = ""
    user.language = ""
    user.is_active = False
    user.last_login = None
    user.set_unusable_password()
    user.save()
    return 1


def _deactivate_membership(membership: Membership, erasure: Erasure) -> int:
    return (
        Membership.objects.filter(pk=membership.pk)
        .filter(
            ~Q(status=MembershipStatus.DEACTIVATED)
            | Q(team__isnull=False)
            | Q(manager__isnull=False)
            | ~Q(role=Role.LEARNER)
        )
        .update(
            status=MembershipStatus.DEACTIVATED,
            team=None,
            manager=None,
            role=Role.LEARNER,
            updated_at=timezone.now(),
        )
    )


def _clear_enrolment_resume(membership: Membership, erasure: Erasure) -> int:
    return (
        Enrolment.objects.filter(membership=membership)
        .exclude(position="", suspend_data={})
        .update(position="", suspend_data={})
    )


_HANDLERS = {
    "lrs.statement": _pseudonymise_statements,
    "lrs.outboxitem": _pseudonymise_outbox,
    "accounts.user": _anonymise_user,
    "tenancy.membership": _deactivate_membership,
    "sessions.session": _end_sessions,
}
_EXTRA = {"player.enrolment": _clear_enrolment_resume}


def _apply(declaration: Declaration, membership: Membership, erasure: Erasure) -> int:
    label = declaration.model.lower()
    if label in _HANDLERS:
        return _HANDLERS[label](membership, erasure)
    if label in ("lrs.document", "lrs.statementagent"):
        return 0  # deleted or rewritten with the statements (same agent keys)
    count = _EXTRA[label](membership, erasure) if label in _EXTRA else 0
    rows = rows_about(declaration, membership)
    if declaration.erase == Erase.DELETE:
        return count + _delete(rows)
    if declaration.erase == Erase.ANONYMISE:
        return count + _anonymise(rows, declaration.clear)
    return count


@dataclass(frozen=True)
class ErasureResult:
    erasure: Erasure
    changed: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.changed.values())


def erase_person(*, actor: Membership, person: Membership) -> ErasureResult:
    """Erase `person` from the actor's organisation (organisation admins only); rerunnable."""
    if actor.role != Role.ORG_ADMIN or actor.organisation_id != person.organisation_id:
        raise PermissionDenied
    if actor.pk == person.pk:
        raise ErasureRefused("You cannot erase yourself; ask another organisation admin.")
    return _run_erasure(person=person, actor=actor)


def _run_erasure(*, person: Membership, actor: Membership | None) -> ErasureResult:
    erasure, _created = Erasure.objects.get_or_create(
        membership=person,
        defaults={"organisation_id": person.organisation_id, "requested_by": actor},
    )
    by_kind = {kind: [d for d in DECLARATIONS if d.kind == kind] for kind in ERASURE_ORDER}
    changed: dict[str, int] = {}
    for kind in ERASURE_ORDER:
        with transaction.atomic():
            count = sum(_apply(d, person, erasure) for d in by_kind[kind])
            changed[kind] = count
            done = list(dict.fromkeys([*erasure.done_kinds, str(kind)]))
            Erasure.objects.filter(pk=erasure.pk).update(
                steps={**changed}, done_kinds=done, updated_at=timezone.now()
            )
            erasure.done_kinds = done
    with transaction.atomic():
        erasure.steps = changed
        erasure.state = ErasureState.DONE
        erasure.runs += 1
        erasure.completed_at = timezone.now()
        erasure.save()
        record(
            action=Action.ERASURE,
            actor=actor,
            organisation_id=person.organisation_id,
            target=person,
            details={
                "run": erasure.runs,
                "rows_changed": sum(changed.values()),
                "reason": "request" if actor is not None else "retention",
            },
        )
    return ErasureResult(erasure=erasure, changed=changed)


def record_data_download(*, membership: Membership, size: int, sha256: str) -> DataDownload:
    """Note that the person downloaded their data (the archive is not kept)."""
    with transaction.atomic():
        download = DataDownload.objects.create(
            organisation_id=membership.organisation_id,
            membership=membership,
            completed_at=timezone.now(),
            size=size,
            sha256=sha256,
        )
        record(
            action=Action.DATA_DOWNLOAD, actor=membership, target=download, details={"size": size}
        )
    return download


def purge_expired(*, now: datetime | None = None) -> dict[str, int]:
    """Apply every declared retention period; {model label: rows deleted or emptied}."""
    now = now or timezone.now()
    done: dict[str, int] = {}
    for declaration in DECLARATIONS:
        if declaration.retention is None or declaration.purged_by:
            continue
        qs = declaration.model_class._base_manager.filter(
            **{f"{declaration.retention_field}__lt": now - declaration.retention}
        )
        if declaration.retention_when is not None:
            qs = qs.filter(declaration.retention_when)
        with transaction.atomic():
            if declaration.retention_erase == Erase.ANONYMISE:
                done[declaration.model] = _anonymise(qs, declaration.clear)
            else:
                done[declaration.model] = _delete(qs)
    departed = (
        Membership.objects.filter(
            status=MembershipStatus.DEACTIVATED, updated_at__lt=now - DEPARTED_RETENTION
        )
        .exclude(erasure__state=ErasureState.DONE)
        .select_related("user")
    )
    erased = 0
    for person in departed:
        _run_erasure(person=person, actor=None)
        erased += 1
    done["departed members erased"] = erased
    return done
