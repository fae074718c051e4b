"""Writes of the LTI tool: registrations, logins, what a launch provisions, deep-linking
answers, new-window handovers, score publication and roster links.

Guarantees:

* an LMS user is matched by (issuer, `sub`) only — never by email alone — and a new one is
  provisioned as a learner of the registration's organisation;
* a state/nonce opens one launch, a handover signs in one window, a deep-linking request
  gets one answer;
* scores go to the LMS from an idempotent task enqueued after commit: a completion is
  published once per score link (a new completion, after a retake, is published again).
"""

import hashlib
import logging
import secrets
import urllib.parse
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from ancrage.accounts.models import User
from ancrage.audit.actions import record
from ancrage.audit.models import Action
from ancrage.catalog.models import Path
from ancrage.exports.lti13 import keys, platform, scores
from ancrage.exports.lti13.models import (
    Context,
    DeepLinkRequest,
    Handover,
    Identity,
    LoginAttempt,
    Registration,
    ResourceLink,
    ScoreLink,
    lti_settings,
)
from ancrage.exports.lti13.tasks import publish_lti_score
from ancrage.exports.lti13.validation import Launch
from ancrage.tenancy.models import Membership, MembershipStatus, Organisation, Role

logger = logging.getLogger("ancrage.lti")

HANDOVER_SALT = "ancrage.lti13.handover"
DEEP_LINK_SALT = "ancrage.lti13.deep-link"
SCORE_MAXIMUM = scores.SCORE_MAXIMUM


# --- Registrations --------------------------------------------------------------------------


def _clean_deployments(deployment_ids: list[str]) -> list[str]:
    return list(dict.fromkeys(d.strip() for d in deployment_ids if d.strip()))


REGISTRATION_FIELDS = (
    "name",
    "issuer",
    "client_id",
    "deployment_ids",
    "auth_login_url",
    "keyset_url",
    "access_token_url",
    "is_active",
)


@transaction.atomic
def save_registration(
    *,
    organisation: Organisation,
    registration: Registration | None = None,
    name: str,
    issuer: str,
    client_id: str,
    deployment_ids: list[str],
    auth_login_url: str,
    keyset_url: str,
    access_token_url: str = "",
    is_active: bool = True,
    actor: Membership | None = None,
) -> Registration:
    """Create or update the organisation's registration of an LMS (its cached JWKS is
    dropped when the JWKS URL changes); a change is recorded in the audit log (field names)."""
    if registration is None:
        registration = Registration(organisation=organisation)
    elif registration.organisation_id != organisation.pk:
        raise ValueError("registration of another organisation")
    before = {name: getattr(registration, name) for name in REGISTRATION_FIELDS}
    created = registration._state.adding
    if registration.keyset_url != keyset_url:
        registration.platform_jwks = {}
        registration.jwks_fetched_at = None
    registration.name = name
    registration.issuer = issuer.strip()
    registration.client_id = client_id.strip()
    registration.deployment_ids = _clean_deployments(deployment_ids)
    registration.auth_login_url = auth_login_url
    registration.keyset_url = keyset_url
    registration.access_token_url = access_token_url
    registration.is_active = is_active
    changed = [n for n in REGISTRATION_FIELDS if created or getattr(registration, n) != before[n]]
    registration.save()
    if changed:
        record(
            action=Action.LTI_REGISTRATION_CHANGED,
            actor=actor,
            target=registration,
            details={
                "created": created,
                "changed": ",".join(changed),
                "active": registration.is_active,
            },
        )
    return registration


# --- Login initiation -----------------------------------------------------------------------


@transaction.atomic
def begin_login(*, registration: Registration, target_link_uri: str) -> LoginAttempt:
    """A fresh one-time state and nonce for the platform's authentication request."""
    lifetime = timedelta(seconds=lti_settings()["login_lifetime"])
    return LoginAttempt.objects.create(
        organisation_id=registration.organisation_id,
        registration=registration,
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(32),
        target_link_uri=target_link_uri,
        expires_at=timezone.now() + lifetime,
    )


