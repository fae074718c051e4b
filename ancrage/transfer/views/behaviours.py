"""The L&D lead adapts a path's key behaviours and BARS anchors for the organisation."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ancrage.catalog.models import KeyBehaviour, PathVersion, VersionStatus
from ancrage.tenancy.decorators import membership_required
from ancrage.tenancy.models import Role
from ancrage.tenancy.queries import _uuid_or_404
from ancrage.transfer import actions
from ancrage.transfer.behaviours import shown_behaviour, shown_behaviours
from ancrage.transfer.forms import AdaptBehaviourForm
from ancrage.transfer.views.common import actor

LD_ROLES = (Role.LD_LEAD, Role.ORG_ADMIN)


@membership_required(*LD_ROLES)
def behaviours(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    versions = PathVersion.objects.filter(status=VersionStatus.PUBLISHED).order_by("title")
    groups = [(v, shown_behaviours(me.organisation_id, version=v)) for v in versions]
    return render(request, "transfer/behaviours.html", {"groups": [g for g in groups if g[1]]})


@membership_required(*LD_ROLES)
def adapt(request: HttpRequest, behaviour_id: str) -> HttpResponse:
    me = actor(request)
    try:
        behaviour = KeyBehaviour.objects.select_related("version__path").get(
            pk=_uuid_or_404(behaviour_id)
        )
    except KeyBehaviour.DoesNotExist as exc:
        raise Http404 from exc
    shown = shown_behaviour(me.organisation_id, behaviour)
    initial = {"statement": shown.statement}
    initial.update({f"anchor_{level}": text for level, text in shown.levels})
    form = AdaptBehaviourForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if "reset" in request.POST:
            actions.reset_key_behaviour(actor=me, key_behaviour=behaviour)
            messages.success(request, _("The publisher's wording is back."))
            return redirect("transfer_behaviours")
        if form.is_valid():
            actions.adapt_key_behaviour(
                actor=me,
                key_behaviour=behaviour,
                statement=form.cleaned_data["statement"],
                anchors=[form.cleaned_data[f"anchor_{n}"] for n in range(1, 6)],
            )
            messages.success(request, _("Your organisation's wording is saved."))
            return redirect("transfer_behaviours")
    return render(
        request,
        "transfer/behaviour_adapt.html",
        {"behaviour": behaviour, "shown": shown, "form": form},
    )
