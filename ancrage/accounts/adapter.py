"""allauth adapter: Ancrage accounts are created by invitation, never by open sign-up.

An invited person may skip the invitation link and sign in with a code sent by email:
signing in proves they own the address, so their membership becomes active then.
"""

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from ancrage.accounts.actions import activate_invited_membership
from ancrage.accounts.models import User


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def login(self, request: HttpRequest, user: AbstractBaseUser) -> None:
        if isinstance(user, User):
            activate_invited_membership(user=user)
        super().login(request, user)