def authentication_url(
    registration: Registration, attempt: LoginAttempt, params: dict[str, str]
) -> str:
    """The platform's OIDC authorization URL for this login (LTI 1.3 §5.1.1.2)."""
    query = {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": registration.client_id,
        "redirect_uri": attempt.target_link_uri,
        "state": attempt.state,
        "nonce": attempt.nonce,
        "login_hint": params.get("login_hint", ""),
    }
    if params.get("lti_message_hint"):
        query["lti_message_hint"] = params["lti_message_hint"]
    separator = "&" if "?" in registration.auth_login_url else "?"
    return registration.auth_login_url + separator + urllib.parse.urlencode(query)


# --- Launch: provisioning -------------------------------------------------------------------


@dataclass(frozen=True)
class Provisioned:
    membership: Membership
    identity: Identity
    created: bool


def _free_email(launch: Launch) -> str:
    """The LMS email when nobody uses it yet, else a stable placeholder (no email match)."""
    email = str(launch.claims.get("email", "")).strip().lower()
    if email and "@" in email and not User.objects.filter(email=email).exists():
        return email
    digest = hashlib.sha256(f"{launch.registration.issuer}|{launch.sub}".encode()).hexdigest()
    return f"lti-{digest[:24]}@lti.invalid"


def _display_name(claims: dict[str, Any]) -> str:
    name = str(claims.get("name", "")).strip()
    if not name:
        name = " ".join(
            str(claims.get(k, "")).strip() for k in ("given_name", "family_name")
        ).strip()
    return name[:150]


def _provision(launch: Launch, now: datetime) -> Provisioned:
    registration = launch.registration
    identity = (
        Identity.objects.select_related("membership__user")
        .filter(issuer=registration.issuer, sub=launch.sub)
        .first()
    )
    name = _display_name(launch.claims)
    email = str(launch.claims.get("email", ""))[:254]
    if identity is not None:
        if identity.organisation_id != registration.organisation_id:
            # The same issuer registered by two organisations: never cross the line.
            raise PermissionError("identity of another organisation")
        identity.name, identity.email, identity.last_launch_at = name, email, now
        identity.save(update_fields=["name", "email", "last_launch_at", "updated_at"])
        return Provisioned(identity.membership, identity, created=False)
    user = User.objects.create_user(_free_email(launch), name=name)
    membership = Membership.objects.create(
        organisation_id=registration.organisation_id,
        user=user,
        role=Role.LEARNER,
        status=MembershipStatus.ACTIVE,
    )
    identity = Identity.objects.create(
        organisation_id=registration.organisation_id,
        registration=registration,
        issuer=registration.issuer,
        sub=launch.sub,
        membership=membership,
        name=name,
        email=email,
        last_launch_at=now,
    )
    return Provisioned(membership, identity, created=True)


def _record_context(launch: Launch) -> None:
    context_id = str(launch.context.get("id", ""))
    if not context_id:
        return
    defaults: dict[str, Any] = {
        "organisation_id": launch.registration.organisation_id,
        "title": str(launch.context.get("title", ""))[:255],
    }
    if launch.nrps_url:
        defaults["memberships_url"] = launch.nrps_url
    Context.objects.update_or_create(
        registration=launch.registration, context_id=context_id, defaults=defaults
    )


class UnknownPath(Exception):
    """The launch names no path we know (no `path_code`, no known resource link)."""


def _path_of(launch: Launch) -> Path:
    code = str(launch.custom.get("path_code", "")).strip()
    link = None
    if launch.resource_link_id:
        link = ResourceLink.objects.filter(
            registration=launch.registration, resource_link_id=launch.resource_link_id
        ).first()
    if code:
        path = Path.objects.filter(code=code).first()
        if path is None:
            raise UnknownPath(code)
        if launch.resource_link_id and (link is None or link.path_id != path.pk):
            ResourceLink.objects.update_or_create(
                registration=launch.registration,
                resource_link_id=launch.resource_link_id,
                defaults={
                    "organisation_id": launch.registration.organisation_id,
                    "path": path,
                    "title": str(launch.claim("resource_link", {}).get("title", ""))[:255],
                },
            )
        return path
    if link is None:
        raise UnknownPath("")
    return link.path


