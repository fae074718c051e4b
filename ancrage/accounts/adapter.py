"""allauth adapter: Ancrage accounts are created by invitation, never by open sign-up.

An invited person may skip the invitation link and sign in with a code sent by email:
signing in proves they own the address, so their membership becomes active then.
When their organisation makes SSO mandatory, members are turned away from passwords and
codes towards their organisation's sign-in (organisation admins keep them: break-glass).
"""

import logging
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.account.internal.stagekit import clear_login
from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from ancrage.accounts.actions import activate_invited_membership
from ancrage.accounts.models import User
from ancrage.accounts.sso.queries import break_glass_connection, sso_required_for

sso_logger = logging.getLogger("ancrage.sso")


def _refused_for_sso(request: HttpRequest, user: User, organisation_slug: str) -> None:
    """A failed sign-in in the organisation's audit log (`reason` sso_mandatory), with the
    door that was tried: `password` or `code` (what allauth recorded for this attempt)."""
    records = get_authentication_records(request, user)
    method = str(records[-1].get("method") or "password") if records else "password"
    user_login_failed.send(
        sender=__name__,
        credentials={
            "email": user.email,
            "method": method,
            "reason": "sso_mandatory",
            "sso_organisation": organisation_slug,
        },
        request=request,
    )


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def pre_login(
        self, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any
    ) -> HttpResponse | None:
        if isinstance(user, User):
            connection = sso_required_for(user)
            if connection is not None:
                _refused_for_sso(request, user, connection.organisation.slug)
                clear_login(request)
                sso_logger.warning(
                    "sso mandatory: password or code sign-in refused organisation=%s user=%s",
                    connection.organisation.slug,
                    user.pk,
                )
                messages.error(
                    request,
                    _(
                        "%(organisation)s signs in with its own account: use “Continue with "
                        "your organisation”."
                    )
                    % {"organisation": connection.organisation.name},
                )
                return redirect("sso_start")
            bypassed = break_glass_connection(user)
            if bypassed is not None:
                sso_logger.warning(
                    "sso break-glass: organisation admin signed in without SSO "
                    "organisation=%s user=%s",
                    bypassed.organisation.slug,
                    user.pk,
                )
        response: HttpResponse | None = super().pre_login(request, user, **kwargs)
        return response

    def login(self, request: HttpRequest, user: AbstractBaseUser) -> None:
        if isinstance(user, User):
            activate_invited_membership(user=user)
        super().login(request, user)
