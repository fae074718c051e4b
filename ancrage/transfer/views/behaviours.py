"""The L&D lead adapts a path's key behaviours and BARS anchors for the organisation."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ancrage.catalog.browsing.languages import by_language
from ancrage.catalog.models import PathVersion
from ancrage.tenancy.decorators import membership_required
from ancrage.tenancy.models import Role
from ancrage.transfer import actions
from ancrage.transfer.behaviours import ShownBehaviour, resolve, shown_behaviour
from ancrage.transfer.forms import AdaptBehaviourForm
from ancrage.transfer.queries import access_adaptable_behaviour, adaptable_behaviours
from ancrage.transfer.views.common import actor

LD_ROLES = (Role.LD_LEAD, Role.ORG_ADMIN)


@membership_required(*LD_ROLES)
def behaviours(request: HttpRequest) -> HttpResponse:
    """The behaviours of the licensed paths, one group per path (in the reading language
    first; the others under « Other languages »), as the organisation words them."""
    me = actor(request)
    rows = list(adaptable_behaviours(me))
    shown = dict(zip((kb.pk for kb in rows), resolve(rows, me.organisation_id), strict=True))
    groups: dict[object, tuple[PathVersion, list[ShownBehaviour]]] = {}
    for kb in rows:
        groups.setdefault(kb.version_id, (kb.version, []))[1].append(shown[kb.pk])
    split = by_language(groups.values(), language_of=lambda group: group[0].path.language)
    return render(
        request,
        "transfer/behaviours.html",
        {"groups": split.first, "other_groups": split.rest},
    )


@membership_required(*LD_ROLES)
def adapt(request: HttpRequest, behaviour_id: str) -> HttpResponse:
    me = actor(request)
    behaviour = access_adaptable_behaviour(me, behaviour_id)
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
