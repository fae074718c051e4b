"""Client-side pages: a path and its start (learners); programmes, assignments and seat
requests (L&D leads and organisation admins). The catalogue itself is `catalogue`."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ancrage.catalog.models import Module, PathVersion, VersionStatus
from ancrage.licensing import actions
from ancrage.licensing.entitlements import (
    EntitlementRefused,
    Refusal,
    check_entitlement,
    coverage_for,
)
from ancrage.licensing.forms import (
    AddModuleForm,
    AddPathForm,
    AssignPersonForm,
    AssignTeamForm,
    ProgrammeForm,
    SelfEnrolmentForm,
)
from ancrage.licensing.models import Programme
from ancrage.licensing.queries import (
    access_assignment,
    access_learner_path,
    access_own_licence,
    access_programme,
    access_programme_item,
    access_seat,
    access_seat_request,
    assigned_path_ids,
    assignments_of,
    held_seats,
    licensed_versions,
    open_seat_requests,
    organisation_settings,
    path_titles,
    programme_steps,
    programmes_of,
)
from ancrage.licensing.responses import refusal_response
from ancrage.microsoft365.embedding.decorators import frameable
from ancrage.player.actions import start_path
from ancrage.player.models import Enrolment, EnrolmentOrigin
from ancrage.tenancy.decorators import membership_required
from ancrage.tenancy.models import Membership, Role

LD_ROLES = (Role.LD_LEAD, Role.ORG_ADMIN)


def _actor(request: HttpRequest) -> Membership:
    membership: Membership = request.membership  # type: ignore[attr-defined]
    return membership


# --- Everyone: the old catalogue address, a path, starting it ---------------------------------


def catalogue(request: HttpRequest) -> HttpResponse:
    """The old address of the licensed catalogue: the one catalogue page (`catalogue`) now
    shows what the licence covers and the start buttons. Permanent, query string kept."""
    target = reverse("catalogue")
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)


def _path_page(request: HttpRequest, code: str) -> HttpResponse:
    actor = _actor(request)
    path = access_learner_path(code)
    enrolment = Enrolment.objects.filter(membership=actor, path=path).first()
    version = (
        enrolment.path_version
        if enrolment is not None
        else PathVersion.objects.filter(path=path, status=VersionStatus.PUBLISHED).first()
    )
    if version is None:
        return refusal_response(request, Refusal.VERSION_RETIRED_FOR_NEW_STARTS)
    entitlement = check_entitlement(membership=actor, path_version=version)
    if not entitlement.allowed:
        assert entitlement.reason is not None
        return refusal_response(
            request, entitlement.reason, licence=entitlement.licence, path_title=version.title
        )
    assigned = path.pk in assigned_path_ids(actor)
    may_start = (
        enrolment is not None
        or assigned
        or organisation_settings(actor.organisation).allow_self_enrolment
    )
    context = {
        "path": path,
        "version": version,
        "modules": Module.objects.filter(version=version).order_by("order"),
        "enrolment": enrolment,
        "assigned": assigned,
        "may_start": may_start,
    }
    return render(request, "licensing/path.html", context)


@frameable
@membership_required()
def path_detail(request: HttpRequest, code: str) -> HttpResponse:
    return _path_page(request, code)


@membership_required()
def start(request: HttpRequest, code: str) -> HttpResponse:
    """GET shows the path (or the polite refusal); POST starts it, or comes back to it."""
    if request.method != "POST":
        return _path_page(request, code)
    actor = _actor(request)
    path = access_learner_path(code)
    origin = (
        EnrolmentOrigin.ASSIGNMENT if path.pk in assigned_path_ids(actor) else EnrolmentOrigin.SELF
    )
    try:
        start_path(membership=actor, path=path, origin=origin)
    except EntitlementRefused as refused:
        title = path_titles({path.pk}).get(path.pk, path.code)
        return refusal_response(request, refused.reason, licence=refused.licence, path_title=title)
    # The player takes it from here (it checks the entitlement again on every open).
    return redirect("player", code=path.code)


# --- L&D: self-enrolment setting, seats, seat requests ----------------------------------------


@require_POST
@membership_required(*LD_ROLES)
def self_enrolment(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = SelfEnrolmentForm(request.POST)
    form.is_valid()
    allowed = bool(form.cleaned_data.get("allow_self_enrolment"))
    actions.set_self_enrolment(organisation=actor.organisation, allowed=allowed)
    messages.success(
        request,
        _("Learners may now start any licensed path themselves.")
        if allowed
        else _("Learners now start paths from their assignments only."),
    )
    return redirect("catalogue")


@membership_required(*LD_ROLES)
def seats(request: HttpRequest, licence_id: str) -> HttpResponse:
    actor = _actor(request)
    licence = access_own_licence(actor, licence_id)
    context = {"licence": licence, "seats": held_seats(actor, licence)}
    return render(request, "licensing/seats.html", context)


@require_POST
@membership_required(*LD_ROLES)
def seat_release(request: HttpRequest, seat_id: str) -> HttpResponse:
    actor = _actor(request)
    seat = access_seat(actor, seat_id)
    actions.release_seat(actor=actor, seat=seat)
    messages.success(
        request,
        _("The seat of %(name)s is free again; their progress is kept.")
        % {"name": seat.membership.user.get_full_name()},
    )
    return redirect("licensing_seats", licence_id=seat.licence_id)


@membership_required(*LD_ROLES)
def seat_requests(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    requests = list(open_seat_requests(actor))
    titles = path_titles({r.path_id for r in requests})
    rows = [(r, titles.get(r.path_id, r.path.code)) for r in requests]
    return render(request, "licensing/seat_requests.html", {"rows": rows})


@require_POST
@membership_required(*LD_ROLES)
def seat_request_handled(request: HttpRequest, request_id: str) -> HttpResponse:
    actor = _actor(request)
    actions.handle_seat_request(actor=actor, seat_request=access_seat_request(actor, request_id))
    messages.success(request, _("The request is marked as handled."))
    return redirect("licensing_seat_requests")


# --- L&D: programmes ---------------------------------------------------------------------


@membership_required(*LD_ROLES)
def programmes(request: HttpRequest) -> HttpResponse:
    return render(
        request, "licensing/programmes.html", {"programmes": programmes_of(_actor(request))}
    )


def _form_errors(form: Any, error: actions.Invalid) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@membership_required(*LD_ROLES)
def programme_new(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = actions.create_programme(
                organisation=actor.organisation,
                by=actor,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                strategic_stake=form.cleaned_data["strategic_stake"],
            )
        except actions.Invalid as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Programme created. Now add its paths."))
            return redirect("licensing_programme", programme_id=programme.pk)
    return render(request, "licensing/programme_new.html", {"form": form})


def _programme_page(
    request: HttpRequest, programme: Programme, status: int = 200, **forms: Any
) -> HttpResponse:
    actor = _actor(request)
    coverage = coverage_for(actor.organisation_id)
    versions = list(licensed_versions(coverage))
    org = actor.organisation
    context = {
        "programme": programme,
        "steps": programme_steps(programme, coverage),
        "assignments": assignments_of(actor).filter(programme=programme),
        "details_form": forms.get("details_form")
        or ProgrammeForm(
            initial={
                "title": programme.title,
                "description": programme.description,
                "strategic_stake": programme.strategic_stake,
            }
        ),
        "path_form": forms.get("path_form") or AddPathForm(versions=versions),
        "module_form": forms.get("module_form") or AddModuleForm(versions=versions),
        "team_form": forms.get("team_form") or AssignTeamForm(organisation=org),
        "person_form": forms.get("person_form") or AssignPersonForm(organisation=org),
    }
    return render(request, "licensing/programme.html", context, status=status)


@membership_required(*LD_ROLES)
def programme(request: HttpRequest, programme_id: str) -> HttpResponse:
    actor = _actor(request)
    the_programme = access_programme(actor, programme_id)
    if request.method != "POST":
        return _programme_page(request, the_programme)
    form = ProgrammeForm(request.POST)
    if form.is_valid():
        try:
            actions.update_programme(
                programme=the_programme,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                strategic_stake=form.cleaned_data["strategic_stake"],
            )
        except actions.Invalid as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Programme saved."))
            return redirect("licensing_programme", programme_id=the_programme.pk)
    return _programme_page(request, the_programme, status=400, details_form=form)


@require_POST
@membership_required(*LD_ROLES)
def programme_add(request: HttpRequest, programme_id: str) -> HttpResponse:
    actor = _actor(request)
    the_programme = access_programme(actor, programme_id)
    versions = list(licensed_versions(coverage_for(actor.organisation_id)))
    form: AddPathForm | AddModuleForm
    if request.POST.get("kind") == "module":
        form = AddModuleForm(request.POST, versions=versions)
        key = "module_form"
    else:
        form = AddPathForm(request.POST, versions=versions)
        key = "path_form"
    if form.is_valid():
        if isinstance(form, AddModuleForm):
            path, slug = form.cleaned_data["module"]
            spec = actions.ItemSpec(path=path, module_slug=slug)
        else:
            spec = actions.ItemSpec(path=form.cleaned_data["path"])
        try:
            actions.add_programme_item(programme=the_programme, spec=spec)
        except actions.Invalid as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Step added."))
            return redirect(reverse("licensing_programme", args=[the_programme.pk]) + "#steps")
    return _programme_page(request, the_programme, status=400, **{key: form})


@require_POST
@membership_required(*LD_ROLES)
def programme_step(request: HttpRequest, programme_id: str, item_id: str) -> HttpResponse:
    """Move a step up or down, or remove it (plain POST buttons, no script needed)."""
    actor = _actor(request)
    the_programme = access_programme(actor, programme_id)
    item = access_programme_item(actor, the_programme, item_id)
    action = request.POST.get("action")
    if action in ("up", "down"):
        actions.move_programme_item(item=item, up=action == "up")
        messages.success(request, _("Step moved."))
    elif action == "remove":
        actions.remove_programme_item(item=item)
        messages.success(request, _("Step removed."))
    return redirect(reverse("licensing_programme", args=[the_programme.pk]) + "#steps")


@require_POST
@membership_required(*LD_ROLES)
def programme_delete(request: HttpRequest, programme_id: str) -> HttpResponse:
    actor = _actor(request)
    actions.delete_programme(programme=access_programme(actor, programme_id))
    messages.success(request, _("Programme deleted. What people started stays theirs."))
    return redirect("licensing_programmes")


def _assign_from(
    request: HttpRequest, form: AssignTeamForm | AssignPersonForm, **target: Any
) -> bool:
    """Validate an assignment form and assign; errors land on the form."""
    actor = _actor(request)
    if not form.is_valid():
        return False
    data = form.cleaned_data
    audience: dict[str, Any] = (
        {"team": data["team"], "include_subteams": data["include_subteams"]}
        if isinstance(form, AssignTeamForm)
        else {"membership": data["person"]}
    )
    if "path" in data:
        target = {"path": data["path"]}
    try:
        actions.assign(
            organisation=actor.organisation,
            by=actor,
            due_on=data.get("due_on"),
            **target,
            **audience,
        )
    except actions.Invalid as error:
        _form_errors(form, error)
        return False
    messages.success(request, _("Assigned. The people concerned see it on their home page."))
    return True


@require_POST
@membership_required(*LD_ROLES)
def programme_assign(request: HttpRequest, programme_id: str) -> HttpResponse:
    actor = _actor(request)
    the_programme = access_programme(actor, programme_id)
    form: AssignTeamForm | AssignPersonForm
    if request.POST.get("audience") == "person":
        form, key = AssignPersonForm(request.POST, organisation=actor.organisation), "person_form"
    else:
        form, key = AssignTeamForm(request.POST, organisation=actor.organisation), "team_form"
    if _assign_from(request, form, programme=the_programme):
        return redirect(reverse("licensing_programme", args=[the_programme.pk]) + "#assignments")
    return _programme_page(request, the_programme, status=400, **{key: form})


# --- L&D: all assignments, and assigning single paths ------------------------------------------


@membership_required(*LD_ROLES)
def assignments(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    org = actor.organisation
    versions = list(licensed_versions(coverage_for(actor.organisation_id)))
    initial = {"path": request.GET.get("path", "")}
    team_form = AssignTeamForm(organisation=org, versions=versions, initial=initial)
    person_form = AssignPersonForm(organisation=org, versions=versions, initial=initial)
    status = 200
    if request.method == "POST":
        form: AssignTeamForm | AssignPersonForm
        if request.POST.get("audience") == "person":
            form = person_form = AssignPersonForm(request.POST, organisation=org, versions=versions)
        else:
            form = team_form = AssignTeamForm(request.POST, organisation=org, versions=versions)
        if _assign_from(request, form):
            return redirect("licensing_assignments")
        status = 400
    rows = list(assignments_of(actor))
    titles = path_titles({a.path_id for a in rows if a.path_id})
    context = {
        "rows": [(a, titles.get(a.path_id, "") if a.path_id else "") for a in rows],
        "team_form": team_form,
        "person_form": person_form,
    }
    return render(request, "licensing/assignments.html", context, status=status)


@require_POST
@membership_required(*LD_ROLES)
def assignment_remove(request: HttpRequest, assignment_id: str) -> HttpResponse:
    actor = _actor(request)
    assignment = access_assignment(actor, assignment_id)
    programme_id = assignment.programme_id
    actions.remove_assignment(assignment=assignment)
    messages.success(request, _("Assignment removed. What people started stays theirs."))
    if request.POST.get("from") == "programme" and programme_id is not None:
        return redirect(reverse("licensing_programme", args=[programme_id]) + "#assignments")
    return redirect("licensing_assignments")
