"""Writes of licensing: licences (publisher staff), seats, programmes and assignments (L&D).

Guarantees, whatever the caller (views, API, tasks, demo, commands):

- a licence moves only along the arrows of its life cycle (see `models`); any other move
  raises `LicenceError` with a sentence a person can act on, and changes nothing;
- renewal extends the same licence and records a `LicenceRenewal`: seats, enrolments and
  progress carry over; fewer seats than people already seated takes nobody's seat away,
  it only refuses new starts until seats are freed;
- a person holds at most one seat per licence, and `take_seat` never exceeds the licence's
  seats even when people start at the same moment (the licence row is locked while counting);
- programmes and assignments stay inside one organisation: every path is licensed to it and
  every team and person belongs to it (`Invalid` otherwise, naming the field);
- emails leave only after the transaction commits.
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.accounts.models import User
from ancrage.catalog.models import Module, Path, PathVersion, VersionStatus
from ancrage.licensing.emails import queue_seat_request_emails
from ancrage.licensing.entitlements import Coverage, coverage_for, day_of
from ancrage.licensing.models import (
    Assignment,
    Licence,
    LicenceItem,
    LicenceRenewal,
    LicenceStatus,
    Offer,
    OfferKind,
    OrganisationSettings,
    Programme,
    ProgrammeItem,
    Seat,
    SeatRequest,
)
from ancrage.tenancy.models import Membership, MembershipStatus, Organisation, Team


class LicenceError(Exception):
    """A licence write refused; `field` names the form field at fault, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field


class NoSeatLeft(Exception):
    def __init__(self, licence: Licence) -> None:
        super().__init__(str(licence.pk))
        self.licence = licence


