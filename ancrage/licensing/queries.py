"""Reads of licensing, and the access_* helpers: the one door to licences, programmes,
assignments and seat requests.

Client-side helpers take the acting Membership and scope every lookup to its organisation
(and to L&D leads and organisation admins where the row is theirs to manage); publisher-side
helpers take the user and require publisher staff. Anything outside answers Http404, the
same as "does not exist", so ids cannot be probed.

The learner home (`learner_dashboard`) runs a fixed number of queries whatever the number
of assignments, programmes and enrolments.
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ancrage.catalog.models import Module, Path, PathVersion, VersionStatus
from ancrage.licensing.entitlements import Coverage, Refusal, coverage_for
from ancrage.licensing.models import (
    Assignment,
    Licence,
    LicenceStatus,
    OfferKind,
    OrganisationSettings,
    Programme,
    ProgrammeItem,
    Seat,
    SeatRequest,
)
from ancrage.player.models import Enrolment, EnrolmentStatus
from ancrage.tenancy.models import Membership, Organisation, Team

ACTIVE_WINDOW = timedelta(days=30)


def _uuid_or_404(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def _require_ld(actor: Membership) -> None:
    if not actor.can_manage_people:
        raise Http404


# --- Settings ----------------------------------------------------------------------------


def organisation_settings(organisation: Organisation) -> OrganisationSettings:
    """The organisation's settings, or the defaults (unsaved) when none were chosen yet."""
    found = OrganisationSettings.objects.filter(organisation=organisation).first()
    return found or OrganisationSettings(organisation=organisation)


def self_enrolment_allowed(organisation_id: uuid.UUID) -> bool:
    value = (
        OrganisationSettings.objects.filter(organisation_id=organisation_id)
        .values_list("allow_self_enrolment", flat=True)
        .first()
    )
    return True if value is None else value


# --- Catalogue as licensed ----------------------------------------------------------------


def access_learner_path(code: str) -> Path:
    """A catalogue path that learners can know of (published or retired); 404 otherwise.

    Whether this person may open it is the entitlement's answer, not this door's: a path
    outside the licence is shown as a polite refusal, an unknown code as 404.
    """
    path = (
        Path.objects.filter(
            code=code, versions__status__in=(VersionStatus.PUBLISHED, VersionStatus.RETIRED)
        )
        .distinct()
        .first()
    )
    if path is None:
        raise Http404
    return path


@dataclass(frozen=True)
class CatalogueEntry:
    path: Path
    version: PathVersion
    enrolment: Enrolment | None = None
    assigned: bool = False

    @property
    def status(self) -> str:
        return self.enrolment.status if self.enrolment else ""


def licensed_versions(coverage: Coverage) -> "QuerySet[PathVersion]":
    """Published versions of the paths the coverage grants now."""
    versions = PathVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related(
        "path__theme"
    )
    if not coverage.whole_catalogue:
        versions = versions.filter(path_id__in=coverage.path_ids)
    return versions.order_by("path__theme__title", "title")


def licensed_catalogue(
    membership: Membership, coverage: Coverage | None = None
) -> list[CatalogueEntry]:
    """What the organisation's licences cover now, with this person's status on each."""
    coverage = coverage or coverage_for(membership.organisation_id)
    versions = list(licensed_versions(coverage))
    enrolments = {
        e.path_id: e
        for e in Enrolment.objects.filter(
            membership=membership, path_id__in=[v.path_id for v in versions]
        )
    }
    assigned = assigned_path_ids(membership)
    return [
        CatalogueEntry(
            path=v.path,
            version=v,
            enrolment=enrolments.get(v.path_id),
            assigned=v.path_id in assigned,
        )
        for v in versions
    ]


@dataclass(frozen=True)
class MemberOffer:
    """What the licence offers one member, as the catalogue page shows it: their standing on
    each covered path (keyed by path id), why nothing is open if so, whether they may start
    a path themselves, and — for L&D leads and organisation admins — the licences' seat use."""

    entries: dict[uuid.UUID, CatalogueEntry]
    whole_catalogue: bool
    refusal: Refusal | None
    self_enrolment: bool
    is_ld: bool
    licences: list["LicenceUse"] = field(default_factory=list)