def _record_score_link(launch: Launch, provisioned: Provisioned, path: Path) -> None:
    ags = launch.ags
    lineitem = str(ags.get("lineitem", ""))
    if not lineitem or platform.SCORE_SCOPE not in ags.get("scope", []):
        return
    ScoreLink.objects.update_or_create(
        registration=launch.registration,
        membership=provisioned.membership,
        lineitem_url=lineitem,
        defaults={
            "organisation_id": launch.registration.organisation_id,
            "identity": provisioned.identity,
            "path": path,
        },
    )


@dataclass(frozen=True)
class AcceptedLaunch:
    membership: Membership
    path: Path
    created: bool


@transaction.atomic
def accept_launch(*, launch: Launch, now: datetime | None = None) -> AcceptedLaunch:
    """Match or provision the learner, remember the course, the placement and where its
    score goes; raises `UnknownPath` when the launch names no path."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            provisioned = _provision(launch, now)
    except IntegrityError:  # the same person's first launch in two tabs at once
        provisioned = _provision(launch, now)
    _record_context(launch)
    path = _path_of(launch)
    _record_score_link(launch, provisioned, path)
    return AcceptedLaunch(provisioned.membership, path, provisioned.created)


# --- New-window handover --------------------------------------------------------------------


@transaction.atomic
def issue_handover(*, membership: Membership, next_url: str) -> str:
    """A short-lived, one-time, signed token that signs `membership` in a new window."""
    lifetime = timedelta(seconds=lti_settings()["handover_lifetime"])
    handover = Handover.objects.create(
        organisation_id=membership.organisation_id,
        membership=membership,
        next_url=next_url,
        expires_at=timezone.now() + lifetime,
    )
    return signing.dumps(str(handover.pk), salt=HANDOVER_SALT, compress=False)


@transaction.atomic
def redeem_handover(*, token: str) -> Handover | None:
    """The handover behind `token`, marked used; None when forged, expired or used."""
    lifetime = lti_settings()["handover_lifetime"]
    try:
        handover_id = signing.loads(token, salt=HANDOVER_SALT, max_age=lifetime)
    except signing.BadSignature:
        return None
    handover = (
        Handover.objects.select_for_update()
        .select_related("membership__user")
        .filter(pk=handover_id)
        .first()
    )
    if handover is None or not handover.usable():
        return None
    handover.used_at = timezone.now()
    handover.save(update_fields=["used_at", "updated_at"])
    return handover


# --- Deep linking ---------------------------------------------------------------------------


@transaction.atomic
def begin_deep_link(*, launch: Launch) -> str:
    """Remember the platform's deep-linking request; a signed token names it in our form."""
    settings = launch.deep_linking
    request = DeepLinkRequest.objects.create(
        organisation_id=launch.registration.organisation_id,
        registration=launch.registration,
        deployment_id=launch.deployment_id,
        return_url=str(settings.get("deep_link_return_url", "")),
        data=str(settings.get("data", "")),
        expires_at=timezone.now() + timedelta(seconds=lti_settings()["login_lifetime"]),
    )
    return signing.dumps(str(request.pk), salt=DEEP_LINK_SALT, compress=False)


def open_deep_link(token: str) -> DeepLinkRequest | None:
    try:
        request_id = signing.loads(
            token, salt=DEEP_LINK_SALT, max_age=lti_settings()["login_lifetime"]
        )
    except signing.BadSignature:
        return None
    request = (
        DeepLinkRequest.objects.select_related("registration", "organisation")
        .filter(pk=request_id, used_at__isnull=True)
        .first()
    )
    if request is None or request.expires_at <= timezone.now():
        return None
    return request


def deep_link_registration(token: str) -> Registration | None:
    """The registration a genuine deep-linking token names, even once used or expired
    (only to let that platform frame the refusal page); None for a forged token."""
    try:
        request_id = signing.loads(token, salt=DEEP_LINK_SALT)
    except signing.BadSignature:
        return None
    request = DeepLinkRequest.objects.select_related("registration").filter(pk=request_id).first()
    return request.registration if request is not None else None


@dataclass(frozen=True)
class PickedPath:
    code: str
    title: str


