"""HTTP layer of the LTI tool: thin views over validation, actions and queries.

Platform-facing endpoints (no session, no CSRF cookie: they are cross-site by nature and
protected by one-time signed state instead): the JWKS, OIDC login initiation (GET and
POST), the launch (resource link and deep linking), the deep-linking pick, the new-window
handover. Pages shown inside the LMS iframe may be framed by the registration's platform
only. L&D pages: registrations (with our endpoints to copy) and the course roster.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.models import AnonymousUser
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.exports.lti13 import actions, keys, queries
from ancrage.exports.lti13.forms import RegistrationForm
from ancrage.exports.lti13.models import Registration
from ancrage.exports.lti13.platform import PlatformError
from ancrage.exports.lti13.validation import (
    DEEP_LINKING_REQUEST,
    LaunchRefused,
    logger,
    refuse,
    validate_launch,
)
from ancrage.licensing.entitlements import EntitlementRefused
from ancrage.licensing.responses import refusal_response
from ancrage.player.actions import start_path
from ancrage.player.models import EnrolmentOrigin
from ancrage.tenancy.decorators import membership_required
from ancrage.tenancy.models import Membership
from ancrage.tenancy.queries import access_membership

STATE_COOKIE = "lti13_state"
BACKEND = "django.contrib.auth.backends.ModelBackend"
LINKING_ROLES = ("#Instructor", "#Administrator", "#ContentDeveloper")

# What a person sees for each refusal (the reason code itself is shown and logged too).
REFUSALS: dict[str, Promise] = {
    "malformed_request": gettext_lazy("The LMS sent an incomplete launch."),
    "unknown_registration": gettext_lazy("This LMS is not registered with Ancrage."),
    "bad_target": gettext_lazy("The launch address does not belong to this Ancrage site."),
    "unknown_state": gettext_lazy("This launch does not match any sign-in we started."),
    "nonce_replayed": gettext_lazy(
        "This launch was already used. Open the activity again from the LMS."
    ),
    "login_expired": gettext_lazy(
        "The sign-in took too long. Open the activity again from the LMS."
    ),
    "state_mismatch": gettext_lazy("This launch was started in another browser window."),
    "registration_inactive": gettext_lazy(
        "Your organisation has switched this LMS connection off."
    ),
    "wrong_issuer": gettext_lazy("The launch comes from another LMS than the one registered."),
    "jwks_unavailable": gettext_lazy("The LMS keys could not be read. Try again in a moment."),
    "unknown_kid": gettext_lazy("The launch is signed with a key the LMS does not publish."),
    "bad_signature": gettext_lazy("The launch signature is not valid."),
    "expired": gettext_lazy("The launch has expired. Open the activity again from the LMS."),
    "issued_in_future": gettext_lazy("The launch is dated in the future; check the LMS clock."),
    "wrong_audience": gettext_lazy("The launch is meant for another tool."),
    "wrong_azp": gettext_lazy("The launch is meant for another tool."),
    "missing_claim": gettext_lazy("The launch lacks required information."),
    "nonce_mismatch": gettext_lazy("The launch does not match the sign-in we started."),
    "unknown_deployment": gettext_lazy(
        "This LMS deployment is not registered for your organisation."
    ),
    "wrong_version": gettext_lazy("Only LTI 1.3 launches are accepted."),
    "unsupported_message": gettext_lazy("This kind of LTI message is not supported."),
    "missing_sub": gettext_lazy("Anonymous launches are not supported."),
    "unknown_path": gettext_lazy("This activity names no path of the catalogue."),
    "not_allowed_to_link": gettext_lazy(
        "Only course instructors and administrators can add paths."
    ),
    "other_organisation": gettext_lazy("This LMS account belongs to another organisation."),
}


def _reason_text(reason: str) -> str:
    return str(REFUSALS.get(reason, _("The launch was refused.")))


def _framable(
    response: HttpResponse,
    registration: Registration | None,
    *,
    form_target: str = "",
    claimed_issuer: str = "",
) -> HttpResponse:
    """Let the launch's platform frame this response (and post a form to it): the
    registration's origins, or — when no registration is known — those of the registered
    platforms of the issuer the request claims; nobody when there is none (the page then
    keeps `frame-ancestors 'none'` and `X-Frame-Options: DENY`)."""
    ancestors = queries.platform_origins(registration, claimed_issuer)
    if not ancestors and not form_target:
        return response
    base: dict[str, Any] = dict(settings.SECURE_CSP)
    config = {key: list(value) for key, value in base.items()}
    if ancestors:
        config["frame-ancestors"] = ancestors
        response.xframe_options_exempt = True
    if form_target:
        config["form-action"] = [CSP.SELF, queries.origin_of(form_target)]
    response._csp_config = config  # type: ignore[attr-defined]
    return response


def _refused(request: HttpRequest, refusal: LaunchRefused) -> HttpResponse:
    status = 400 if refusal.reason in ("malformed_request", "missing_claim") else 403
    response = render(
        request,
        "lti13/refused.html",
        {"reason": refusal.reason, "message": _reason_text(refusal.reason)},
        status=status,
    )
    return _framable(response, refusal.registration, claimed_issuer=refusal.claimed_issuer)


# --- Platform-facing ------------------------------------------------------------------------


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(keys.jwks())
    response["Cache-Control"] = "public, max-age=300"
    return response


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def login_initiation(request: HttpRequest) -> HttpResponse:
    """OIDC third-party login initiation: remember a state and nonce, send the browser to
    the platform's authentication endpoint."""
    params = request.POST if request.method == "POST" else request.GET
    issuer = params.get("iss", "")
    target = params.get("target_link_uri", "")
    try:
        if not issuer or not params.get("login_hint") or not target:
            refuse("malformed_request", "iss, login_hint and target_link_uri are required")
        registration = queries.registration_for_login(issuer, params.get("client_id", ""))
        if registration is None:
            refuse("unknown_registration", f"issuer {issuer!r} client {params.get('client_id')!r}")
        assert registration is not None
        deployment = params.get("lti_deployment_id", "")
        if deployment and not registration.allows_deployment(deployment):
            refuse("unknown_deployment", f"deployment {deployment!r}", registration)
        ours = (queries.absolute("lti13_launch"), queries.absolute("lti13_deep_linking"))
        if target.split("?", 1)[0] not in ours:
            refuse("bad_target", f"target_link_uri {target!r}", registration)
    except LaunchRefused as refusal:
        refusal.claimed_issuer = refusal.claimed_issuer or issuer
        return _refused(request, refusal)
    attempt = actions.begin_login(registration=registration, target_link_uri=target)
    response = HttpResponseRedirect(actions.authentication_url(registration, attempt, params))
    secure = request.is_secure()
    response.set_cookie(
        STATE_COOKIE,
        attempt.state,
        max_age=600,
        secure=secure,
        httponly=True,
        samesite="None" if secure else "Lax",
    )
    return response


