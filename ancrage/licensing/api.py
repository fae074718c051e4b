"""Licensing endpoints of the public API: licences and seat use, programmes, assignments,
enrolments. Every read and write is scoped to the organisation of the calling API key, and
every write goes through `ancrage.licensing.actions`, like the web pages."""

import uuid
from collections import defaultdict

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from ancrage.api.auth import require_scope
from ancrage.api.errors import ApiError
from ancrage.api.models import Scope
from ancrage.audit.actions import record
from ancrage.audit.models import Action
from ancrage.catalog.models import Path
from ancrage.licensing import actions
from ancrage.licensing.models import Assignment, LicenceItem, OfferKind, Programme, ProgrammeItem
from ancrage.licensing.queries import licences_of, path_titles
from ancrage.licensing.schemas import (
    AssignmentIn,
    AssignmentOut,
    EnrolmentFilter,
    EnrolmentOut,
    LicenceOut,
    ProgrammeIn,
    ProgrammeOut,
    ProgrammePatch,
    StepIn,
    StepOut,
)
from ancrage.player.models import Enrolment
from ancrage.tenancy.models import Membership, MembershipStatus, Team

router = Router(tags=["licensing"])


class BoundedPagination(LimitOffsetPagination):
    """limit/offset with upper bounds: an offset past PostgreSQL's bigint was a 500."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000)
        offset: int = Field(0, ge=0, le=1_000_000_000)


def _invalid(error: actions.Invalid) -> ApiError:
    return ApiError(400, error.message, field=error.field, code=error.code)


# --- Licences --------------------------------------------------------------------------


@router.get("/licences", response=list[LicenceOut], summary="Licences and seat use")
def list_licences(request: HttpRequest) -> list[LicenceOut]:
    key = require_scope(request, Scope.LICENCES_READ)
    today = timezone.localdate()
    uses = licences_of(key.organisation_id, today)
    codes: dict[uuid.UUID, list[str]] = defaultdict(list)
    for licence_id, code in (
        LicenceItem.objects.filter(licence_id__in=[u.licence.pk for u in uses])
        .order_by("path__code")
        .values_list("licence_id", "path__code")
    ):
        codes[licence_id].append(code)
    return [
        LicenceOut(
            id=u.licence.pk,
            offer=u.licence.offer.name,
            offer_kind=u.licence.offer.kind,  # type: ignore[arg-type]
            status=u.licence.status,  # type: ignore[arg-type]
            state=u.state,
            effective=u.licence.is_effective(today),
            starts_on=u.licence.starts_on,
            ends_on=u.licence.ends_on,
            seats=u.licence.seats,
            seats_used=u.seats_used,
            paths=codes[u.licence.pk] if u.licence.offer.kind == OfferKind.A_LA_CARTE else [],
        )
        for u in uses
    ]


# --- Programmes ------------------------------------------------------------------------


def _programmes_out(programmes: list[Programme]) -> list[ProgrammeOut]:
    items = list(
        ProgrammeItem.objects.filter(programme__in=programmes)
        .select_related("path")
        .order_by("programme_id", "order", "created_at")
    )
    titles = path_titles({item.path_id for item in items})
    steps: dict[uuid.UUID, list[StepOut]] = defaultdict(list)
    for item in items:
        steps[item.programme_id].append(
            StepOut(
                path_code=item.path.code,
                module_slug=item.module_slug or None,
                title=titles.get(item.path_id, item.path.code),
            )
        )
    return [
        ProgrammeOut(
            id=p.pk,
            title=p.title,
            description=p.description,
            strategic_stake=p.strategic_stake,
            steps=steps[p.pk],
            created_at=p.created_at,
            updated_at=p.updated_at,
        )
        for p in programmes
    ]


def _programme(organisation_id: uuid.UUID, programme_id: uuid.UUID) -> Programme:
    programme = Programme.objects.filter(organisation_id=organisation_id, pk=programme_id).first()
    if programme is None:
        raise ApiError(404, "No programme with this id in your organisation.")
    return programme


def _specs(steps: list[StepIn]) -> list[actions.ItemSpec]:
    paths = {p.code: p for p in Path.objects.filter(code__in={s.path_code for s in steps})}
    specs = []
    for index, step in enumerate(steps):
        path = paths.get(step.path_code)
        if path is None:
            raise ApiError(
                400,
                f"No path has the code “{step.path_code}”.",
                field=f"steps[{index}].path_code",
                code="unknown_path",
            )
        specs.append(actions.ItemSpec(path=path, module_slug=step.module_slug))
    return specs


@router.get("/programmes", response=list[ProgrammeOut], summary="Programmes")
def list_programmes(request: HttpRequest) -> list[ProgrammeOut]:
    key = require_scope(request, Scope.PROGRAMMES_READ)
    return _programmes_out(
        list(Programme.objects.filter(organisation_id=key.organisation_id).order_by("title"))
    )


@router.get("/programmes/{programme_id}", response=ProgrammeOut, summary="One programme")
def get_programme(request: HttpRequest, programme_id: uuid.UUID) -> ProgrammeOut:
    key = require_scope(request, Scope.PROGRAMMES_READ)
    return _programmes_out([_programme(key.organisation_id, programme_id)])[0]


@router.post("/programmes", response={201: ProgrammeOut}, summary="Create a programme")
def create_programme(request: HttpRequest, payload: ProgrammeIn) -> Status[ProgrammeOut]:
    key = require_scope(request, Scope.PROGRAMMES_WRITE)
    try:
        programme = actions.create_programme(
            organisation=key.organisation,
            by=None,
            title=payload.title,
            description=payload.description,
            strategic_stake=payload.strategic_stake,
            items=_specs(payload.steps),
        )
    except actions.Invalid as error:
        raise _invalid(error) from error
    return Status(201, _programmes_out([programme])[0])


@router.patch("/programmes/{programme_id}", response=ProgrammeOut, summary="Change a programme")
def update_programme(
    request: HttpRequest, programme_id: uuid.UUID, payload: ProgrammePatch
) -> ProgrammeOut:
    key = require_scope(request, Scope.PROGRAMMES_WRITE)
    programme = _programme(key.organisation_id, programme_id)
    try:
        programme = actions.update_programme(
            programme=programme,
            title=payload.title,
            description=payload.description,
            strategic_stake=payload.strategic_stake,
            items=None if payload.steps is None else _specs(payload.steps),
        )
    except actions.Invalid as error:
        raise _invalid(error) from error
    return _programmes_out([programme])[0]


# --- Assignments -----------------------------------------------------------------------


def _assignment_out(a: Assignment) -> AssignmentOut:
    return AssignmentOut(
        id=a.pk,
        programme_id=a.programme_id,
        path_code=a.path.code if a.path is not None else None,
        team_id=a.team_id,
        person_email=a.membership.user.email if a.membership is not None else None,
        include_subteams=a.include_subteams,
        due_on=a.due_on,
        created_at=a.created_at,
    )


@router.get("/assignments", response=list[AssignmentOut], summary="Assignments")
def list_assignments(request: HttpRequest) -> list[AssignmentOut]:
    key = require_scope(request, Scope.ASSIGNMENTS_READ)
    rows = (
        Assignment.objects.filter(organisation_id=key.organisation_id)
        .select_related("path", "membership__user")
        .order_by("-created_at")
    )
    return [_assignment_out(a) for a in rows]


@router.post("/assignments", response={201: AssignmentOut}, summary="Assign")
def create_assignment(request: HttpRequest, payload: AssignmentIn) -> Status[AssignmentOut]:
    """Assign a programme or a path to a team (optionally with sub-teams) or a person.
    Assigning the same thing to the same audience again updates its due date."""
    key = require_scope(request, Scope.ASSIGNMENTS_WRITE)
    org_id = key.organisation_id
    programme = path = team = membership = None
    if payload.programme_id is not None:
        programme = Programme.objects.filter(
            organisation_id=org_id, pk=payload.programme_id
        ).first()
        if programme is None:
            raise ApiError(
                400, "No programme with this id in your organisation.", field="programme_id"
            )
    if payload.path_code is not None:
        path = Path.objects.filter(code=payload.path_code).first()
        if path is None:
            raise ApiError(400, f"No path has the code “{payload.path_code}”.", field="path_code")
    if payload.team_id is not None:
        team = Team.objects.filter(organisation_id=org_id, pk=payload.team_id).first()
        if team is None:
            raise ApiError(400, "No team with this id in your organisation.", field="team_id")
    if payload.person_email is not None:
        membership = (
            Membership.objects.filter(
                organisation_id=org_id, user__email__iexact=payload.person_email.strip()
            )
            .exclude(status=MembershipStatus.DEACTIVATED)
            .first()
        )
        if membership is None:
            raise ApiError(
                400,
                "No active member of your organisation has this email address.",
                field="person_email",
            )
    try:
        assignment = actions.assign(
            organisation=key.organisation,
            by=None,
            programme=programme,
            path=path,
            team=team,
            membership=membership,
            include_subteams=payload.include_subteams,
            due_on=payload.due_on,
        )
    except actions.Invalid as error:
        raise _invalid(error) from error
    # nosemgrep: ancrage-unscoped-get-in-view — re-reads the row the key's organisation just wrote
    assignment = Assignment.objects.select_related("path", "membership__user").get(pk=assignment.pk)
    return Status(201, _assignment_out(assignment))


@router.delete("/assignments/{assignment_id}", response={204: None}, summary="Remove")
def delete_assignment(request: HttpRequest, assignment_id: uuid.UUID) -> Status[None]:
    key = require_scope(request, Scope.ASSIGNMENTS_WRITE)
    assignment = Assignment.objects.filter(
        organisation_id=key.organisation_id, pk=assignment_id
    ).first()
    if assignment is None:
        raise ApiError(404, "No assignment with this id in your organisation.")
    actions.remove_assignment(assignment=assignment)
    return Status(204, None)


# --- Enrolments ------------------------------------------------------------------------


@router.get("/enrolments", response=list[EnrolmentOut], summary="Enrolments and their status")
@paginate(BoundedPagination)
def list_enrolments(request: HttpRequest, filters: Query[EnrolmentFilter]) -> QuerySet[Enrolment]:
    """Who started what, on which version, and where they are; filter by `status`, `path_code`.
    A person assigned a path they have not started has no enrolment yet (see /assignments)."""
    key = require_scope(request, Scope.ENROLMENTS_READ)
    # Each person's progress leaves for the HR system: one audit entry per read.
    record(
        action=Action.LEARNER_VIEWED,
        organisation_id=key.organisation_id,
        target_type="player.enrolment",
        details={
            "page": "api_enrolments",
            "api_key": key.prefix,
            "status": filters.status or "",
            "path_code": (filters.path_code or "")[:64],
        },
    )
    rows = (
        Enrolment.objects.filter(organisation_id=key.organisation_id)
        .select_related("membership__user", "membership__team", "path", "path_version")
        .order_by("-last_activity_at", "pk")
    )
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.path_code:
        rows = rows.filter(path__code=filters.path_code)
    return rows
