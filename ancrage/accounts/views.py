"""Invitations page (invite one person, upload a CSV, resend, revoke), the acceptance page,
and allauth's sign-in code page with refused codes audited."""

from typing import Any

from allauth.account.views import ConfirmLoginCodeView as AllauthConfirmLoginCodeView
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from ancrage.accounts.actions import (
    ImportReport,
    InvitationRefused,
    InvitationUnavailable,
    accept_invitation,
    import_invitations_csv,
    invite_person,
    resend_invitation,
    revoke_invitation,
)
from ancrage.accounts.csv_import import MAX_BYTES
from ancrage.accounts.forms import CsvUploadForm, InviteForm
from ancrage.accounts.models import InvitationState
from ancrage.accounts.queries import access_invitation, invitation_for_token, open_invitations
from ancrage.accounts.sso.queries import sso_required_for
from ancrage.tenancy.decorators import membership_required
from ancrage.tenancy.models import Membership, Role

INVITER_ROLES = (Role.LD_LEAD, Role.ORG_ADMIN)


def _page(
    request: HttpRequest,
    actor: Membership,
    *,
    invite_form: InviteForm | None = None,
    upload_form: CsvUploadForm | None = None,
    report: ImportReport | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "invite_form": invite_form or InviteForm(actor=actor),
        "upload_form": upload_form or CsvUploadForm(),
        "report": report,
        "invitations": open_invitations(actor),
    }
    return render(request, "accounts/invitations.html", context, status=status)


@membership_required(*INVITER_ROLES)
def invitations(request: HttpRequest) -> HttpResponse:
    actor: Membership = request.membership  # type: ignore[attr-defined]
    if request.method != "POST":
        return _page(request, actor)
    form = InviteForm(request.POST, actor=actor)
    if form.is_valid():
        data = form.cleaned_data
        try:
            invitation = invite_person(
                actor=actor,
                email=data["email"],
                name=data["name"],
                team=data["team"],
                manager=data["manager"],
                role=data["role"],
            )
        except InvitationRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s.") % {"email": invitation.membership.user.email},
            )
            return redirect("invitations")
    return _page(request, actor, invite_form=form, status=400)


@membership_required(*INVITER_ROLES)
@require_POST
def import_csv(request: HttpRequest) -> HttpResponse:
    actor: Membership = request.membership  # type: ignore[attr-defined]
    form = CsvUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, actor, upload_form=form, status=400)
    upload = form.cleaned_data["file"]
    data = upload.read(MAX_BYTES + 1)
    report = import_invitations_csv(actor=actor, data=data)
    if not report.ok:
        return _page(request, actor, upload_form=form, report=report, status=400)
    messages.success(request, report.summary())
    return redirect("invitations")


@membership_required(*INVITER_ROLES)
@require_POST
def resend(request: HttpRequest, invitation_id: str) -> HttpResponse:
    actor: Membership = request.membership  # type: ignore[attr-defined]
    invitation = access_invitation(actor, invitation_id)
    try:
        resend_invitation(actor=actor, invitation=invitation)
    except InvitationUnavailable:
        messages.error(request, _("This invitation is closed; invite the person again."))
    else:
        messages.success(
            request,
            _("A new invitation link was sent to %(email)s.")
            % {"email": invitation.membership.user.email},
        )
    return redirect("invitations")


@membership_required(*INVITER_ROLES)
@require_POST
def revoke(request: HttpRequest, invitation_id: str) -> HttpResponse:
    actor: Membership = request.membership  # type: ignore[attr-defined]
    invitation = access_invitation(actor, invitation_id)
    try:
        revoke_invitation(actor=actor, invitation=invitation)
    except InvitationUnavailable:
        messages.error(request, _("This invitation is already closed."))
    else:
        messages.success(
            request,
            _("The invitation of %(email)s was revoked; its link no longer works.")
            % {"email": invitation.membership.user.email},
        )
    return redirect("invitations")


def _unavailable(request: HttpRequest, state: str | None) -> HttpResponse:
    status = 404 if state is None else 410
    return render(request, "accounts/invitation_unavailable.html", {"state": state}, status=status)


@sensitive_post_parameters("new_password1", "new_password2")
@csrf_protect
@never_cache
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """Public page behind the emailed link: choose a password and join the organisation."""
    invitation = invitation_for_token(token)
    if invitation is None:
        return _unavailable(request, None)
    if not invitation.is_usable:
        return _unavailable(request, invitation.state)
    user = invitation.membership.user
    if (sso := sso_required_for(user)) is not None:
        # No password for members of an organisation that signs in with SSO only.
        messages.info(
            request,
            _("%(organisation)s signs in with its own account: continue there.")
            % {"organisation": sso.organisation.name},
        )
        return redirect("sso_login", slug=sso.organisation.slug)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = accept_invitation(
                invitation=invitation, password=form.cleaned_data["new_password1"]
            )
        except InvitationUnavailable as closed:
            return _unavailable(request, closed.state)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Welcome to %(organisation)s!") % {"organisation": invitation.organisation.name},
        )
        return redirect("home")
    context = {
        "invitation": invitation,
        "person": user,
        "form": form,
        "states": InvitationState,
    }
    return render(
        request, "accounts/accept_invitation.html", context, status=400 if form.errors else 200
    )


class ConfirmLoginCodeView(AllauthConfirmLoginCodeView):  # type: ignore[misc]
    """allauth's "type the code" page; a refused code sends `user_login_failed` like a wrong
    password, so the audit log records it (the e-mail the code was sent to names the account;
    the code itself is never passed on). Refusals: a wrong code, an expired one, and a code
    typed when no code is pending in this browser (already used, or never asked for)."""

    _refusal = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)
        if request.method != "POST" or request.user.is_authenticated:
            return response
        stage = getattr(request, "_login_stage", None)
        if stage is None:
            self._refusal = "no_pending_code"
        elif getattr(self, "_process", None) is None:
            self._refusal = "expired_code"
        if self._refusal:
            email = str(stage.state.get("email") or "") if stage is not None else ""
            user_login_failed.send(
                sender=__name__,
                credentials={"email": email, "method": "code", "reason": self._refusal},
                request=request,
            )
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        self._refusal = "wrong_code"
        response: HttpResponse = super().form_invalid(form)
        return response


confirm_login_code = ConfirmLoginCodeView.as_view()