class Invalid(Exception):
    """A programme or assignment write refused: `field` and a sentence to act on."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field, self.code, self.message = field, code, message


# --- Licences (publisher staff) -------------------------------------------------------


def _check_terms(starts_on: date, ends_on: date, seats: int) -> None:
    if ends_on < starts_on:
        raise LicenceError(_("The last day must be on or after the first day."), "ends_on")
    if seats < 1:
        raise LicenceError(_("A licence needs at least one seat."), "seats")


def _check_paths(offer: Offer, paths: list[Path]) -> None:
    if offer.kind == OfferKind.A_LA_CARTE and not paths:
        raise LicenceError(_("Choose at least one path for an à la carte licence."), "paths")
    if offer.kind == OfferKind.INTEGRALE and paths:
        raise LicenceError(
            _("The whole-catalogue offer covers every path: leave the list of paths empty."),
            "paths",
        )


def _locked(licence: Licence) -> Licence:
    return Licence.objects.select_for_update().select_related("offer").get(pk=licence.pk)


def _refuse_move(licence: Licence, move: str) -> LicenceError:
    """Why this licence cannot make that move, as one whole sentence per move (a past
    participle slotted into one sentence would not agree with « licence » in French)."""
    params = {"status": LicenceStatus(licence.status).label}
    if move == "activate":
        message = _("This licence cannot be activated: its status is “%(status)s”.")
    elif move == "suspend":
        message = _("This licence cannot be suspended: its status is “%(status)s”.")
    elif move == "resume":
        message = _("This licence cannot be resumed: its status is “%(status)s”.")
    else:
        message = _("This licence cannot be renewed: its status is “%(status)s”.")
    return LicenceError(message % params)


@transaction.atomic
def create_licence(
    *,
    by: User | None,
    organisation: Organisation,
    offer: Offer,
    starts_on: date,
    ends_on: date,
    seats: int,
    paths: Iterable[Path] = (),
    notes: str = "",
    activate: bool = False,
) -> Licence:
    """A new licence, as a draft (or active at once with `activate`)."""
    path_list = list(paths)
    _check_terms(starts_on, ends_on, seats)
    _check_paths(offer, path_list)
    licence = Licence.objects.create(
        organisation=organisation,
        offer=offer,
        starts_on=starts_on,
        ends_on=ends_on,
        seats=seats,
        notes=notes,
        created_by=by,
    )
    LicenceItem.objects.bulk_create(
        LicenceItem(organisation=organisation, licence=licence, path=path) for path in path_list
    )
    if activate:
        licence.status = LicenceStatus.ACTIVE
        licence.save(update_fields=["status", "updated_at"])
    return licence


@transaction.atomic
def activate_licence(*, by: User | None, licence: Licence) -> Licence:
    licence = _locked(licence)
    if licence.status != LicenceStatus.DRAFT:
        raise _refuse_move(licence, "activate")
    if licence.offer.kind == OfferKind.A_LA_CARTE and not licence.items.exists():
        raise LicenceError(_("Choose at least one path before activating this licence."))
    licence.status = LicenceStatus.ACTIVE
    licence.save(update_fields=["status", "updated_at"])
    return licence


@transaction.atomic
def suspend_licence(*, by: User | None, licence: Licence, reason: str = "") -> Licence:
    """Pause access at once (unpaid invoice, dispute…); nothing is deleted."""
    licence = _locked(licence)
    if licence.status != LicenceStatus.ACTIVE:
        raise _refuse_move(licence, "suspend")
    licence.status = LicenceStatus.SUSPENDED
    licence.suspension_reason = reason.strip()[:300]
    licence.save(update_fields=["status", "suspension_reason", "updated_at"])
    return licence


@transaction.atomic
def resume_licence(*, by: User | None, licence: Licence) -> Licence:
    licence = _locked(licence)
    if licence.status != LicenceStatus.SUSPENDED:
        raise _refuse_move(licence, "resume")
    licence.status = LicenceStatus.ACTIVE
    licence.suspension_reason = ""
    licence.save(update_fields=["status", "suspension_reason", "updated_at"])
    return licence


@transaction.atomic
def renew_licence(*, by: User | None, licence: Licence, ends_on: date, seats: int) -> Licence:
    """Extend an active or expired licence to `ends_on` with `seats`; it is active after.

    A suspended licence must be resumed first: renewing must not lift a suspension silently.
    """
    licence = _locked(licence)
    if licence.status not in (LicenceStatus.ACTIVE, LicenceStatus.EXPIRED):
        if licence.status == LicenceStatus.SUSPENDED:
            raise LicenceError(_("Resume this licence before renewing it."))
        raise _refuse_move(licence, "renew")
    if ends_on <= licence.ends_on:
        raise LicenceError(
            _("The new last day must be after the current one (%(day)s).")
            % {"day": licence.ends_on.isoformat()},
            "ends_on",
        )
    _check_terms(licence.starts_on, ends_on, seats)
    LicenceRenewal.objects.create(
        organisation_id=licence.organisation_id,
        licence=licence,
        previous_ends_on=licence.ends_on,
        ends_on=ends_on,
        previous_seats=licence.seats,
        seats=seats,
        renewed_by=by,
    )
    licence.ends_on, licence.seats, licence.status = ends_on, seats, LicenceStatus.ACTIVE
    licence.save(update_fields=["ends_on", "seats", "status", "updated_at"])
    return licence


@transaction.atomic
def set_licence_paths(*, by: User | None, licence: Licence, paths: Iterable[Path]) -> Licence:
    """Replace the paths of an à la carte licence (a client buys one more, or one fewer)."""
    licence = _locked(licence)
    path_list = list(paths)
    if licence.offer.kind != OfferKind.A_LA_CARTE:
        raise LicenceError(_("Only an à la carte licence lists its paths."), "paths")
    _check_paths(licence.offer, path_list)
    wanted = {path.pk for path in path_list}
    LicenceItem.objects.filter(licence=licence).exclude(path_id__in=wanted).delete()
    present = set(LicenceItem.objects.filter(licence=licence).values_list("path_id", flat=True))
    LicenceItem.objects.bulk_create(
        LicenceItem(organisation_id=licence.organisation_id, licence=licence, path_id=path_id)
        for path_id in wanted - present
    )
    return licence


# --- Seats ---------------------------------------------------------------------------


@transaction.atomic
def take_seat(*, membership: Membership, licence: Licence, when: datetime | None = None) -> Seat:
    """The person's seat on the licence: the one they hold, or a new one if any is left.

    Raises NoSeatLeft when every seat is held by someone else.
    """
    if membership.organisation_id != licence.organisation_id:
        raise ValueError("A seat is taken on a licence of the person's own organisation.")
    licence = _locked(licence)
    seat = Seat.objects.select_for_update().filter(licence=licence, membership=membership).first()
    if seat is not None and seat.released_at is None:
        return seat
    if Seat.objects.held().filter(licence=licence).count() >= licence.seats:
        raise NoSeatLeft(licence)
    now = when or timezone.now()
    if seat is not None:
        seat.released_at, seat.taken_at = None, now
        seat.save(update_fields=["released_at", "taken_at", "updated_at"])
        return seat
    return Seat.objects.create(
        organisation_id=licence.organisation_id,
        licence=licence,
        membership=membership,
        taken_at=now,
    )


@transaction.atomic
def release_seat(*, actor: Membership, seat: Seat) -> Seat:
    """Free a seat (someone left the organisation); their progress stays."""
    if not actor.can_manage_people or actor.organisation_id != seat.organisation_id:
        raise PermissionError
    if seat.released_at is None:
        seat.released_at = timezone.now()
        seat.save(update_fields=["released_at", "updated_at"])
    return seat


def record_seat_request(
    *, membership: Membership, path: Path, licence: Licence | None
) -> SeatRequest:
    """Tell the L&D leads that someone could not start for lack of seats (once per path)."""
    with transaction.atomic():
        open_requests = SeatRequest.objects.filter(
            membership=membership, path=path, handled_at__isnull=True
        )
        existing = open_requests.first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                request = SeatRequest.objects.create(
                    organisation_id=membership.organisation_id,
                    membership=membership,
                    path=path,
                    licence=licence,
                )
        except IntegrityError:
            found = open_requests.first()
            assert found is not None
            return found
        queue_seat_request_emails(seat_request=request)
        return request


@transaction.atomic
def handle_seat_request(*, actor: Membership, seat_request: SeatRequest) -> SeatRequest:
    if seat_request.handled_at is None:
        seat_request.handled_at = timezone.now()
        seat_request.handled_by = actor
        seat_request.save(update_fields=["handled_at", "handled_by", "updated_at"])
    return seat_request


@transaction.atomic
def set_self_enrolment(*, organisation: Organisation, allowed: bool) -> OrganisationSettings:
    settings, _created = OrganisationSettings.objects.update_or_create(
        organisation=organisation, defaults={"allow_self_enrolment": allowed}
    )
    return settings


# --- Programmes and assignments (L&D) -------------------------------------------------


@dataclass(frozen=True)
class ItemSpec:
    """One step to put in a programme: a path, or one module of it."""

    path: Path
    module_slug: str = ""


def _published_version(path: Path) -> PathVersion | None:
    return PathVersion.objects.filter(path=path, status=VersionStatus.PUBLISHED).first()


def _check_licensed(coverage: Coverage, path: Path, field: str = "path") -> None:
    if not coverage.grants(path.pk) or _published_version(path) is None:
        raise Invalid(
            field,
            "not_licensed",
            _("“%(code)s” is not covered by your organisation's licence.") % {"code": path.code},
        )


def _check_item(coverage: Coverage, spec: ItemSpec) -> None:
    _check_licensed(coverage, spec.path)
    if (
        spec.module_slug
        and not Module.objects.filter(
            version__path=spec.path, version__status=VersionStatus.PUBLISHED, slug=spec.module_slug
        ).exists()
    ):
        raise Invalid(
            "module",
            "unknown_module",
            _("The path “%(code)s” has no module “%(module)s”.")
            % {"code": spec.path.code, "module": spec.module_slug},
        )


def _check_title(organisation: Organisation, title: str, exclude: uuid.UUID | None) -> str:
    title = " ".join(title.split())
    if not title:
        raise Invalid("title", "required", _("Give the programme a title."))
    if len(title) > 200:
        raise Invalid("title", "too_long", _("Keep the title under 200 characters."))
    clash = Programme.objects.filter(organisation=organisation, title__iexact=title)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise Invalid("title", "duplicate", _("A programme with this title already exists."))
    return title


def _write_items(programme: Programme, specs: Sequence[ItemSpec], coverage: Coverage) -> None:
    seen: set[tuple[uuid.UUID, str]] = set()
    rows = []
    for order, spec in enumerate(specs):
        _check_item(coverage, spec)
        key = (spec.path.pk, spec.module_slug)
        if key in seen:
            raise Invalid("items", "duplicate", _("The same step appears twice."))
        seen.add(key)
        rows.append(
            ProgrammeItem(
                organisation_id=programme.organisation_id,
                programme=programme,
                order=order,
                path=spec.path,
                module_slug=spec.module_slug,
            )
        )
    ProgrammeItem.objects.filter(programme=programme).delete()
    ProgrammeItem.objects.bulk_create(rows)


@transaction.atomic
def create_programme(
    *,
    organisation: Organisation,
    by: Membership | None,
    title: str,
    description: str = "",
    strategic_stake: str = "",
    items: Sequence[ItemSpec] = (),
) -> Programme:
    programme = Programme.objects.create(
        organisation=organisation,
        title=_check_title(organisation, title, None),
        description=description.strip(),
        strategic_stake=strategic_stake.strip(),
        created_by=by,
    )
    if items:
        _write_items(programme, items, coverage_for(organisation.pk))
    return programme


@transaction.atomic
def update_programme(
    *,
    programme: Programme,
    title: str | None = None,
    description: str | None = None,
    strategic_stake: str | None = None,
    items: Sequence[ItemSpec] | None = None,
) -> Programme:
    """Change what is given; `items`, when given, replaces the steps in that order."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if title is not None:
        programme.title = _check_title(programme.organisation, title, programme.pk)
    if description is not None:
        programme.description = description.strip()
    if strategic_stake is not None:
        programme.strategic_stake = strategic_stake.strip()
    programme.save()
    if items is not None:
        _write_items(programme, items, coverage_for(programme.organisation_id))
    return programme


