"""Small helpers for the accounts tests: invite Nina, read invitation links out of received
mail."""

import re
from email.message import EmailMessage

from django.conf import settings

from ancrage.accounts.actions import invite_person
from ancrage.accounts.models import Invitation, User
from ancrage.common.testing.smtp import SmtpServer
from ancrage.tenancy.models import Membership, Role, Team

LINK = re.compile(r"https?://\S+?(/accounts/invitation/[A-Za-z0-9_\-]+/)")


def invite_nina(
    actor: Membership, *, team: Team | None = None, manager: Membership | None = None
) -> Invitation:
    """Nina Neuve (nina@alpha.test) invited as a learner into the actor's organisation."""
    return invite_person(
        actor=actor,
        email="nina@alpha.test",
        name="Nina Neuve",
        team=team,
        manager=manager,
        role=Role.LEARNER,
    )


def link_path(message: EmailMessage) -> str:
    """The path of the invitation link in the plain-text body (asserting it is absolute)."""
    body = SmtpServer.text_body(message)
    match = LINK.search(body)
    assert match, body
    assert match.group(0).startswith(settings.SITE_URL)
    return match.group(1)


def counts() -> tuple[int, int, int]:
    return User.objects.count(), Membership.objects.count(), Invitation.objects.count()
