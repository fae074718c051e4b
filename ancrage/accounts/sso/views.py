"""SSO pages: "Continue with your organisation", the round trips, and the admin's settings.

Every refusal is logged with its reason (logger "ancrage.sso") and shown as a page that
says what to do next, never why in technical terms.
"""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.signals import user_login_failed
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from ancrage.accounts.models import User
from ancrage.accounts.sso import oidc, saml
from ancrage.accounts.sso.actions import (
    LinkRefused,
    link_existing_account,
    record_saml_message_ids,
    save_sso_connection,
    sign_in_with_sso,
)
from ancrage.accounts.sso.forms import ConnectionForm, ContinueForm, LinkForm
from ancrage.accounts.sso.identity import SsoRefused
from ancrage.accounts.sso.models import Protocol, SsoConnection
from ancrage.accounts.sso.queries import (
    access_sso_connection,
    find_connection,
    identities_of,
    pending_links,
    saml_connection,
    usable_connection,
)
from ancrage.tenancy.decorators import membership_required
from ancrage.tenancy.models import Membership, Role

logger = logging.getLogger("ancrage.sso")

OIDC_SESSION_KEY = "sso_oidc"
SAML_COOKIE = "ancrage_sso_saml"
SAML_COOKIE_SALT = "ancrage.accounts.sso.saml-request"
SAML_PENDING_SECONDS = 600
# Refusals that say the provider or its configuration is at fault, not this attempt (502).
UNREACHABLE = frozenset(
    {
        "provider_unreachable",
        "provider_bad_json",
        "discovery_issuer_mismatch",
        "discovery_incomplete",
        "endpoint_not_https",
        "token_endpoint_failed",
        "client_secret_unreadable",
        "saml_settings_invalid",
    }
)


def _next_url(request: HttpRequest) -> str:
    candidate = request.GET.get("next") or request.POST.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _refused(request: HttpRequest, connection: SsoConnection, refusal: SsoRefused) -> HttpResponse:
    logger.warning(
        "sso sign-in refused organisation=%s reason=%s detail=%s",
        connection.organisation.slug,
        refusal.reason,
        refusal.detail[:300],
    )
    # The standard signal, so the audit log counts refused SSO sign-ins like failed passwords.
    user_login_failed.send(
        sender=__name__,
        credentials={"sso_organisation": connection.organisation.slug, "reason": refusal.reason},
        request=request,
    )
    unreachable = refusal.reason in UNREACHABLE
    if refusal.message:
        message = refusal.message
    elif unreachable:
        message = _(
            "Your organisation's sign-in service cannot be reached or is misconfigured. "
            "Try again in a few minutes; if it persists, tell your organisation admin."
        )
    else:
        message = _(
            "Your organisation's sign-in could not be verified. Start again from the sign-in "
            "page; if it fails again, tell your organisation admin (the time of this attempt "
            "helps them find it)."
        )
    context = {"connection": connection, "message": message}
    return render(request, "accounts/sso/refused.html", context, status=502 if unreachable else 403)


def _sign_in(
    request: HttpRequest, user: User, connection: SsoConnection, next_url: str
) -> HttpResponse:
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    logger.info("sso sign-in organisation=%s user=%s", connection.organisation.slug, user.pk)
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)


@never_cache
def start(request: HttpRequest) -> HttpResponse:
    """ "Continue with your organisation": from an email domain or a short name to its IdP."""
    form = ContinueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        connection = find_connection(form.cleaned_data["identifier"])
        if connection is not None:
            url = reverse("sso_login", args=[connection.organisation.slug])
            next_url = _next_url(request)
            return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)
        form.add_error(
            "identifier",
            _(
                "No organisation signs in this way with this address or name. Check it, or "
                "sign in with your email instead."
            ),
        )
    context = {"form": form, "next": _next_url(request)}
    return render(request, "accounts/sso/start.html", context, status=400 if form.errors else 200)


@never_cache
def sso_login(request: HttpRequest, slug: str) -> HttpResponse:
    connection = usable_connection(slug)
    next_url = _next_url(request)
    try:
        if connection.is_oidc:
            url, pending = oidc.begin(
                connection, redirect_uri=_oidc_redirect_uri(connection), next_url=next_url
            )
            request.session[OIDC_SESSION_KEY] = pending.as_session()
            return redirect(url)
        url, request_id = saml.begin(connection, request)
    except SsoRefused as refusal:
        return _refused(request, connection, refusal)
    response = redirect(url)
    secure = request.is_secure()
    response.set_cookie(
        SAML_COOKIE,
        signing.dumps(
            {"connection": str(connection.pk), "request_id": request_id, "next": next_url},
            salt=SAML_COOKIE_SALT,
        ),
        max_age=SAML_PENDING_SECONDS,
        httponly=True,
        secure=secure,
        # The IdP posts back cross-site: a Lax cookie would not come back with it.
        samesite="None" if secure else "Lax",
        path=reverse("sso_saml_acs", args=[slug]),
    )
    return response


def _oidc_redirect_uri(connection: SsoConnection) -> str:
    return settings.SITE_URL + reverse("sso_oidc_callback", args=[connection.organisation.slug])


