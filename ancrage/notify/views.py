"""Pages of notify: unsubscribe (one click, no sign-in), a person's preferences, and for L&D
leads the Teams channels and the log of sent messages."""

from collections.abc import Iterable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ancrage.notify import actions
from ancrage.notify.forms import PreferencesForm, TeamsChannelForm
from ancrage.notify.models import DeliveryStatus, TeamsChannel, Topic
from ancrage.notify.queries import (
    ChannelHealth,
    access_teams_channel,
    outbox_of,
    preference_for,
    teams_channel_health,
    teams_channels_of,
)
from ancrage.notify.tokens import read_unsubscribe_token
from ancrage.tenancy.decorators import membership_required
from ancrage.tenancy.models import Membership, MembershipStatus, Role

LD_ROLES = (Role.LD_LEAD, Role.ORG_ADMIN)


def _actor(request: HttpRequest) -> Membership:
    membership: Membership = request.membership  # type: ignore[attr-defined]
    return membership


@csrf_exempt  # RFC 8058 one-click: mail clients POST without a CSRF token; the signed token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = read_unsubscribe_token(token)
    membership = (
        Membership.objects.select_related("user", "organisation")
        .exclude(status=MembershipStatus.DEACTIVATED)
        .filter(pk=found.membership_id)
        .first()
        if found
        else None
    )
    if found is None or membership is None:
        return render(request, "notify/unsubscribe_invalid.html", status=404)
    topic_label = Topic(found.topic).label
    if request.method == "POST":
        actions.unsubscribe(membership=membership, topic=found.topic)
        return render(
            request, "notify/unsubscribed.html", {"topic_label": topic_label, "member": membership}
        )
    return render(
        request,
        "notify/unsubscribe.html",
        {"topic_label": topic_label, "member": membership, "token": token},
    )


@membership_required()
def preferences(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    current = preference_for(actor)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            actions.set_preferences(membership=actor, **form.cleaned_data)
            messages.success(request, _("Your choices are saved."))
            return redirect("notify_preferences")
    else:
        form = PreferencesForm(
            initial={
                "campaigns": current.campaigns,
                "reminders": current.reminders,
                "calendar": current.calendar,
            }
        )
    return render(request, "notify/preferences.html", {"form": form})


@membership_required(*LD_ROLES)
def teams_channels(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = TeamsChannelForm(request.POST or None, organisation=actor.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_teams_channel(
                organisation=actor.organisation,
                name=form.cleaned_data["name"],
                webhook_url=form.cleaned_data["webhook_url"],
                team=form.cleaned_data["team"],
            )
        except ValidationError as exc:
            form.add_error("webhook_url", exc)
        else:
            messages.success(request, _("The Teams channel is configured."))
            return redirect("notify_teams_channels")
    return render(
        request,
        "notify/teams_channels.html",
        {"channels": _with_health(teams_channels_of(actor)), "form": form},
        status=400 if form.errors else 200,
    )


def _with_health(channels: Iterable[TeamsChannel]) -> list[tuple[TeamsChannel, ChannelHealth]]:
    rows = list(channels)
    health = teams_channel_health(rows)
    return [(channel, health.get(channel.pk, ChannelHealth())) for channel in rows]


@require_POST
@membership_required(*LD_ROLES)
def teams_channel_remove(request: HttpRequest, channel_id: str) -> HttpResponse:
    channel = access_teams_channel(_actor(request), channel_id)
    actions.remove_teams_channel(channel=channel)
    messages.success(request, _("The Teams channel is removed."))
    return redirect("notify_teams_channels")


@membership_required(*LD_ROLES)
def outbox(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    page = Paginator(outbox_of(_actor(request), status=status), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notify/outbox.html",
        {"page": page, "status": status, "statuses": DeliveryStatus.choices},
    )
