"""Reads of foundation programmes and requests, and their access_* helpers.

Programmes and requests belong to the organisation's L&D leads and admins. A learner sees
the active programmes of the paths they finished — and only those: `access_recommended`
answers 404 for any other programme, as for another organisation's.

Conversion: of the people who finished the path, the share who took a step towards the
programme (a request or a registration click). Shown only when at least
`MIN_GROUP` people finished: a smaller group would point at individuals.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from ancrage.bridges.models import FoundationProgramme, FoundationRequest, RequestStatus
from ancrage.catalog.models import PathVersion, VersionStatus
from ancrage.player.models import Enrolment, EnrolmentStatus
from ancrage.tenancy.models import Membership

MIN_GROUP = 5


def _uuid_or_404(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def programmes_of(actor: Membership) -> "QuerySet[FoundationProgramme]":
    if not actor.can_manage_people:
        return FoundationProgramme.objects.none()
    return FoundationProgramme.objects.filter(organisation_id=actor.organisation_id).select_related(
        "path"
    )


def access_programme(actor: Membership, programme_id: Any) -> FoundationProgramme:
    try:
        return programmes_of(actor).get(pk=_uuid_or_404(programme_id))
    except FoundationProgramme.DoesNotExist as exc:
        raise Http404 from exc


def finished_path_ids(learner: Membership) -> set[uuid.UUID]:
    return set(
        Enrolment.objects.filter(
            organisation_id=learner.organisation_id,
            membership=learner,
            status=EnrolmentStatus.COMPLETED,
        ).values_list("path_id", flat=True)
    )


def recommended_to(
    learner: Membership, path_id: uuid.UUID | None = None
) -> "QuerySet[FoundationProgramme]":
    """Active programmes after the paths the learner finished (optionally one path)."""
    paths = finished_path_ids(learner)
    if path_id is not None:
        paths &= {path_id}
    return FoundationProgramme.objects.filter(
        organisation_id=learner.organisation_id, active=True, path_id__in=paths
    ).select_related("path")


def access_recommended(actor: Membership, programme_id: Any) -> FoundationProgramme:
    try:
        return recommended_to(actor).get(pk=_uuid_or_404(programme_id))
    except FoundationProgramme.DoesNotExist as exc:
        raise Http404 from exc


def requests_of(actor: Membership) -> "QuerySet[FoundationRequest]":
    if not actor.can_manage_people:
        return FoundationRequest.objects.none()
    return FoundationRequest.objects.filter(organisation_id=actor.organisation_id).select_related(
        "programme__path", "learner__user", "learner__team", "handled_by__user"
    )


def access_request(actor: Membership, request_id: Any) -> FoundationRequest:
    try:
        return requests_of(actor).get(pk=_uuid_or_404(request_id))
    except FoundationRequest.DoesNotExist as exc:
        raise Http404 from exc


def path_title(path_id: uuid.UUID, code: str) -> str:
    title = (
        PathVersion.objects.filter(path_id=path_id, status=VersionStatus.PUBLISHED)
        .values_list("title", flat=True)
        .first()
    )
    return title or code


@dataclass(frozen=True)
class Conversion:
    programme: FoundationProgramme
    path_title: str
    finishers: int
    requests: int
    links: int

    @property
    def shown(self) -> bool:
        return self.finishers >= MIN_GROUP

    @property
    def steps(self) -> int:
        return self.requests + self.links

    @property
    def percent(self) -> int | None:
        if not self.shown:
            return None
        return round(100 * self.steps / self.finishers)


def conversions(actor: Membership) -> list[Conversion]:
    """Per programme: finishers of its path, requests and registration clicks."""
    rows = []
    for programme in programmes_of(actor).order_by("path__code", "title"):
        finishers = (
            Enrolment.objects.filter(
                organisation_id=programme.organisation_id,
                path_id=programme.path_id,
                status=EnrolmentStatus.COMPLETED,
            )
            .values("membership_id")
            .distinct()
            .count()
        )
        kinds = list(programme.requests.values_list("kind", flat=True))
        rows.append(
            Conversion(
                programme=programme,
                path_title=path_title(programme.path_id, programme.path.code),
                finishers=finishers,
                requests=sum(1 for k in kinds if k == "request"),
                links=sum(1 for k in kinds if k == "link"),
            )
        )
    return rows


def open_requests(actor: Membership) -> "QuerySet[FoundationRequest]":
    return requests_of(actor).filter(status=RequestStatus.NEW)


def requested_programme_ids(learner: Membership) -> set[uuid.UUID]:
    """Programmes the learner already asked for or opened the registration link of."""
    return set(
        FoundationRequest.objects.filter(
            organisation_id=learner.organisation_id, learner=learner
        ).values_list("programme_id", flat=True)
    )
