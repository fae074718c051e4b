"""Thin views of the bridge: the L&D lead's programmes, conversions and request inbox; the
learner's recommendations and request form."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ancrage.bridges import actions
from ancrage.bridges.forms import ProgrammeForm, RequestForm
from ancrage.bridges.models import FoundationProgramme, RequestStatus
from ancrage.bridges.queries import (
    MIN_GROUP,
    access_programme,
    access_recommended,
    access_request,
    conversions,
    path_title,
    recommended_to,
    requested_programme_ids,
    requests_of,
)
from ancrage.tenancy.decorators import membership_required
from ancrage.tenancy.models import Membership, Role

LD_ROLES = (Role.LD_LEAD, Role.ORG_ADMIN)


def _actor(request: HttpRequest) -> Membership:
    return request.membership  # type: ignore[attr-defined,no-any-return]


@membership_required(*LD_ROLES)
def programmes(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return render(
        request,
        "bridges/programmes.html",
        {
            "rows": conversions(actor),
            "min_group": MIN_GROUP,
            "open_count": requests_of(actor).filter(status=RequestStatus.NEW).count(),
        },
    )


def _input(form: ProgrammeForm) -> actions.ProgrammeInput:
    data = form.cleaned_data
    return actions.ProgrammeInput(
        path=data["path"],
        title=data["title"],
        format=data["format"],
        duration=data["duration"],
        facilitator=data["facilitator"],
        description=data["description"],
        registration_url=data["registration_url"],
        accepts_requests=data["accepts_requests"],
        active=data["active"],
    )


def _programme_form(request: HttpRequest, programme: FoundationProgramme | None) -> HttpResponse:
    actor = _actor(request)
    initial = {}
    if programme is not None:
        initial = {
            "path": programme.path.code,
            "title": programme.title,
            "format": programme.format,
            "duration": programme.duration,
            "facilitator": programme.facilitator,
            "description": programme.description,
            "registration_url": programme.registration_url,
            "accepts_requests": programme.accepts_requests,
            "active": programme.active,
        }
    form = ProgrammeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if programme is None:
                actions.create_programme(by=actor, data=_input(form))
            else:
                actions.update_programme(by=actor, programme=programme, data=_input(form))
        except actions.BridgeError as exc:
            form.add_error(exc.field or None, exc.message)
        else:
            messages.success(request, _("The programme is saved."))
            return redirect("bridges_programmes")
    return render(
        request,
        "bridges/programme_form.html",
        {"form": form, "programme": programme},
        status=400 if form.errors else 200,
    )


@membership_required(*LD_ROLES)
def programme_new(request: HttpRequest) -> HttpResponse:
    return _programme_form(request, None)


@membership_required(*LD_ROLES)
def programme_edit(request: HttpRequest, programme_id: str) -> HttpResponse:
    return _programme_form(request, access_programme(_actor(request), programme_id))


@membership_required(*LD_ROLES)
def inbox(request: HttpRequest) -> HttpResponse:
    rows = requests_of(_actor(request)).order_by("status", "-created_at")
    return render(request, "bridges/requests.html", {"rows": rows})


@require_POST
@membership_required(*LD_ROLES)
def request_handled(request: HttpRequest, request_id: str) -> HttpResponse:
    row = access_request(_actor(request), request_id)
    actions.mark_handled(request=row, by=_actor(request))
    messages.success(request, _("Marked as handled."))
    return redirect("bridges_requests")


@membership_required()
def for_me(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    rows = [
        {"programme": p, "path_title": path_title(p.path_id, p.path.code)}
        for p in recommended_to(actor).order_by("path__code", "title")
    ]
    return render(
        request, "bridges/for_me.html", {"rows": rows, "asked": requested_programme_ids(actor)}
    )


@membership_required()
def request_place(request: HttpRequest, programme_id: str) -> HttpResponse:
    actor = _actor(request)
    programme = access_recommended(actor, programme_id)
    if not programme.accepts_requests:
        raise PermissionDenied
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.request_place(
                learner=actor, programme=programme, message=form.cleaned_data["message"]
            )
        except actions.BridgeError as exc:
            form.add_error(exc.field or None, exc.message)
        else:
            messages.success(
                request, _("Your request has been sent to the L&D lead, who will answer you.")
            )
            return redirect("bridges_for_me")
    return render(
        request,
        "bridges/request.html",
        {
            "programme": programme,
            "path_title": path_title(programme.path_id, programme.path.code),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@membership_required()
def register(request: HttpRequest, programme_id: str) -> HttpResponse:
    actor = _actor(request)
    programme = access_recommended(actor, programme_id)
    try:
        actions.record_registration_click(learner=actor, programme=programme)
    except actions.BridgeError as exc:
        messages.error(request, exc.message)
        return redirect("bridges_for_me")
    return HttpResponseRedirect(programme.registration_url)