def member_offer(membership: Membership) -> MemberOffer:
    coverage = coverage_for(membership.organisation_id)
    is_ld = membership.can_manage_people
    return MemberOffer(
        entries={e.path.pk: e for e in licensed_catalogue(membership, coverage)},
        whole_catalogue=coverage.whole_catalogue,
        refusal=coverage.overall_refusal(),
        self_enrolment=organisation_settings(membership.organisation).allow_self_enrolment,
        is_ld=is_ld,
        licences=licences_of(membership.organisation_id) if is_ld else [],
    )


# --- Assignments as the learner sees them -----------------------------------------------


def team_ancestor_ids(membership: Membership) -> list[uuid.UUID]:
    """The person's team's ancestors (parent, grand-parent…), in one query."""
    if membership.team_id is None:
        return []
    parents = dict(
        Team.objects.filter(organisation_id=membership.organisation_id).values_list(
            "id", "parent_id"
        )
    )
    ancestors: list[uuid.UUID] = []
    node = parents.get(membership.team_id)
    while node is not None and node not in ancestors and node != membership.team_id:
        ancestors.append(node)
        node = parents.get(node)
    return ancestors


def assignments_for(membership: Membership) -> "QuerySet[Assignment]":
    """Every assignment that reaches this person now: theirs, their team's, and those of
    teams above theirs given with sub-teams. Resolved at read time, so newcomers get them."""
    reach = Q(membership=membership)
    if membership.team_id is not None:
        reach |= Q(team_id=membership.team_id)
        ancestors = team_ancestor_ids(membership)
        if ancestors:
            reach |= Q(include_subteams=True, team_id__in=ancestors)
    return Assignment.objects.filter(organisation_id=membership.organisation_id).filter(reach)


def assigned_path_ids(membership: Membership) -> set[uuid.UUID]:
    """Paths that reach the person through an assignment, directly or in a programme."""
    ids: set[uuid.UUID] = set()
    programme_ids: list[uuid.UUID] = []
    for path_id, programme_id in assignments_for(membership).values_list("path_id", "programme_id"):
        if path_id is not None:
            ids.add(path_id)
        else:
            programme_ids.append(programme_id)
    if programme_ids:
        ids |= set(
            ProgrammeItem.objects.filter(programme_id__in=programme_ids).values_list(
                "path_id", flat=True
            )
        )
    return ids


@dataclass
class PathEntry:
    """One path (or one module of it) on the learner home."""

    path: Path
    title: str
    promise_minutes: int
    enrolment: Enrolment | None = None
    due_on: date | None = None
    module_title: str = ""
    available: bool = True
    today: date = date.min

    @property
    def status(self) -> str:
        if self.enrolment is None:
            return "assigned"
        return self.enrolment.status

    @property
    def is_completed(self) -> bool:
        return self.status == EnrolmentStatus.COMPLETED

    @property
    def overdue(self) -> bool:
        return self.due_on is not None and self.due_on < self.today and not self.is_completed


@dataclass
class ProgrammeEntry:
    programme: Programme
    due_on: date | None
    steps: list[PathEntry] = field(default_factory=list)

    @property
    def completed_count(self) -> int:
        return sum(1 for step in self.steps if step.is_completed)


@dataclass
class Dashboard:
    today: date
    programmes: list[ProgrammeEntry]
    assigned: list[PathEntry]
    in_progress: list[PathEntry]
    completed: list[PathEntry]
    licence_refusal: Refusal | None

    @property
    def is_empty(self) -> bool:
        return not (self.programmes or self.assigned or self.in_progress or self.completed)


def _earliest(a: date | None, b: date | None) -> date | None:
    return b if a is None else a if b is None else min(a, b)


