"""The pages Teams shows: the personal tab, the channel tab's configuration and content.

All may be framed by Microsoft 365 and the organisation's own hosts (`allow_framing`).
Nobody signed in (the usual case in a frame, where our ordinary cookies are not sent): the
page offers "Sign in", which opens the popup sign-in (`embedding.views`).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ancrage.catalog.models import Path
from ancrage.engagement.models import Campaign
from ancrage.engagement.queries import campaign_path_ids, path_titles
from ancrage.licensing.entitlements import coverage_for
from ancrage.licensing.models import Programme
from ancrage.licensing.queries import learner_dashboard, programme_steps
from ancrage.microsoft365 import actions
from ancrage.microsoft365.embedding.decorators import allow_framing
from ancrage.microsoft365.models import Microsoft365Settings
from ancrage.microsoft365.queries import (
    TAB_CONFIGURERS,
    access_channel_tab,
    config_for_app,
    tab_events,
    tab_programmes,
)
from ancrage.player.queries import resume_entries
from ancrage.tenancy.models import Membership


def _member_of(request: HttpRequest, config: Microsoft365Settings) -> Membership | None:
    membership: Membership | None = getattr(request, "membership", None)
    if membership is not None and membership.organisation_id == config.organisation_id:
        return membership
    return None


def _framed(
    request: HttpRequest, config: Microsoft365Settings, template: str, context: dict[str, Any]
) -> HttpResponse:
    context = {"config": config, "organisation": config.organisation, "framed": True, **context}
    status = context.pop("status", 200)
    return allow_framing(render(request, template, context, status=status), config.organisation)


def _sign_in(request: HttpRequest, config: Microsoft365Settings) -> HttpResponse:
    other = request.user.is_authenticated
    return _framed(request, config, "microsoft365/tab_sign_in.html", {"other_organisation": other})


@never_cache
@require_GET
def personal_tab(request: HttpRequest, app_id: str) -> HttpResponse:
    config = config_for_app(app_id)
    member = _member_of(request, config)
    if member is None:
        return _sign_in(request, config)
    return _framed(
        request,
        config,
        "microsoft365/tab_personal.html",
        {"dashboard": learner_dashboard(member), "resume": resume_entries(member)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def tab_configure(request: HttpRequest, app_id: str) -> HttpResponse:
    config = config_for_app(app_id)
    member = _member_of(request, config)
    if member is None:
        return _sign_in(request, config)
    if member.role not in TAB_CONFIGURERS:
        return _framed(
            request, config, "microsoft365/tab_configure.html", {"not_allowed": True, "status": 403}
        )
    programmes, events = tab_programmes(member), tab_events(member)
    error = ""
    if request.method == "POST":
        kind, _sep, subject_id = request.POST.get("subject", "").partition(":")
        programme: Programme | None = None
        campaign: Campaign | None = None
        try:
            if kind == "programme":
                programme = programmes.get(pk=subject_id)
            elif kind == "event":
                campaign = events.get(pk=subject_id)
        except (Programme.DoesNotExist, Campaign.DoesNotExist, ValueError, ValidationError):
            pass  # refused below with the same message as an empty choice
        if programme is None and campaign is None:
            error = "subject"
        else:
            tab = actions.create_channel_tab(actor=member, programme=programme, campaign=campaign)
            return redirect(
                reverse("microsoft365_channel_tab", args=[config.teams_app_id, tab.pk])
                + "?configured=1"
            )
    return _framed(
        request,
        config,
        "microsoft365/tab_configure.html",
        {
            "programmes": programmes,
            "events": events,
            "error": error,
            "status": 400 if error else 200,
        },
    )


@never_cache
@require_GET
def channel_tab(request: HttpRequest, app_id: str, tab_id: str) -> HttpResponse:
    config = config_for_app(app_id)
    member = _member_of(request, config)
    if member is None:
        if request.user.is_authenticated and getattr(request, "membership", None) is not None:
            raise Http404
        return _sign_in(request, config)
    tab = access_channel_tab(member, config, tab_id)
    context: dict[str, Any] = {"tab": tab, "configured": request.GET.get("configured") == "1"}
    if tab.programme is not None:
        context["steps"] = programme_steps(tab.programme, coverage_for(member.organisation_id))
    else:
        assert tab.campaign is not None
        context["campaign"] = tab.campaign
        context["event"] = getattr(tab.campaign, "event", None)
        path_ids = campaign_path_ids(tab.campaign)
        titles = path_titles(path_ids)
        context["paths"] = [
            {"code": path.code, "title": titles.get(path.pk) or path.code}
            for path in Path.objects.filter(pk__in=path_ids).order_by("code")
        ]
    return _framed(request, config, "microsoft365/tab_channel.html", context)
