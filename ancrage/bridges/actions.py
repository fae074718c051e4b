"""Writing foundation programmes and learners' requests for them.

A request (or a click on the registration link) is recorded once per learner and
programme; a request tells the organisation's L&D leads by email (through notify, after
commit; admins when there is no L&D lead). Refusals a person can fix are `BridgeError`s
naming the field; acting without the right raises `PermissionDenied`.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ancrage.bridges.models import (
    FoundationProgramme,
    FoundationRequest,
    ProgrammeFormat,
    RequestKind,
    RequestStatus,
)
from ancrage.bridges.queries import finished_path_ids, path_title
from ancrage.catalog.models import Path
from ancrage.notify import actions as notify
from ancrage.tenancy.models import Membership, MembershipStatus, Role


class BridgeError(Exception):
    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class ProgrammeInput:
    path: Path
    title: str
    format: str
    duration: str
    facilitator: str = ""
    description: str = ""
    registration_url: str = ""
    accepts_requests: bool = True
    active: bool = True


def _check(
    organisation_id: uuid.UUID, data: ProgrammeInput, exclude: uuid.UUID | None = None
) -> None:
    if not data.title.strip():
        raise BridgeError(_("Give the programme a title."), "title")
    if data.format not in ProgrammeFormat.values:
        raise BridgeError(_("Choose in person, remote or hybrid."), "format")
    if not data.duration.strip():
        raise BridgeError(_("Say how long it lasts, for example « 3 days »."), "duration")
    if not data.registration_url and not data.accepts_requests:
        raise BridgeError(
            _("Give a registration link or let learners ask you for a place."),
            "registration_url",
        )
    same = FoundationProgramme.objects.filter(
        organisation_id=organisation_id, path=data.path, title=data.title.strip()
    )
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise BridgeError(_("This path already points to a programme with this title."), "title")


def _apply(programme: FoundationProgramme, data: ProgrammeInput) -> None:
    programme.path = data.path
    programme.title = data.title.strip()
    programme.format = data.format
    programme.duration = data.duration.strip()
    programme.facilitator = data.facilitator.strip()
    programme.description = data.description.strip()
    programme.registration_url = data.registration_url.strip()
    programme.accepts_requests = data.accepts_requests
    programme.active = data.active


@transaction.atomic
def create_programme(*, by: Membership, data: ProgrammeInput) -> FoundationProgramme:
    if not by.can_manage_people:
        raise PermissionDenied
    _check(by.organisation_id, data)
    programme = FoundationProgramme(organisation_id=by.organisation_id, created_by=by)
    _apply(programme, data)
    programme.save()
    return programme


@transaction.atomic
def update_programme(
    *, by: Membership, programme: FoundationProgramme, data: ProgrammeInput
) -> FoundationProgramme:
    if not by.can_manage_people or by.organisation_id != programme.organisation_id:
        raise PermissionDenied
    _check(programme.organisation_id, data, programme.pk)
    _apply(programme, data)
    programme.save()
    return programme


def _require_finisher(learner: Membership, programme: FoundationProgramme) -> None:
    if (
        learner.organisation_id != programme.organisation_id
        or not programme.active
        or programme.path_id not in finished_path_ids(learner)
    ):
        raise PermissionDenied(_("This programme follows a path you have not finished."))


@transaction.atomic
def request_place(
    *, learner: Membership, programme: FoundationProgramme, message: str = ""
) -> FoundationRequest:
    """A learner who finished the path asks the L&D lead for a place (once)."""
    _require_finisher(learner, programme)
    if not programme.accepts_requests:
        raise BridgeError(_("This programme takes registrations through its link only."))
    if len(message) > 1000:
        raise BridgeError(_("Keep your message to 1,000 characters."), "message")
    existing = FoundationRequest.objects.filter(programme=programme, learner=learner).first()
    if existing is not None and existing.kind == RequestKind.REQUEST:
        return existing
    if existing is not None:  # they opened the link first, then asked: the request wins
        existing.kind = RequestKind.REQUEST
        existing.message = message.strip()
        existing.save(update_fields=["kind", "message", "updated_at"])
        request = existing
    else:
        request = FoundationRequest.objects.create(
            organisation_id=programme.organisation_id,
            programme=programme,
            learner=learner,
            kind=RequestKind.REQUEST,
            message=message.strip(),
        )
    _tell_ld_leads(request)
    return request


def _tell_ld_leads(request: FoundationRequest) -> None:
    organisation = request.programme.organisation
    people = Membership.objects.filter(organisation=organisation, status=MembershipStatus.ACTIVE)
    leads = list(people.filter(role=Role.LD_LEAD).select_related("user", "organisation"))
    if not leads:
        leads = list(people.filter(role=Role.ORG_ADMIN).select_related("user", "organisation"))
    learner = request.learner
    title = path_title(request.programme.path_id, request.programme.path.code)
    specs = []
    for lead in leads:
        language = getattr(lead.user, "language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            subject = _("%(name)s asks for a place in « %(programme)s »") % {
                "name": learner.user.name or learner.user.email,
                "programme": request.programme.title,
            }
            paragraphs = [
                _(
                    "%(name)s finished the path « %(path)s » and asks for a place in the "
                    "programme « %(programme)s » (%(duration)s)."
                )
                % {
                    "name": learner.user.name or learner.user.email,
                    "path": title,
                    "programme": request.programme.title,
                    "duration": request.programme.duration,
                },
            ]
            if request.message:
                paragraphs.append(
                    _("Their message: « %(message)s »") % {"message": request.message}
                )
            paragraphs.append(_("Answer them, then mark the request as handled."))
            link_label = _("Open the requests")
        specs.append(
            notify.EmailSpec(
                to=lead,
                template="notify/email/message",
                context={
                    "subject": subject,
                    "paragraphs": paragraphs,
                    "link": settings.SITE_URL + reverse("bridges_requests"),
                    "link_label": link_label,
                },
                idempotency_key=f"foundation-request:{request.pk}:{lead.pk}",
                language=language,
                subject=subject,
            )
        )
    notify.queue_emails(
        organisation=organisation, specs=specs, source=f"foundation-request:{request.pk}"
    )


@transaction.atomic
def record_registration_click(
    *, learner: Membership, programme: FoundationProgramme
) -> FoundationRequest:
    """The learner opens the registration link: counted once, unless they already asked."""
    _require_finisher(learner, programme)
    if not programme.registration_url:
        raise BridgeError(_("This programme has no registration link."))
    request, _created = FoundationRequest.objects.get_or_create(
        programme=programme,
        learner=learner,
        defaults={
            "organisation_id": programme.organisation_id,
            "kind": RequestKind.REGISTRATION_LINK,
        },
    )
    return request


@transaction.atomic
def mark_handled(
    *, request: FoundationRequest, by: Membership, now: datetime | None = None
) -> FoundationRequest:
    if not by.can_manage_people or by.organisation_id != request.organisation_id:
        raise PermissionDenied
    if request.status != RequestStatus.HANDLED:
        request.status = RequestStatus.HANDLED
        request.handled_by = by
        request.handled_at = now or timezone.now()
        request.save(update_fields=["status", "handled_by", "handled_at", "updated_at"])
    return request