@transaction.atomic
def add_programme_item(*, programme: Programme, spec: ItemSpec) -> ProgrammeItem:
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    _check_item(coverage_for(programme.organisation_id), spec)
    if ProgrammeItem.objects.filter(
        programme=programme, path=spec.path, module_slug=spec.module_slug
    ).exists():
        raise Invalid("path", "duplicate", _("This step is already in the programme."))
    last = ProgrammeItem.objects.filter(programme=programme).aggregate(m=Max("order"))["m"]
    return ProgrammeItem.objects.create(
        organisation_id=programme.organisation_id,
        programme=programme,
        order=0 if last is None else last + 1,
        path=spec.path,
        module_slug=spec.module_slug,
    )


def _renumber(programme_id: uuid.UUID) -> list[ProgrammeItem]:
    items = list(
        ProgrammeItem.objects.filter(programme_id=programme_id).order_by("order", "created_at")
    )
    for index, item in enumerate(items):
        item.order = index
    ProgrammeItem.objects.bulk_update(items, ["order"])
    return items


@transaction.atomic
def remove_programme_item(*, item: ProgrammeItem) -> None:
    Programme.objects.select_for_update().get(pk=item.programme_id)
    item.delete()
    _renumber(item.programme_id)


@transaction.atomic
def move_programme_item(*, item: ProgrammeItem, up: bool) -> None:
    """Swap the step with the one before (`up`) or after it; at an end, nothing moves."""
    Programme.objects.select_for_update().get(pk=item.programme_id)
    items = _renumber(item.programme_id)
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(items):
        items[index].order, items[other].order = items[other].order, items[index].order
        ProgrammeItem.objects.bulk_update([items[index], items[other]], ["order"])