@csrf_exempt
@never_cache
@require_POST
def launch(request: HttpRequest) -> HttpResponse:
    """The platform's form post of an id_token: validate, then a learner launch or a
    deep-linking request."""
    try:
        validated, _attempt = validate_launch(
            id_token=request.POST.get("id_token", ""),
            state=request.POST.get("state", ""),
            cookie_state=request.COOKIES.get(STATE_COOKIE),
        )
    except LaunchRefused as refusal:
        return _refused(request, refusal)
    registration = validated.registration
    if validated.message_type == DEEP_LINKING_REQUEST:
        return _deep_linking(request, validated)
    try:
        accepted = actions.accept_launch(launch=validated)
    except actions.UnknownPath as unknown:
        return _refused(request, LaunchRefused("unknown_path", str(unknown), registration))
    except PermissionError:
        return _refused(request, LaunchRefused("other_organisation", "", registration))
    membership = accepted.membership
    request.membership = membership  # type: ignore[attr-defined]
    try:
        start_path(membership=membership, path=accepted.path, origin=EnrolmentOrigin.ASSIGNMENT)
    except EntitlementRefused as refused:
        logger.info("LTI launch: path %s refused (%s)", accepted.path.code, refused.reason)
        response = refusal_response(
            request, refused.reason, licence=refused.licence, path_title=accepted.path.code
        )
        return _framable(response, registration)
    login(request, membership.user, backend=BACKEND)
    player_url = reverse("player", args=[accepted.path.code])
    token = actions.issue_handover(membership=membership, next_url=player_url)
    context = {
        "path_code": accepted.path.code,
        "player_url": player_url,
        "handover_url": reverse("lti13_handover", args=[token]),
        "check_url": reverse("lti13_session_check"),
        "member": str(membership.pk),
        "framed_hint": validated.document_target in ("iframe", "frame"),
    }
    return _framable(render(request, "lti13/launched.html", context), registration)


def _deep_linking(request: HttpRequest, validated: Any) -> HttpResponse:
    registration = validated.registration
    if not any(role.endswith(LINKING_ROLES) for role in validated.roles):
        return _refused(request, LaunchRefused("not_allowed_to_link", "", registration))
    token = actions.begin_deep_link(launch=validated)
    catalogue = queries.entitled_catalogue(registration.organisation_id)
    context = {
        "token": token,
        "catalogue": catalogue,
        "programmes": queries.entitled_programmes(registration.organisation_id, catalogue),
        "organisation": registration.organisation,
        "multiple": bool(validated.deep_linking.get("accept_multiple", True)),
    }
    return _framable(render(request, "lti13/pick.html", context), registration)


