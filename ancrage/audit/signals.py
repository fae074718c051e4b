"""Sign-ins, successful or not, from Django's auth signals (allauth signs in through them)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from ancrage.audit.actions import record
from ancrage.audit.models import Action
from ancrage.tenancy.queries import membership_for_user


@receiver(user_logged_in, dispatch_uid="audit_sign_in")
def _signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    membership = membership_for_user(user)
    record(
        action=Action.SIGN_IN,
        actor=membership,
        user_id=user.pk,
        details={"method": _method(request)},
    )


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The typed address is not stored (it may be anyone's); a known account is named by id.
    email = str(credentials.get("email") or credentials.get("username") or "").strip().lower()
    user = get_user_model().objects.filter(email=email).first() if email else None
    membership = membership_for_user(user) if user is not None else None
    record(
        action=Action.SIGN_IN_FAILED,
        organisation_id=membership.organisation_id if membership is not None else None,
        target_type="accounts.user" if user is not None else "",
        target_id=user.pk if user is not None else "",
        details={"known_account": user is not None},
    )


def _method(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    match = getattr(request, "resolver_match", None)
    return (match.url_name or "")[:60] if match else ""