def learner_dashboard(membership: Membership, today: date | None = None) -> Dashboard:
    """Programmes and paths assigned to the person, and what they started or finished.

    At most eight queries, whatever the number of assignments: teams (for sub-team
    assignments), assignments, programme steps, enrolments, published versions, modules
    (only for module steps), and the two of the licence coverage (the second only for
    à la carte licences).
    """
    day = today or timezone.localdate()
    assignments = list(assignments_for(membership).select_related("programme", "path"))
    programme_due: dict[uuid.UUID, date | None] = {}
    programmes: dict[uuid.UUID, Programme] = {}
    path_due: dict[uuid.UUID, date | None] = {}
    for assignment in assignments:
        if assignment.programme is not None:
            pid = assignment.programme.pk
            programmes[pid] = assignment.programme
            programme_due[pid] = _earliest(programme_due.get(pid), assignment.due_on)
        elif assignment.path_id is not None:
            path_due[assignment.path_id] = _earliest(
                path_due.get(assignment.path_id), assignment.due_on
            )

    items: list[ProgrammeItem] = []
    if programmes:
        items = list(
            ProgrammeItem.objects.filter(programme_id__in=programmes).order_by(
                "programme_id", "order", "created_at"
            )
        )
    enrolments = {
        e.path_id: e
        for e in Enrolment.objects.filter(membership=membership).select_related(
            "path", "path_version"
        )
    }
    path_ids = set(path_due) | {item.path_id for item in items}
    published = {
        v.path_id: v
        for v in PathVersion.objects.filter(
            path_id__in=path_ids, status=VersionStatus.PUBLISHED
        ).select_related("path")
    }
    module_titles: dict[tuple[uuid.UUID, str], str] = {}
    module_slugs = {item.module_slug for item in items if item.module_slug}
    if module_slugs:
        for version_path_id, slug, title in Module.objects.filter(
            version__in=list(published.values()), slug__in=module_slugs
        ).values_list("version__path_id", "slug", "title"):
            module_titles[(version_path_id, slug)] = title
    coverage = coverage_for(membership.organisation_id, day)

    def entry(path_id: uuid.UUID, due_on: date | None, module_slug: str = "") -> PathEntry | None:
        enrolment = enrolments.get(path_id)
        version = enrolment.path_version if enrolment else published.get(path_id)
        if version is None:  # a draft-only or withdrawn path, not started: nothing to show
            return None
        path = enrolment.path if enrolment else published[path_id].path
        return PathEntry(
            path=path,
            title=version.title,
            promise_minutes=version.promise_minutes,
            enrolment=enrolment,
            due_on=due_on,
            module_title=module_titles.get((path_id, module_slug), "") if module_slug else "",
            available=coverage.licence_refusal(path_id)[0] is None,
            today=day,
        )

    programme_entries: list[ProgrammeEntry] = []
    steps_by_programme: dict[uuid.UUID, list[ProgrammeItem]] = defaultdict(list)
    for item in items:
        steps_by_programme[item.programme_id].append(item)
    for pid, programme in programmes.items():
        programme_entry = ProgrammeEntry(programme=programme, due_on=programme_due[pid])
        for item in steps_by_programme[pid]:
            step = entry(item.path_id, programme_due[pid], item.module_slug)
            if step is not None:
                programme_entry.steps.append(step)
        programme_entries.append(programme_entry)
    programme_entries.sort(key=lambda p: (p.due_on or date.max, p.programme.title))

    assigned = [
        e
        for path_id, due in path_due.items()
        if path_id not in enrolments and (e := entry(path_id, due)) is not None
    ]
    assigned.sort(key=lambda e: (e.due_on or date.max, e.title))
    started = [
        e
        for path_id, enrolment in enrolments.items()
        if (e := entry(path_id, path_due.get(path_id))) is not None
    ]
    in_progress = sorted(
        (e for e in started if e.status == EnrolmentStatus.STARTED),
        key=lambda e: e.enrolment.last_activity_at if e.enrolment else timezone.now(),
        reverse=True,
    )
    completed = sorted(
        (e for e in started if e.status == EnrolmentStatus.COMPLETED),
        key=lambda e: (
            e.enrolment.completed_at or e.enrolment.last_activity_at
            if e.enrolment
            else timezone.now()
        ),
        reverse=True,
    )
    return Dashboard(
        today=day,
        programmes=programme_entries,
        assigned=assigned,
        in_progress=in_progress,
        completed=completed,
        licence_refusal=coverage.overall_refusal(),
    )


# --- L&D: programmes, assignments, seat requests -----------------------------------------


def programmes_of(actor: Membership) -> "QuerySet[Programme]":
    if not actor.can_manage_people:
        return Programme.objects.none()
    return (
        Programme.objects.filter(organisation_id=actor.organisation_id)
        .annotate(
            step_count=Count("items", distinct=True),
            assignment_count=Count("assignments", distinct=True),
        )
        .order_by("title")
    )


def access_programme(actor: Membership, programme_id: Any) -> Programme:
    _require_ld(actor)
    try:
        return Programme.objects.get(
            organisation_id=actor.organisation_id, pk=_uuid_or_404(programme_id)
        )
    except Programme.DoesNotExist as exc:
        raise Http404 from exc