@never_cache
def oidc_callback(request: HttpRequest, slug: str) -> HttpResponse:
    connection = usable_connection(slug)
    if not connection.is_oidc:
        raise Http404
    pending = oidc.Pending.from_session(request.session.pop(OIDC_SESSION_KEY, None))
    try:
        claims = oidc.complete(
            connection,
            pending=pending,
            params={key: request.GET.get(key, "") for key in ("state", "code", "error")},
            redirect_uri=_oidc_redirect_uri(connection),
        )
        user = sign_in_with_sso(connection=connection, claims=claims)
    except SsoRefused as refusal:
        return _refused(request, connection, refusal)
    return _sign_in(request, user, connection, pending.next_url if pending else "")


def _saml_pending(request: HttpRequest, connection: SsoConnection) -> tuple[str, str]:
    try:
        data = signing.loads(
            request.COOKIES.get(SAML_COOKIE, ""),
            salt=SAML_COOKIE_SALT,
            max_age=SAML_PENDING_SECONDS,
        )
    except signing.BadSignature:
        return "", ""
    if not isinstance(data, dict) or data.get("connection") != str(connection.pk):
        return "", ""
    return str(data.get("request_id", "")), str(data.get("next", ""))


@csrf_exempt  # the IdP posts here; the signed assertion and InResponseTo stand in for CSRF
@require_POST
@never_cache
def saml_acs(request: HttpRequest, slug: str) -> HttpResponse:
    connection = usable_connection(slug)
    if connection.protocol != Protocol.SAML:
        raise Http404
    request_id, next_url = _saml_pending(request, connection)
    try:
        accepted = saml.complete(connection, request, request_id=request_id)
        record_saml_message_ids(
            connection=connection,
            message_ids=accepted.message_ids,
            not_on_or_after=accepted.not_on_or_after,
        )
        if not request_id or accepted.in_response_to != request_id:
            raise SsoRefused("saml_unsolicited_response")
        user = sign_in_with_sso(connection=connection, claims=accepted.claims)
    except SsoRefused as refusal:
        response = _refused(request, connection, refusal)
    else:
        response = _sign_in(request, user, connection, next_url)
    response.delete_cookie(
        SAML_COOKIE,
        path=reverse("sso_saml_acs", args=[slug]),
        samesite="None" if request.is_secure() else "Lax",
    )
    return response


def saml_metadata(request: HttpRequest, slug: str) -> HttpResponse:
    """Our SP metadata, public: what the organisation's IT pastes into their IdP."""
    connection = saml_connection(slug)
    response = HttpResponse(
        saml.metadata_xml(connection), content_type="application/samlmetadata+xml"
    )
    response["Content-Disposition"] = f'attachment; filename="ancrage-{slug}-sp-metadata.xml"'
    return response


GENERAL_FIELDS = ("protocol", "enabled", "mandatory", "email_domains", "default_role", "team_claim")
OIDC_FIELDS = ("entra_tenant_id", "oidc_issuer", "oidc_client_id", "client_secret")
SAML_FIELDS = ("saml_idp_entity_id", "saml_idp_sso_url", "saml_idp_certificate")


def _settings_context(connection: SsoConnection) -> dict[str, object]:
    slug = connection.organisation.slug
    return {
        "connection": connection,
        "redirect_uri": settings.SITE_URL + reverse("sso_oidc_callback", args=[slug]),
        "acs_url": settings.SITE_URL + reverse("sso_saml_acs", args=[slug]),
        "metadata_url": settings.SITE_URL + reverse("sso_saml_metadata", args=[slug]),
        "entity_id": settings.SITE_URL + reverse("sso_saml_metadata", args=[slug]),
        "identities": identities_of(connection) if connection.pk else 0,
        "links": pending_links(connection),
        "protocols": Protocol,
        "general_fields": GENERAL_FIELDS,
        "oidc_fields": OIDC_FIELDS,
        "saml_fields": SAML_FIELDS,
    }


@membership_required(Role.ORG_ADMIN)
@sensitive_post_parameters("client_secret")
@never_cache
def settings_page(request: HttpRequest) -> HttpResponse:
    actor: Membership = request.membership  # type: ignore[attr-defined]
    connection = access_sso_connection(actor)
    form = ConnectionForm(request.POST or None, instance=connection)
    if request.method == "POST" and form.is_valid():
        save_sso_connection(
            actor=actor,
            connection=form.save(commit=False),
            client_secret=form.cleaned_data["client_secret"],
        )
        messages.success(request, _("Single sign-on settings saved."))
        return redirect("sso_settings")
    context = {**_settings_context(connection), "form": form, "link_form": LinkForm()}
    return render(
        request, "accounts/sso/settings.html", context, status=400 if form.errors else 200
    )


@membership_required(Role.ORG_ADMIN)
@require_POST
def link_account(request: HttpRequest) -> HttpResponse:
    actor: Membership = request.membership  # type: ignore[attr-defined]
    connection = access_sso_connection(actor)
    link_form = LinkForm(request.POST)
    if link_form.is_valid() and connection.pk is not None:
        try:
            link = link_existing_account(actor=actor, email=link_form.cleaned_data["email"])
        except LinkRefused as refusal:
            link_form.add_error("email", refusal.message)
        else:
            messages.success(
                request,
                _("%(email)s can now link their account by signing in with SSO.")
                % {"email": link.user.email},
            )
            return redirect("sso_settings")
    elif connection.pk is None:
        link_form.add_error(None, _("Save the connection settings first."))
    context = {
        **_settings_context(connection),
        "form": ConnectionForm(instance=connection),
        "link_form": link_form,
    }
    return render(request, "accounts/sso/settings.html", context, status=400)
