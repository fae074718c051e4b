"""The email to L&D leads when a learner could not start a path for lack of seats.

Recorded in the outbox (`ancrage.notify`) once per open seat request and recipient, inside the
request's transaction, and delivered after commit in each recipient's language.
"""

from django.conf import settings
from django.urls import reverse

from ancrage.catalog.models import PathVersion, VersionStatus
from ancrage.licensing.models import SeatRequest
from ancrage.notify.actions import EmailSpec, queue_emails
from ancrage.notify.models import OutboundMessage
from ancrage.tenancy.models import Membership, MembershipStatus, Role

SEAT_REQUEST_TEMPLATE = "licensing/email/seat_request"


def seat_request_recipients(seat_request: SeatRequest) -> list[Membership]:
    """The organisation's active L&D leads, or its admins when it has no L&D lead."""
    members = Membership.objects.filter(
        organisation_id=seat_request.organisation_id, status=MembershipStatus.ACTIVE
    ).select_related("user")
    for role in (Role.LD_LEAD, Role.ORG_ADMIN):
        found = sorted((m for m in members if m.role == role), key=lambda m: m.user.email)
        if found:
            return found
    return []


def queue_seat_request_emails(*, seat_request: SeatRequest) -> list[OutboundMessage]:
    """Record one email per recipient (never twice for the same request and person)."""
    learner = seat_request.membership.user
    version = (
        PathVersion.objects.filter(path_id=seat_request.path_id, status=VersionStatus.PUBLISHED)
        .only("title")
        .first()
    )
    licence = seat_request.licence
    context = {
        "learner": learner.get_full_name(),
        "learner_email": learner.email,
        "path": version.title if version else seat_request.path.code,
        "organisation": seat_request.membership.organisation.name,
        "seats": licence.seats if licence else None,
        "link": settings.SITE_URL + reverse("licensing_seat_requests"),
    }
    specs = [
        EmailSpec(
            to=recipient,
            template=SEAT_REQUEST_TEMPLATE,
            context=context,
            idempotency_key=f"seat-request:{seat_request.pk}:{recipient.pk}",
            extra={"reply_to": learner.email},
        )
        for recipient in seat_request_recipients(seat_request)
    ]
    return queue_emails(
        organisation=seat_request.membership.organisation,
        specs=specs,
        source=f"seat-request:{seat_request.pk}",
    )