def access_programme_item(actor: Membership, programme: Programme, item_id: Any) -> ProgrammeItem:
    _require_ld(actor)
    try:
        return ProgrammeItem.objects.get(
            organisation_id=actor.organisation_id, programme=programme, pk=_uuid_or_404(item_id)
        )
    except ProgrammeItem.DoesNotExist as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class StepRow:
    item: ProgrammeItem
    title: str
    module_title: str
    licensed: bool


def programme_steps(programme: Programme, coverage: Coverage) -> list[StepRow]:
    """The programme's steps with the titles of the current published versions."""
    items = list(
        ProgrammeItem.objects.filter(programme=programme)
        .select_related("path")
        .order_by("order", "created_at")
    )
    versions = {
        v.path_id: v
        for v in PathVersion.objects.filter(
            path_id__in=[i.path_id for i in items], status=VersionStatus.PUBLISHED
        )
    }
    modules = {
        (m.version_id, m.slug): m.title
        for m in Module.objects.filter(
            version__in=list(versions.values()), slug__in={i.module_slug for i in items}
        )
    }
    rows = []
    for item in items:
        version = versions.get(item.path_id)
        rows.append(
            StepRow(
                item=item,
                title=version.title if version else item.path.code,
                module_title=modules.get((version.pk, item.module_slug), item.module_slug)
                if version and item.module_slug
                else "",
                licensed=version is not None and coverage.grants(item.path_id),
            )
        )
    return rows


def assignments_of(actor: Membership) -> "QuerySet[Assignment]":
    if not actor.can_manage_people:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(organisation_id=actor.organisation_id)
        .select_related("programme", "path", "team", "membership__user", "assigned_by__user")
        .order_by("-created_at")
    )


def access_assignment(actor: Membership, assignment_id: Any) -> Assignment:
    try:
        return assignments_of(actor).get(pk=_uuid_or_404(assignment_id))
    except Assignment.DoesNotExist as exc:
        raise Http404 from exc


