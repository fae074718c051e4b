"""Sync one organisation with Viva Learning: contents first, then people's activities.

Idempotent: each object's payload is hashed and kept in `VivaRecord`; an unchanged object is
not sent again, a changed one is updated in place (contents by externalId, activities by the
id Graph gave them). Only members with a Microsoft Entra object id are sent (Viva Learning
knows people by it). A Graph failure stops the run and is recorded on the settings; what
was already sent stays recorded, so the next run carries on from there.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from ancrage.catalog.models import Module
from ancrage.licensing.entitlements import coverage_for
from ancrage.licensing.models import Assignment, ProgrammeItem
from ancrage.licensing.queries import assignments_for, licensed_versions
from ancrage.microsoft365.models import Microsoft365Settings, VivaRecord
from ancrage.microsoft365.queries import entra_object_ids
from ancrage.microsoft365.viva.client import GraphError, VivaClient
from ancrage.microsoft365.viva.payloads import Activity, course_activity, learning_content
from ancrage.player.models import Enrolment, EnrolmentStatus
from ancrage.tenancy.models import Membership

CONTENT, ACTIVITY = "content", "activity"
UPDATABLE = (
    "@odata.type",
    "status",
    "completionPercentage",
    "completedDateTime",
    "dueDateTime",
    "startedDateTime",
)


@dataclass
class SyncResult:
    contents_sent: int = 0
    activities_sent: int = 0
    unchanged: int = 0
    error: str = ""
    skipped_people: int = 0
    sent: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"{self.contents_sent} content(s), {self.activities_sent} activity(ies) sent, "
            f"{self.unchanged} unchanged"
        )
        return f"{text}; stopped: {self.error}" if self.error else text


def _digest(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _records(organisation_id: uuid.UUID, kind: str) -> dict[str, VivaRecord]:
    return {
        r.external_id: r
        for r in VivaRecord.objects.filter(organisation_id=organisation_id, kind=kind)
    }


def _remember(
    config: Microsoft365Settings, kind: str, external_id: str, graph_id: str, digest: str
) -> None:
    VivaRecord.objects.update_or_create(
        organisation_id=config.organisation_id,
        kind=kind,
        external_id=external_id,
        defaults={"graph_id": graph_id, "digest": digest, "synced_at": timezone.now()},
    )


def _percentages(enrolments: list[Enrolment]) -> dict[uuid.UUID, int]:
    version_ids = {e.path_version_id for e in enrolments}
    modules = dict(
        Module.objects.filter(version_id__in=version_ids)
        .values("version_id")
        .annotate(n=Count("pk"))
        .values_list("version_id", "n")
    )
    done = dict(
        Enrolment.objects.filter(pk__in=[e.pk for e in enrolments])
        .annotate(n=Count("module_progress", filter=Q(module_progress__completed_at__isnull=False)))
        .values_list("pk", "n")
    )
    return {
        e.pk: round(100 * done.get(e.pk, 0) / modules[e.path_version_id])
        if modules.get(e.path_version_id)
        else 0
        for e in enrolments
    }


def _activities(
    config: Microsoft365Settings, content_ids: dict[uuid.UUID, str]
) -> tuple[list[Activity], int]:
    """Every (person, path) worth telling Viva about, and how many people lack an Entra id."""
    object_ids = entra_object_ids(config.organisation_id)
    members = Membership.objects.current().filter(organisation_id=config.organisation_id)
    skipped = members.exclude(pk__in=list(object_ids)).count()
    activities: list[Activity] = []
    for member in members.filter(pk__in=list(object_ids)).select_related("team"):
        assigned: dict[uuid.UUID, tuple[datetime, date | None]] = {}
        for assignment in assignments_for(member).order_by("created_at"):
            path_ids = _assignment_paths(assignment)
            for path_id in path_ids:
                if path_id not in assigned:
                    assigned[path_id] = (assignment.created_at, assignment.due_on)
        enrolments = list(Enrolment.objects.filter(membership=member))
        percent = _percentages(enrolments)
        by_path = {e.path_id: e for e in enrolments}
        for path_id in sorted(set(assigned) | set(by_path), key=str):
            if path_id not in content_ids:
                continue  # not licensed, or not synced as content: Viva cannot link it
            enrolment = by_path.get(path_id)
            completed = (
                enrolment.completed_at
                if enrolment is not None and enrolment.status == EnrolmentStatus.COMPLETED
                else None
            )
            activities.append(
                Activity(
                    external_id=f"{member.pk}:{path_id}",
                    learner_object_id=object_ids[member.pk],
                    content_id=content_ids[path_id],
                    assigned=path_id in assigned,
                    assigned_at=assigned[path_id][0] if path_id in assigned else None,
                    due_on=assigned[path_id][1] if path_id in assigned else None,
                    started_at=enrolment.started_at if enrolment is not None else None,
                    completed_at=completed,
                    percent=percent.get(enrolment.pk, 0) if enrolment is not None else 0,
                )
            )
    return activities, skipped


def _assignment_paths(assignment: Assignment) -> list[uuid.UUID]:
    if assignment.path_id is not None:
        return [assignment.path_id]
    if assignment.programme_id is None:
        return []
    return list(
        ProgrammeItem.objects.filter(programme_id=assignment.programme_id)
        .order_by("order")
        .values_list("path_id", flat=True)
    )


def sync_organisation(config: Microsoft365Settings, *, now: datetime | None = None) -> SyncResult:
    """Send what changed since the last run; record the outcome on `config`."""
    result = SyncResult()
    client = VivaClient(tenant_id=config.viva_tenant_id, provider_id=config.viva_provider_id)
    try:
        content_ids = _sync_contents(config, client, result)
        _sync_activities(config, client, result, content_ids)
    except GraphError as exc:
        result.error = str(exc)[:200]
    config.viva_last_sync_at = now or timezone.now()
    config.viva_last_result = result.summary()[:300]
    config.save(update_fields=["viva_last_sync_at", "viva_last_result", "updated_at"])
    return result


def _sync_contents(
    config: Microsoft365Settings, client: VivaClient, result: SyncResult
) -> dict[uuid.UUID, str]:
    records = _records(config.organisation_id, CONTENT)
    content_ids: dict[uuid.UUID, str] = {}
    base = str(settings.SITE_URL).rstrip("/")
    for version in licensed_versions(coverage_for(config.organisation_id)):
        code = version.path.code
        payload = learning_content(
            version, content_url=base + reverse("licensing_path", args=[code])
        )
        digest = _digest(payload)
        record = records.get(code)
        if record is not None and record.digest == digest and record.graph_id:
            result.unchanged += 1
            content_ids[version.path_id] = record.graph_id
            continue
        graph_id = client.upsert_content(code, payload)
        _remember(config, CONTENT, code, graph_id, digest)
        result.contents_sent += 1
        result.sent.append(f"content:{code}")
        if graph_id:
            content_ids[version.path_id] = graph_id
    return content_ids


def _sync_activities(
    config: Microsoft365Settings,
    client: VivaClient,
    result: SyncResult,
    content_ids: dict[uuid.UUID, str],
) -> None:
    records = _records(config.organisation_id, ACTIVITY)
    activities, result.skipped_people = _activities(config, content_ids)
    for activity in activities:
        payload = course_activity(activity, provider_id=config.viva_provider_id)
        digest = _digest(payload)
        record = records.get(activity.external_id)
        if record is not None and record.digest == digest:
            result.unchanged += 1
            continue
        if record is not None and record.graph_id:
            update = {key: payload[key] for key in UPDATABLE if key in payload}
            client.update_activity(record.graph_id, update)
            graph_id = record.graph_id
        else:
            graph_id = client.create_activity(payload)
        _remember(config, ACTIVITY, activity.external_id, graph_id, digest)
        result.activities_sent += 1
        result.sent.append(f"activity:{activity.external_id}")
