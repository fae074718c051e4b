"""The popup sign-in of framed pages: a one-time, short-lived signed token.

The popup (a top-level window on our origin, so first-party cookies work) signs the person
in as usual, then `start_framed_sign_in` records a one-time nonce and returns it signed.
The framed page receives it by `postMessage` (sent to our own origin only) and calls
`redeem_framed_sign_in`, which accepts each nonce once, within `EMBED_SIGN_IN_SECONDS`.
"""

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.microsoft365.models import EmbedSignIn

SALT = "ancrage.microsoft365.embed-sign-in"


class FramedSignInError(Exception):
    """The token is unknown, expired or already used."""


@transaction.atomic
def start_framed_sign_in(*, user: Any, now: datetime | None = None) -> str:
    """Record a one-time sign-in for `user` and return its signed token."""
    now = now or timezone.now()
    nonce = secrets.token_urlsafe(32)
    EmbedSignIn.objects.create(
        user=user,
        nonce=nonce,
        expires_at=now + timedelta(seconds=settings.EMBED_SIGN_IN_SECONDS),
    )
    # Expired rows are of no use to anyone: drop them as we go.
    EmbedSignIn.objects.filter(expires_at__lt=now - timedelta(hours=1)).delete()
    return signing.dumps({"n": nonce}, salt=SALT)


@transaction.atomic
def redeem_framed_sign_in(*, token: str, now: datetime | None = None) -> Any:
    """The user the token signs in, once; FramedSignInError otherwise."""
    now = now or timezone.now()
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.EMBED_SIGN_IN_SECONDS)
    except signing.BadSignature as exc:
        raise FramedSignInError(_("This sign-in link is not valid any more.")) from exc
    row = (
        EmbedSignIn.objects.select_for_update()
        .select_related("user")
        .filter(nonce=str(data.get("n", "")))
        .first()
    )
    if row is None or row.used_at is not None or row.expires_at < now:
        raise FramedSignInError(_("This sign-in link is not valid any more."))
    row.used_at = now
    row.save(update_fields=["used_at", "updated_at"])
    if not row.user.is_active:
        raise FramedSignInError(_("This account is deactivated."))
    return row.user