@transaction.atomic
def answer_deep_link(*, request: DeepLinkRequest, picked: list[PickedPath], launch_url: str) -> str:
    """The signed LtiDeepLinkingResponse for the picked paths (the request is answered once)."""
    updated = DeepLinkRequest.objects.filter(pk=request.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if updated != 1:
        raise ValueError("deep-linking request already answered")
    registration = request.registration
    items = [
        {
            "type": "ltiResourceLink",
            "title": item.title,
            "url": launch_url,
            "custom": {"path_code": item.code},
            "lineItem": {
                "scoreMaximum": SCORE_MAXIMUM,
                "label": item.title,
                "resourceId": item.code,
                "tag": "ancrage",
            },
        }
        for item in picked
    ]
    claims: dict[str, Any] = {
        "iss": registration.client_id,
        "aud": [registration.issuer],
        "azp": registration.client_id,
        "nonce": secrets.token_urlsafe(16),
        "https://purl.imsglobal.org/spec/lti/claim/deployment_id": request.deployment_id,
        "https://purl.imsglobal.org/spec/lti/claim/message_type": "LtiDeepLinkingResponse",
        "https://purl.imsglobal.org/spec/lti/claim/version": "1.3.0",
        "https://purl.imsglobal.org/spec/lti-dl/claim/content_items": items,
    }
    if request.data:
        claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] = request.data
    return keys.sign(claims, lifetime=300)


# --- Scores (AGS) ---------------------------------------------------------------------------


@transaction.atomic
def queue_score_publications() -> int:
    """Enqueue (after commit) one publication task per score link with a new completion."""
    pending = scores.pending_score_links()
    for link in pending:
        transaction.on_commit(partial(publish_lti_score.enqueue, str(link.pk)))
    return len(pending)


@transaction.atomic
def purge_expired(*, now: datetime | None = None) -> int:
    """Forget logins, handovers and deep-linking requests a day after they expired."""
    cutoff = (now or timezone.now()) - timedelta(days=1)
    deleted = 0
    for model in (LoginAttempt, Handover, DeepLinkRequest):
        deleted += model.objects.filter(expires_at__lt=cutoff).delete()[0]
    return deleted


# --- Roster (NRPS) --------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterRow:
    sub: str
    name: str
    email: str
    roles: list[str]
    status: str
    membership: Membership | None
    suggestion: Membership | None


def read_roster(*, context: Context) -> list[RosterRow]:
    """The course's members from the LMS, each matched by (issuer, sub); an unmatched member
    whose email is a member of the organisation is shown as a suggestion, never linked."""
    registration = context.registration
    members = platform.memberships(registration, context.memberships_url)
    subs = [str(m.get("user_id", "")) for m in members]
    identities = {
        i.sub: i.membership
        for i in Identity.objects.select_related("membership__user").filter(
            issuer=registration.issuer,
            sub__in=subs,
            organisation_id=context.organisation_id,
        )
    }
    emails = [str(m.get("email", "")).lower() for m in members if m.get("email")]
    by_email = {
        m.user.email: m
        for m in Membership.objects.select_related("user").filter(
            organisation_id=context.organisation_id, user__email__in=emails
        )
    }
    rows = []
    for member in members:
        sub = str(member.get("user_id", ""))
        matched = identities.get(sub)
        email = str(member.get("email", "")).lower()
        rows.append(
            RosterRow(
                sub=sub,
                name=str(member.get("name", "")),
                email=email,
                roles=[str(r).rsplit("#", 1)[-1] for r in member.get("roles", [])],
                status=str(member.get("status", "Active")),
                membership=matched,
                suggestion=None if matched else by_email.get(email),
            )
        )
    return rows


@transaction.atomic
def link_identity(*, context: Context, sub: str, membership: Membership) -> Identity:
    """Link an LMS member to an existing person of the organisation (an L&D lead's choice)."""
    if membership.organisation_id != context.organisation_id:
        raise PermissionError("membership of another organisation")
    identity, _created = Identity.objects.get_or_create(
        issuer=context.registration.issuer,
        sub=sub,
        defaults={
            "organisation_id": context.organisation_id,
            "registration": context.registration,
            "membership": membership,
        },
    )
    return identity
