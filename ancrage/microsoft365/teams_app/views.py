"""The pages Teams shows: the personal tab, the channel tab's configuration and content.

All may be framed by Microsoft 365 and the organisation's own hosts (`allow_framing`).
Nobody signed in (the usual case in a frame, where our ordinary cookies are not sent): the
page offers "Sign in", which opens the popup sign-in (`embedding.views`).
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
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
    access_tab_subject,
    config_for_app,
    tab_events,
    tab_programmes,
)
from ancrage.microsoft365.teams_app.manifest import site_url
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
    """The configuration page Teams shows when a channel tab is added (GET), and the save
    its script calls when the person presses Teams' Save button (POST, answers JSON)."""
    config = config_for_app(app_id)
    member = _member_of(request, config)
    if request.method == "POST":
        return _save_tab(request, config, member)
    if member is None:
        return _sign_in(request, config)
    if member.role not in TAB_CONFIGURERS:
        return _framed(
            request, config, "microsoft365/tab_configure.html", {"not_allowed": True, "status": 403}
        )
    return _framed(
        request,
        config,
        "microsoft365/tab_configure.html",
        {"programmes": tab_programmes(member), "events": tab_events(member)},
    )


def _save_tab(
    request: HttpRequest, config: Microsoft365Settings, member: Membership | None
) -> JsonResponse:
    """Record the choice and answer what TeamsJS' `pages.config.setConfig` needs."""
    if member is None and request.user.is_authenticated:
        error = _(
            "You are signed in with an account of another organisation. Sign in with your "
            "account of this organisation."
        )
        return JsonResponse({"error": error}, status=403)
    if member is None:
        error = _("You are not signed in any more. Sign in again, then save.")
        return JsonResponse({"error": error}, status=403)
    if member.role not in TAB_CONFIGURERS:
        return JsonResponse(
            {"error": _("Only managers, L&D leads and admins choose what this tab shows.")},
            status=403,
        )
    try:
        subject = access_tab_subject(member, request.POST.get("subject", ""))
    except Http404:
        return JsonResponse({"error": _("Choose one programme or one themed event.")}, status=400)
    tab = actions.create_channel_tab(
        actor=member,
        programme=subject if isinstance(subject, Programme) else None,
        campaign=subject if isinstance(subject, Campaign) else None,
    )
    content_url = site_url() + reverse(
        "microsoft365_channel_tab", args=[config.teams_app_id, tab.pk]
    )
    return JsonResponse(
        {
            "contentUrl": content_url,
            "websiteUrl": content_url,
            "entityId": str(tab.pk),
            "suggestedDisplayName": subject.title,
        }
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
    context: dict[str, Any] = {"tab": tab}
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
