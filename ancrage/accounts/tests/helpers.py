"""Small helpers for the accounts tests: read invitation links out of received mail."""

import re
from email.message import EmailMessage

from django.conf import settings

from ancrage.accounts.models import Invitation, User
from ancrage.common.testing.smtp import SmtpServer
from ancrage.tenancy.models import Membership

LINK = re.compile(r"https?://\S+?(/accounts/invitation/[A-Za-z0-9_\-]+/)")


def link_path(message: EmailMessage) -> str:
    """The path of the invitation link in the plain-text body (asserting it is absolute)."""
    body = SmtpServer.text_body(message)
    match = LINK.search(body)
    assert match, body
    assert match.group(0).startswith(settings.SITE_URL)
    return match.group(1)


def counts() -> tuple[int, int, int]:
    return User.objects.count(), Membership.objects.count(), Invitation.objects.count()