@transaction.atomic
def delete_programme(*, programme: Programme) -> None:
    """Delete the programme and its assignments; enrolments (progress) stay."""
    programme.delete()


@transaction.atomic
def assign(
    *,
    organisation: Organisation,
    by: Membership | None,
    programme: Programme | None = None,
    path: Path | None = None,
    team: Team | None = None,
    membership: Membership | None = None,
    include_subteams: bool = False,
    due_on: date | None = None,
    today: date | None = None,
) -> Assignment:
    """Give a programme or a path to a team or a person; assigning again updates the due date.

    A team assignment reaches whoever is in the team when it is read, including people who
    join later; with `include_subteams`, people of every team below it too.
    """
    if (programme is None) == (path is None):
        raise Invalid("target", "one_target", _("Choose a programme or a path."))
    if (team is None) == (membership is None):
        raise Invalid("audience", "one_audience", _("Choose a team or a person."))
    if programme is not None:
        if programme.organisation_id != organisation.pk:
            raise Invalid("programme", "unknown", _("This programme does not exist."))
        if not ProgrammeItem.objects.filter(programme=programme).exists():
            raise Invalid("programme", "empty", _("Add at least one path to the programme first."))
    if path is not None:
        _check_licensed(coverage_for(organisation.pk), path)
    if team is not None and team.organisation_id != organisation.pk:
        raise Invalid("team", "unknown", _("This team does not exist."))
    if membership is not None and (
        membership.organisation_id != organisation.pk
        or membership.status == MembershipStatus.DEACTIVATED
    ):
        raise Invalid("person", "unknown", _("This person is not an active member."))
    if due_on is not None and due_on < (today or day_of(None)):
        raise Invalid("due_on", "past", _("The due date is in the past."))
    assignment, _created = Assignment.objects.update_or_create(
        organisation=organisation,
        programme=programme,
        path=path,
        team=team,
        membership=membership,
        defaults={
            "include_subteams": include_subteams and team is not None,
            "due_on": due_on,
            "assigned_by": by,
        },
    )
    return assignment


@transaction.atomic
def remove_assignment(*, assignment: Assignment) -> None:
    """Take the assignment back; whatever people started stays theirs."""
    assignment.delete()
