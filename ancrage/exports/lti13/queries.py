"""Reads of the LTI tool and its `access_*` helpers (organisation + role scoped, 404 else)."""

import urllib.parse
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse

from ancrage.catalog.models import PathVersion, VersionStatus
from ancrage.exports.lti13.models import Context, Registration
from ancrage.licensing.entitlements import coverage_for
from ancrage.licensing.models import Programme
from ancrage.tenancy.models import Membership

LTI_ADMINS = ("ld_lead", "org_admin")


def _uuid(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def _can_administer(actor: Membership) -> None:
    if actor.role not in LTI_ADMINS:
        raise Http404


def registrations_of(actor: Membership) -> QuerySet[Registration]:
    _can_administer(actor)
    return Registration.objects.filter(organisation_id=actor.organisation_id)


def access_registration(actor: Membership, registration_id: Any) -> Registration:
    registration = registrations_of(actor).filter(pk=_uuid(registration_id)).first()
    if registration is None:
        raise Http404
    return registration


def access_context(actor: Membership, context_id: Any) -> Context:
    _can_administer(actor)
    context = (
        Context.objects.select_related("registration")
        .filter(pk=_uuid(context_id), organisation_id=actor.organisation_id)
        .first()
    )
    if context is None:
        raise Http404
    return context


def contexts_of(registration: Registration) -> QuerySet[Context]:
    return registration.contexts.exclude(memberships_url="")


def registration_for_login(issuer: str, client_id: str) -> Registration | None:
    """The active registration an OIDC login initiation names (client id optional when the
    issuer has a single registration)."""
    candidates = Registration.objects.filter(issuer=issuer, is_active=True)
    if client_id:
        return candidates.filter(client_id=client_id).first()
    found = list(candidates[:2])
    return found[0] if len(found) == 1 else None


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of a URL, or "" when it has none."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def platform_origins(
    registration: Registration | None = None, claimed_issuer: str = ""
) -> list[str]:
    """The origins that may frame our pages for this launch: the registration's platform
    (its issuer and its authentication URL); without a registration, those of every active
    registration of the issuer the request claims; otherwise none."""
    if registration is not None:
        registrations = [registration]
    elif claimed_issuer:
        registrations = list(Registration.objects.filter(issuer=claimed_issuer, is_active=True))
    else:
        registrations = []
    origins = {origin_of(r.issuer) for r in registrations} | {
        origin_of(r.auth_login_url) for r in registrations
    }
    return sorted(o for o in origins if o)


def absolute(url_name: str) -> str:
    return f"{settings.SITE_URL}{reverse(url_name)}"


@dataclass(frozen=True)
class ToolEndpoints:
    login: str
    launch: str
    deep_linking: str
    jwks: str


def tool_endpoints() -> ToolEndpoints:
    """What an LMS administrator copies into the LMS when registering the tool."""
    return ToolEndpoints(
        login=absolute("lti13_login"),
        launch=absolute("lti13_launch"),
        deep_linking=absolute("lti13_deep_linking"),
        jwks=absolute("lti13_jwks"),
    )


@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    title: str
    summary: str
    minutes: int


@dataclass(frozen=True)
class ProgrammeEntry:
    id: uuid.UUID
    title: str
    paths: list[CatalogueEntry]


def entitled_catalogue(organisation_id: uuid.UUID) -> list[CatalogueEntry]:
    """The published paths the organisation's effective licences cover now."""
    coverage = coverage_for(organisation_id)
    versions = (
        PathVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("path")
        .order_by("title")
    )
    return [
        CatalogueEntry(v.path.code, v.title, v.summary, v.promise_minutes)
        for v in versions
        if coverage.grants(v.path_id)
    ]


def entitled_programmes(
    organisation_id: uuid.UUID, catalogue: list[CatalogueEntry]
) -> list[ProgrammeEntry]:
    """The organisation's programmes, each with its entitled whole paths (in order)."""
    by_code = {entry.code: entry for entry in catalogue}
    programmes = []
    for programme in Programme.objects.filter(organisation_id=organisation_id).prefetch_related(
        "items__path"
    ):
        paths: list[CatalogueEntry] = []
        for item in programme.items.all():
            entry = by_code.get(item.path.code)
            if entry is not None and entry not in paths:
                paths.append(entry)
        if paths:
            programmes.append(ProgrammeEntry(programme.pk, programme.title, paths))
    return programmes
