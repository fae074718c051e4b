"""Recall items from the LRS: every "completed" or "passed" statement for one of our module
activities schedules that module's quiz and flashcard cards for its learner.

One mechanism for every host: our player records its module completions in our LRS, and an
exported package (SCORM, cmi5, …) sends its statements back to it, so a module finished in a
client's LMS schedules recall items exactly like one finished in Ancrage. The job reads the
statements in `seq` order from a cursor (RecallCursor), so each is read once; item creation
is idempotent anyway, so a crash between the two only repeats harmless work.

Tenancy: the learner must belong to the organisation whose LRS received the statement.
"""

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from ancrage.catalog.models import Path
from ancrage.habits.actions import create_recall_items
from ancrage.habits.models import RecallCursor, RecallSource
from ancrage.habits.recall import MODULE_VERBS, actor_of, module_of
from ancrage.lrs.models import Statement
from ancrage.tenancy.models import Membership, MembershipStatus

CURSOR = "lrs-module-completions"
BATCH = 2000
SETTLE = timedelta(minutes=1)


def _learner(organisation_id: Any, actor_key: str) -> Membership | None:
    actor = actor_of(actor_key)
    if actor is None:
        return None
    people = Membership.objects.filter(organisation_id=organisation_id).exclude(
        status=MembershipStatus.DEACTIVATED
    )
    try:
        if actor.membership_id:
            return people.filter(pk=actor.membership_id).first()
        return people.filter(user__email__iexact=actor.email).first()
    except ValueError:  # not a UUID
        return None


def schedule_from_statements(rows: Iterable[Mapping[str, Any]]) -> int:
    """Create the recall items the given statement rows call for; returns how many."""
    created = 0
    paths: dict[str, Path | None] = {}
    for row in rows:
        module = module_of(row["activity_id"] or "")
        if module is None:
            continue
        learner = _learner(row["organisation_id"], row["actor_key"])
        if learner is None:
            continue
        if module.code not in paths:
            paths[module.code] = Path.objects.filter(code=module.code).first()
        path = paths[module.code]
        if path is None:
            continue
        completed_at: datetime = row["timestamp"]
        created += create_recall_items(
            learner=learner,
            path=path,
            module_slug=module.module_slug,
            completed_at=completed_at,
            source=RecallSource.PLAYER if row["credential_id"] is None else RecallSource.EXPORT,
        )
    return created


def schedule_recall_from_lrs(*, now: datetime | None = None, batch: int = BATCH) -> int:
    """Read the statements stored since the last run; returns the number of items created.

    Statements stored in the last minute wait for the next run: a transaction that took a
    lower `seq` may not have committed yet, and the cursor must not pass it.
    """
    settled = (now or timezone.now()) - SETTLE
    total = 0
    while True:
        with transaction.atomic():
            cursor, _ = RecallCursor.objects.select_for_update().get_or_create(name=CURSOR)
            rows = list(
                Statement.objects.filter(
                    seq__gt=cursor.position,
                    stored__lte=settled,
                    verb_id__in=MODULE_VERBS,
                    voided=False,
                )
                .order_by("seq")
                .values(
                    "seq",
                    "organisation_id",
                    "activity_id",
                    "actor_key",
                    "timestamp",
                    "credential_id",
                )[:batch]
            )
            if not rows:
                return total
            total += schedule_from_statements(rows)
            cursor.position = rows[-1]["seq"]
            cursor.save(update_fields=["position", "updated_at"])
        if len(rows) < batch:
            return total