@csrf_exempt
@never_cache
@require_POST
def deep_link_pick(request: HttpRequest) -> HttpResponse:
    """The LMS administrator's pick: answer the platform with a signed deep-linking response.

    No CSRF cookie inside an LMS iframe: the signed, one-time request token stands for it.
    """
    token = request.POST.get("token", "")
    pending = actions.open_deep_link(token)
    if pending is None:
        logger.warning("LTI deep linking refused: unknown, used or expired request token")
        # A used or expired (but genuine) token still names the platform that may frame us.
        return _refused(
            request,
            LaunchRefused("unknown_state", registration=actions.deep_link_registration(token)),
        )
    catalogue = {e.code: e for e in queries.entitled_catalogue(pending.organisation_id)}
    codes = request.POST.getlist("path")
    programme_id = request.POST.get("programme", "")
    if programme_id:
        for programme in queries.entitled_programmes(
            pending.organisation_id, list(catalogue.values())
        ):
            if str(programme.id) == programme_id:
                codes = [entry.code for entry in programme.paths]
    picked = [
        actions.PickedPath(code, catalogue[code].title) for code in codes if code in catalogue
    ]
    if not picked:
        return _framable(
            render(
                request,
                "lti13/refused.html",
                {"reason": "nothing_picked", "message": _("Choose at least one path.")},
                status=400,
            ),
            pending.registration,
        )
    jwt = actions.answer_deep_link(
        request=pending, picked=picked, launch_url=queries.absolute("lti13_launch")
    )
    response = render(
        request,
        "lti13/return.html",
        {"return_url": pending.return_url, "jwt": jwt, "picked": picked},
    )
    return _framable(response, pending.registration, form_target=pending.return_url)


@never_cache
@require_GET
def session_check(request: HttpRequest) -> JsonResponse:
    """Did our session cookie stick in this browser context? (asked by the launch page)"""
    membership = getattr(request, "membership", None)
    return JsonResponse(
        {
            "signed_in": request.user.is_authenticated,
            "member": str(membership.pk) if membership is not None else "",
        }
    )


@never_cache
@require_GET
def handover(request: HttpRequest, token: str) -> HttpResponse:
    """The new window of a launch whose iframe would not keep our cookie: sign in once."""
    used = actions.redeem_handover(token=token)
    if used is None:
        logger.warning("LTI handover refused: forged, expired or already used")
        request.user = AnonymousUser()
        response = render(
            request,
            "lti13/refused.html",
            {
                "reason": "handover_invalid",
                "message": _(
                    "This link has expired or was already used. Open the activity again "
                    "from the LMS."
                ),
            },
            status=400,
        )
        return response
    login(request, used.membership.user, backend=BACKEND)
    return redirect(used.next_url)


# --- L&D pages ------------------------------------------------------------------------------


def _actor(request: HttpRequest) -> Membership:
    membership: Membership = request.membership  # type: ignore[attr-defined]
    return membership


@membership_required("ld_lead", "org_admin")
def registrations(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    items = [
        (registration, list(queries.contexts_of(registration)))
        for registration in queries.registrations_of(actor)
    ]
    return render(
        request,
        "lti13/registrations.html",
        {"items": items, "endpoints": queries.tool_endpoints()},
    )


@membership_required("ld_lead", "org_admin")
@require_http_methods(["GET", "POST"])
def registration_form(request: HttpRequest, registration_id: str | None = None) -> HttpResponse:
    actor = _actor(request)
    registration = queries.access_registration(actor, registration_id) if registration_id else None
    form = RegistrationForm(request.POST or None, instance=registration)
    if request.method == "POST" and form.is_valid():
        actions.save_registration(
            organisation=actor.organisation,
            registration=registration,
            actor=actor,
            **form.values(),
        )
        return redirect("lti13_registrations")
    return render(
        request,
        "lti13/registration_form.html",
        {"form": form, "registration": registration, "endpoints": queries.tool_endpoints()},
        status=400 if form.is_bound else 200,
    )


@membership_required("ld_lead", "org_admin")
@require_http_methods(["GET", "POST"])
def roster(request: HttpRequest, context_id: str) -> HttpResponse:
    """The members of an LMS course (NRPS), matched to our people; link a suggestion."""
    actor = _actor(request)
    context = queries.access_context(actor, context_id)
    if request.method == "POST":
        suggestion = access_membership(actor, request.POST.get("member"))
        sub = request.POST.get("sub", "")
        if not sub:
            raise Http404
        actions.link_identity(context=context, sub=sub, membership=suggestion)
        return redirect("lti13_roster", context_id=context.pk)
    error = ""
    rows: list[actions.RosterRow] = []
    try:
        rows = actions.read_roster(context=context)
    except PlatformError as exc:
        logger.warning("LTI roster of context %s not read: %s", context.pk, exc)
        error = str(exc)
    matched = sum(1 for row in rows if row.membership is not None)
    return render(
        request,
        "lti13/roster.html",
        {"context": context, "rows": rows, "error": error, "matched": matched},
        status=502 if error else 200,
    )
