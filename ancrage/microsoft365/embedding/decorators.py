"""`frameable`: a view whose pages Microsoft 365 and the organisation's own hosts may frame.

Every other page keeps the global policy (`frame-ancestors 'none'`, `X-Frame-Options: DENY`).
Django's per-view CSP override (`django.views.decorators.csp.csp_override`) stores the
policy on `response._csp_config`; the sources depend on the organisation here, so this
decorator sets that same attribute per request instead of one fixed dict.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from ancrage.microsoft365.embedding.hosts import frame_ancestors
from ancrage.tenancy.models import Organisation

View = Callable[..., HttpResponse]


def organisation_hosts(organisation_id: Any) -> list[str]:
    from ancrage.microsoft365.models import Microsoft365Settings  # noqa: PLC0415 — app registry

    row = (
        Microsoft365Settings.objects.filter(organisation_id=organisation_id)
        .values_list("embed_hosts", flat=True)
        .first()
    )
    return list(row or [])


def allow_framing(response: HttpResponse, organisation: Organisation | None) -> HttpResponse:
    """Let Microsoft 365 (and `organisation`'s hosts) frame this response."""
    hosts = organisation_hosts(organisation.pk) if organisation is not None else []
    response._csp_config = {  # type: ignore[attr-defined]
        **settings.SECURE_CSP,
        "frame-ancestors": frame_ancestors(hosts),
    }
    response.xframe_options_exempt = True
    return response


def frameable(view: View) -> View:
    """Allow framing of the view's page for the signed-in member's organisation."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        membership = getattr(request, "membership", None)
        return allow_framing(response, membership.organisation if membership else None)

    return wrapped