def path_titles(path_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Title of the current published version of each path (one query)."""
    return dict(
        PathVersion.objects.filter(
            path_id__in=path_ids, status=VersionStatus.PUBLISHED
        ).values_list("path_id", "title")
    )


def open_seat_requests(actor: Membership) -> "QuerySet[SeatRequest]":
    if not actor.can_manage_people:
        return SeatRequest.objects.none()
    return (
        SeatRequest.objects.filter(organisation_id=actor.organisation_id, handled_at__isnull=True)
        .select_related("membership__user", "membership__team", "path", "licence")
        .order_by("-created_at")
    )


def access_seat_request(actor: Membership, request_id: Any) -> SeatRequest:
    _require_ld(actor)
    try:
        return SeatRequest.objects.get(
            organisation_id=actor.organisation_id, pk=_uuid_or_404(request_id)
        )
    except SeatRequest.DoesNotExist as exc:
        raise Http404 from exc


def access_seat(actor: Membership, seat_id: Any) -> Seat:
    _require_ld(actor)
    try:
        return Seat.objects.select_related("membership__user").get(
            organisation_id=actor.organisation_id, pk=_uuid_or_404(seat_id)
        )
    except Seat.DoesNotExist as exc:
        raise Http404 from exc


def held_seats(actor: Membership, licence: Licence) -> "QuerySet[Seat]":
    _require_ld(actor)
    return (
        Seat.objects.held()
        .filter(organisation_id=actor.organisation_id, licence=licence)
        .select_related("membership__user", "membership__team")
        .order_by("membership__user__name")
    )


def seats_used(licences: Iterable[Licence]) -> dict[uuid.UUID, int]:
    """Seats held on each licence (one query)."""
    return dict(
        Seat.objects.held()
        .filter(licence__in=list(licences))
        .values("licence_id")
        .annotate(n=Count("pk"))
        .values_list("licence_id", "n")
    )


@dataclass(frozen=True)
class LicenceUse:
    licence: Licence
    seats_used: int
    state: str

    @property
    def seats_left(self) -> int:
        return max(self.licence.seats - self.seats_used, 0)


def licences_of(organisation_id: uuid.UUID, day: date | None = None) -> list[LicenceUse]:
    """The organisation's licences (drafts excluded) with their seat use, for its L&D lead."""
    day = day or timezone.localdate()
    licences = (
        Licence.objects.filter(organisation_id=organisation_id)
        .exclude(status=LicenceStatus.DRAFT)
        .select_related("offer", "organisation")
        .order_by("-ends_on")
    )
    used = seats_used(licences)
    return [LicenceUse(lic, used.get(lic.pk, 0), lic.state_on(day)) for lic in licences]


def access_own_licence(actor: Membership, licence_id: Any) -> Licence:
    _require_ld(actor)
    try:
        return (
            Licence.objects.exclude(status=LicenceStatus.DRAFT)
            .select_related("offer")
            .get(organisation_id=actor.organisation_id, pk=_uuid_or_404(licence_id))
        )
    except Licence.DoesNotExist as exc:
        raise Http404 from exc


# --- Publisher staff: licences and what is used --------------------------------------------


def _require_publisher(user: Any) -> None:
    if not getattr(user, "is_publisher_staff", False):
        raise Http404


@dataclass(frozen=True)
class ClientUse:
    organisation: Organisation
    licences: list[LicenceUse]
    active_learners: int
    completions: int


def clients_overview(user: Any, day: date | None = None) -> list[ClientUse]:
    """Every client with its licences, seats used, active learners (30 days) and completions.

    Four queries whatever the number of clients.
    """
    _require_publisher(user)
    day = day or timezone.localdate()
    licences = list(
        Licence.objects.select_related("offer", "organisation").order_by(
            "organisation__name", "-ends_on"
        )
    )
    used = seats_used(licences)
    since = timezone.now() - ACTIVE_WINDOW
    active = dict(
        Enrolment.objects.filter(last_activity_at__gte=since)
        .values("organisation_id")
        .annotate(n=Count("membership_id", distinct=True))
        .values_list("organisation_id", "n")
    )
    done = dict(
        Enrolment.objects.filter(status=EnrolmentStatus.COMPLETED)
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("organisation_id", "n")
    )
    clients: dict[uuid.UUID, ClientUse] = {}
    for lic in licences:
        org = lic.organisation
        if org.pk not in clients:
            clients[org.pk] = ClientUse(org, [], active.get(org.pk, 0), done.get(org.pk, 0))
        clients[org.pk].licences.append(LicenceUse(lic, used.get(lic.pk, 0), lic.state_on(day)))
    return list(clients.values())


def access_licence(user: Any, licence_id: Any) -> Licence:
    _require_publisher(user)
    try:
        return Licence.objects.select_related("offer", "organisation").get(
            pk=_uuid_or_404(licence_id)
        )
    except Licence.DoesNotExist as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class PathUse:
    path: Path
    title: str
    learners: int
    active_learners: int
    completions: int


def path_use(licence: Licence) -> list[PathUse]:
    """Per covered path: learners who started, active in 30 days, completions — including
    the paths nobody uses (what is used and what is not). Three queries."""
    if licence.offer.kind == OfferKind.INTEGRALE:
        versions = PathVersion.objects.filter(status=VersionStatus.PUBLISHED)
    else:
        versions = PathVersion.objects.filter(
            path__licence_items__licence=licence,
            status__in=(VersionStatus.PUBLISHED, VersionStatus.RETIRED),
        ).order_by("path_id", "-number")
    titles: dict[uuid.UUID, tuple[Path, str]] = {}
    for version in versions.select_related("path"):
        titles.setdefault(version.path_id, (version.path, version.title))
    if licence.offer.kind == OfferKind.A_LA_CARTE:
        for path in Path.objects.filter(licence_items__licence=licence):
            titles.setdefault(path.pk, (path, path.code))
    since = timezone.now() - ACTIVE_WINDOW
    stats: dict[uuid.UUID, dict[str, Any]] = {
        row["path_id"]: dict(row)
        for row in Enrolment.objects.filter(
            organisation_id=licence.organisation_id, path_id__in=titles
        )
        .values("path_id")
        .annotate(
            learners=Count("membership_id", distinct=True),
            active=Count("membership_id", distinct=True, filter=Q(last_activity_at__gte=since)),
            done=Count("pk", filter=Q(status=EnrolmentStatus.COMPLETED)),
        )
    }
    rows = [
        PathUse(
            path=path,
            title=title,
            learners=stats.get(path_id, {}).get("learners", 0),
            active_learners=stats.get(path_id, {}).get("active", 0),
            completions=stats.get(path_id, {}).get("done", 0),
        )
        for path_id, (path, title) in titles.items()
    ]
    return sorted(rows, key=lambda r: (-r.learners, r.title))
