"""The invitation email: what it says, and its delivery with a freshly issued link.

The secret token is created here, at sending time, and only its hash is saved: the raw
token never sits in the database, not even in the task queue's arguments. Sending again
issues a new token, so only the newest link works.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from ancrage.accounts.models import Invitation, new_invitation_token


def invitation_link(token: str) -> str:
    return settings.SITE_URL + reverse("accept_invitation", args=[token])


def invitation_message(invitation: Invitation, token: str, language: str) -> EmailMultiAlternatives:
    """The email for this invitation in `language`, plain text with an HTML alternative."""
    user = invitation.membership.user
    inviter = invitation.invited_by
    context = {
        "name": user.name or user.email,
        "organisation": invitation.organisation.name,
        "inviter": inviter.get_full_name() if inviter is not None else "",
        "link": invitation_link(token),
        "login_link": settings.SITE_URL + reverse("account_login"),
        "expires_at": invitation.expires_at,
        "email": user.email,
    }
    with translation.override(language):
        subject = " ".join(
            render_to_string("accounts/email/invitation_subject.txt", context).split()
        )
        text = render_to_string("accounts/email/invitation_message.txt", context)
        html = render_to_string("accounts/email/invitation_message.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        reply_to=[inviter.email] if inviter is not None else None,
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    return message


def deliver_invitation(*, invitation_id: str, language: str) -> bool:
    """Issue a new link for an open invitation and email it; False if it is no longer open."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().open().filter(pk=invitation_id).first()
        if invitation is None:
            return False
        token, token_hash = new_invitation_token()
        invitation.token_hash = token_hash
        invitation.expires_at = Invitation.default_expiry()
        invitation.save(update_fields=["token_hash", "expires_at", "updated_at"])
    invitation = Invitation.objects.select_related(
        "organisation", "membership__user", "invited_by"
    ).get(pk=invitation.pk)
    invitation_message(invitation, token, language).send()
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
    return True
