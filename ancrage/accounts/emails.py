"""The invitation email, recorded in the outbox like every outbound message (`ancrage.notify`).

The secret token is created at delivery time (`invitation_secrets`, called by notify at each
attempt) and only its hash is saved: the raw token never sits in the database, not in the
outbox payload nor in the task queue. Each delivery attempt issues a new token, so only the
link of the email that really left works; asking again (resend) records a new message.
"""

import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ancrage.accounts.models import Invitation, new_invitation_token
from ancrage.notify.actions import EmailSpec, queue_emails
from ancrage.notify.models import OutboundMessage

INVITATION_TEMPLATE = "accounts/email/invitation"


class InvitationClosed(Exception):
    """The invitation was accepted or revoked before its email left: nothing to send."""


def invitation_link(token: str) -> str:
    return settings.SITE_URL + reverse("accept_invitation", args=[token])


def queue_invitation_email(*, invitation: Invitation, language: str) -> OutboundMessage:
    """Record the invitation email (one per call); it is delivered after the caller commits."""
    user = invitation.membership.user
    inviter = invitation.invited_by
    extra: dict[str, Any] = {
        "secret_context": "ancrage.accounts.emails.invitation_secrets",
        "invitation_id": str(invitation.pk),
    }
    if inviter is not None:
        extra["reply_to"] = inviter.email
    spec = EmailSpec(
        to=invitation.membership,
        template=INVITATION_TEMPLATE,
        context={
            "name": user.name or user.email,
            "organisation": invitation.organisation.name,
            "inviter": inviter.get_full_name() if inviter is not None else "",
            "login_link": settings.SITE_URL + reverse("account_login"),
            "email": user.email,
        },
        idempotency_key=f"invitation:{invitation.pk}:{uuid.uuid4().hex}",
        language=language,
        extra=extra,
    )
    (outbound,) = queue_emails(
        organisation=invitation.organisation, specs=[spec], source=f"invitation:{invitation.pk}"
    )
    return outbound


def invitation_secrets(outbound: OutboundMessage) -> dict[str, Any]:
    """Issue a new link for the still-open invitation of this message (at delivery time)."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .open()
            .filter(pk=outbound.payload.get("invitation_id"))
            .first()
        )
        if invitation is None:
            raise InvitationClosed("The invitation was accepted or withdrawn: nothing to send.")
        token, token_hash = new_invitation_token()
        invitation.token_hash = token_hash
        invitation.expires_at = Invitation.default_expiry()
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["token_hash", "expires_at", "sent_at", "updated_at"])
    return {"link": invitation_link(token), "expires_at": invitation.expires_at}
