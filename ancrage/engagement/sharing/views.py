"""Thin views of knowledge sharing: the team feed, the share form (from a card of the
player or an action plan), reactions, featuring and deleting."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ancrage.engagement.models import SharedTakeaway
from ancrage.engagement.rendering import first_name
from ancrage.engagement.sharing import actions
from ancrage.engagement.sharing.forms import ReactionForm, ShareForm
from ancrage.engagement.sharing.queries import (
    access_takeaway,
    card_reference,
    featured_takeaways,
    may_react,
    path_title,
    reactions_for,
    team_feed,
)
from ancrage.tenancy.decorators import membership_required
from ancrage.tenancy.models import Membership, Role
from ancrage.transfer.queries import access_own_plan

LD_ROLES = (Role.LD_LEAD, Role.ORG_ADMIN)
FEED_SIZE = 50


def _actor(request: HttpRequest) -> Membership:
    return request.membership  # type: ignore[attr-defined,no-any-return]


def takeaway_rows(takeaways: list[SharedTakeaway], actor: Membership) -> list[dict[str, Any]]:
    reactions = reactions_for(takeaways, actor)
    titles: dict[Any, str] = {}
    rows = []
    for takeaway in takeaways:
        link = ""
        about = ""
        if takeaway.path_id is not None and takeaway.path is not None:
            if takeaway.path_id not in titles:
                titles[takeaway.path_id] = path_title(takeaway.path)
            about = titles[takeaway.path_id]
            link = reverse("player", args=[takeaway.path.code])
            if takeaway.card_key:
                link += f"?card={takeaway.card_key}"
        rows.append(
            {
                "takeaway": takeaway,
                "author": first_name(takeaway.author),
                "team": takeaway.team.name if takeaway.team else "",
                "about": about,
                "link": link,
                "reactions": reactions.of(takeaway.pk),
                "can_react": may_react(actor, takeaway),
                "can_delete": takeaway.author_id == actor.pk,
                "can_feature": actor.can_manage_people,
            }
        )
    return rows


@membership_required()
def feed(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    takeaways = list(team_feed(actor)[:FEED_SIZE])
    featured = list(featured_takeaways(actor.organisation)[:5])
    return render(
        request,
        "engagement/sharing/feed.html",
        {
            "rows": takeaway_rows(takeaways, actor),
            "featured": takeaway_rows(featured, actor),
            "team": actor.team,
            "whole_organisation": actor.can_manage_people,
        },
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("engagement_sharing_feed")


@membership_required()
def share(request: HttpRequest) -> HttpResponse:
    """GET ?path=<code>&card=<key> (from the player) or ?plan=<uuid> (from an action plan)."""
    actor = _actor(request)
    source = request.POST if request.method == "POST" else request.GET
    plan = access_own_plan(actor, source["plan"]) if source.get("plan") else None
    reference = card_reference(source.get("path", ""), source.get("card", ""))
    if source.get("path") and reference is None:
        return HttpResponseBadRequest(_("Unknown path: share from a card of the player."))
    teams_available = actions.team_channel(actor.team) is not None
    form = ShareForm(request.POST or None, teams_available=teams_available)
    if request.method == "POST" and form.is_valid():
        try:
            actions.share_takeaway(
                author=actor,
                text=form.cleaned_data["text"],
                path=reference.path if reference else None,
                card=reference.card if reference else None,
                card_key=reference.key if reference else "",
                action_plan=plan,
                post_to_teams=bool(form.cleaned_data.get("post_to_teams")),
            )
        except actions.SharingError as exc:
            form.add_error(exc.field or None, exc.message)
        else:
            messages.success(request, _("Shared with your team. Thank you!"))
            return redirect("engagement_sharing_feed")
    return render(
        request,
        "engagement/sharing/share.html",
        {
            "form": form,
            "reference": reference,
            "plan": plan,
            "team": actor.team,
            "back": (
                reverse("player", args=[reference.path.code])
                + (f"?card={reference.key}" if reference.key else "")
                if reference
                else ""
            ),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@membership_required()
def react(request: HttpRequest, takeaway_id: str) -> HttpResponse:
    actor = _actor(request)
    takeaway = access_takeaway(actor, takeaway_id)
    form = ReactionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose one of the reactions offered."))
    actions.toggle_reaction(takeaway=takeaway, member=actor, kind=form.cleaned_data["kind"])
    return redirect(_next_url(request) + f"#t-{takeaway.pk}")


@require_POST
@membership_required(*LD_ROLES)
def feature(request: HttpRequest, takeaway_id: str) -> HttpResponse:
    actor = _actor(request)
    takeaway = access_takeaway(actor, takeaway_id)
    featured = request.POST.get("featured") != "0"
    actions.feature_takeaway(takeaway=takeaway, by=actor, featured=featured)
    messages.success(
        request,
        _("Featured for the whole organisation.") if featured else _("No longer featured."),
    )
    return redirect(_next_url(request))


@require_POST
@membership_required()
def delete(request: HttpRequest, takeaway_id: str) -> HttpResponse:
    actor = _actor(request)
    takeaway = access_takeaway(actor, takeaway_id)
    actions.delete_takeaway(takeaway=takeaway, by=actor)
    messages.success(request, _("Your takeaway is deleted."))
    return redirect(_next_url(request))
