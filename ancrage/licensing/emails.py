"""The email to L&D leads when a learner could not start a path for lack of seats.

Sent once per open seat request, after commit, from a task; plain text with an HTML
alternative, in the organisation's language (French by default). Delivery goes through
Django's mailer until the `notify` app takes outbound messages over.
"""

import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from ancrage.catalog.models import PathVersion, VersionStatus
from ancrage.licensing.models import SeatRequest
from ancrage.tenancy.models import Membership, MembershipStatus, Role


def seat_request_recipients(organisation_id: uuid.UUID) -> list[str]:
    """The organisation's active L&D leads, or its admins when it has no L&D lead."""
    members = Membership.objects.filter(
        organisation_id=organisation_id, status=MembershipStatus.ACTIVE
    ).select_related("user")
    for role in (Role.LD_LEAD, Role.ORG_ADMIN):
        emails = sorted(m.user.email for m in members if m.role == role)
        if emails:
            return emails
    return []


def seat_request_message(seat_request: SeatRequest, language: str) -> EmailMultiAlternatives:
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
    with translation.override(language):
        subject = " ".join(
            render_to_string("licensing/email/seat_request_subject.txt", context).split()
        )
        text = render_to_string("licensing/email/seat_request_message.txt", context)
        html = render_to_string("licensing/email/seat_request_message.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=seat_request_recipients(seat_request.organisation_id),
        reply_to=[learner.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    return message


def deliver_seat_request(*, seat_request_id: str, language: str) -> bool:
    """Email the L&D leads about an open seat request; False when there is nothing to send."""
    seat_request = (
        SeatRequest.objects.select_related(
            "membership__user", "membership__organisation", "path", "licence"
        )
        .filter(pk=seat_request_id, handled_at__isnull=True)
        .first()
    )
    if seat_request is None:
        return False
    message = seat_request_message(seat_request, language)
    if not message.to:
        return False
    message.send()
    return True
