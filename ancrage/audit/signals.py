"""Sign-ins, successful or not, from Django's auth signals (allauth signs in through them)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from ancrage.audit.actions import record
from ancrage.audit.models import Action
from ancrage.tenancy.models import Organisation
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
    """A wrong password, a refused sign-in code (`method` "code"), a refused SSO sign-in, or a
    password or code refused because the organisation's SSO is mandatory (`reason`
    "sso_mandatory"). The typed address is not stored (it may be anyone's): a known account is
    named by id. The entry is filed under the SSO connection's organisation
    (`sso_organisation`) when there is one, otherwise under the account's organisation."""
    email = str(credentials.get("email") or credentials.get("username") or "").strip().lower()
    user = get_user_model().objects.filter(email=email).first() if email else None
    sso_slug = str(credentials.get("sso_organisation") or "")
    organisation_id = (
        Organisation.objects.filter(slug=sso_slug).values_list("pk", flat=True).first()
        if sso_slug
        else None
    )
    if organisation_id is None and user is not None:
        membership = membership_for_user(user)
        organisation_id = membership.organisation_id if membership is not None else None
    details: dict[str, Any] = {
        "known_account": user is not None,
        "method": str(credentials.get("method") or ("sso" if sso_slug else "password"))[:20],
    }
    if credentials.get("reason"):
        details["reason"] = str(credentials["reason"])[:60]
    record(
        action=Action.SIGN_IN_FAILED,
        organisation_id=organisation_id,
        target_type="accounts.user" if user is not None else "",
        target_id=user.pk if user is not None else "",
        details=details,
    )


def _method(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    match = getattr(request, "resolver_match", None)
    return (match.url_name or "")[:60] if match else ""
