"""The learner's pages: action plans, check-ins, and what their manager recorded about them."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ancrage.catalog.models import KeyBehaviour
from ancrage.tenancy.decorators import membership_required
from ancrage.transfer import actions
from ancrage.transfer.actions import NotAllowed, PlanInput, TransferError
from ancrage.transfer.behaviours import shown_by_id
from ancrage.transfer.forms import CheckInForm, PlanForm, RenewForm
from ancrage.transfer.intentions import PARTS, missing_parts
from ancrage.transfer.models import ActionPlan, PlanState
from ancrage.transfer.queries import (
    access_own_check_in,
    access_own_plan,
    conversations_about,
    due_check_ins,
    observations_about,
    plans_of,
)
from ancrage.transfer.views.common import actor, apply_errors, behaviours_by_path


@membership_required()
def plans(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    context = {
        "plans": plans_of(me).order_by("-created_at"),
        "due": due_check_ins(me, timezone.localdate()),
    }
    return render(request, "transfer/plans.html", context)


def _plan_input(form: PlanForm, me: Any) -> PlanInput:
    data = form.cleaned_data
    key_behaviour = None
    if data["key_behaviour"]:
        allowed = {str(b.id) for _t, items in behaviours_by_path(me) for b in items}
        if data["key_behaviour"] in allowed:
            key_behaviour = KeyBehaviour.objects.select_related("version__path").get(
                pk=data["key_behaviour"]
            )
    return PlanInput(
        path=key_behaviour.version.path if key_behaviour else None,
        key_behaviour=key_behaviour,
        practice=data["practice"],
        planned_on=data["planned_on"],
        planned_at=data["planned_at"],
        place=data["place"],
        task=data["task"],
        anchor_habit=data["anchor_habit"],
        manager_visible=data["manager_visible"],
    )


def _missing(plan_or_data: Any) -> list[str]:
    names = missing_parts(
        planned_on=plan_or_data.planned_on,
        planned_at=plan_or_data.planned_at,
        place=plan_or_data.place,
        task=plan_or_data.task,
    )
    return [str(PARTS[name]) for name in names]


def _edit_plan(request: HttpRequest, plan: ActionPlan | None) -> HttpResponse:
    me = actor(request)
    groups = behaviours_by_path(me)
    initial: dict[str, Any] = {}
    if plan is not None:
        initial = {
            "key_behaviour": str(plan.key_behaviour_id or ""),
            "practice": plan.practice,
            "planned_on": plan.planned_on,
            "planned_at": plan.planned_at,
            "place": plan.place,
            "task": plan.task,
            "anchor_habit": plan.anchor_habit,
            "manager_visible": plan.manager_visible,
        }
    form = PlanForm(request.POST or None, initial=initial, behaviours=groups)
    missing = _missing(plan) if plan is not None else []
    if request.method == "POST" and form.is_valid():
        data = _plan_input(form, me)
        commit = "commit" in request.POST
        try:
            saved = actions.save_action_plan(learner=me, data=data, plan=plan, commit=commit)
        except NotAllowed as exc:
            raise Http404 from exc
        except TransferError as error:
            apply_errors(form, error)
            missing = _missing(data)
        else:
            if saved.state == PlanState.COMMITTED:
                messages.success(
                    request,
                    _("Your plan is committed: an invitation is on its way to your calendar."),
                )
            else:
                messages.success(request, _("Draft saved."))
            return redirect("transfer_plan", saved.pk)
    return render(
        request,
        "transfer/plan_form.html",
        {"form": form, "plan": plan, "missing": missing, "has_behaviours": bool(groups)},
    )


@membership_required()
def plan_new(request: HttpRequest) -> HttpResponse:
    return _edit_plan(request, None)


@membership_required()
def plan(request: HttpRequest, plan_id: str) -> HttpResponse:
    me = actor(request)
    the_plan = access_own_plan(me, plan_id)
    if request.GET.get("edit") or request.method == "POST":
        if the_plan.state not in (PlanState.DRAFT, PlanState.COMMITTED):
            raise Http404
        return _edit_plan(request, the_plan)
    behaviour = (
        shown_by_id(me.organisation_id, [the_plan.key_behaviour_id]).get(the_plan.key_behaviour_id)
        if the_plan.key_behaviour_id
        else None
    )
    context = {
        "plan": the_plan,
        "behaviour": behaviour,
        "missing": _missing(the_plan),
        "renew_form": RenewForm(),
        "check_ins": the_plan.check_ins.all(),
        "today": timezone.localdate(),
        "can_log": the_plan.state in (PlanState.DUE, PlanState.CHECKED_IN, PlanState.RENEWED),
        "can_renew": the_plan.state in (PlanState.DUE, PlanState.CHECKED_IN),
        "can_edit": the_plan.state in (PlanState.DRAFT, PlanState.COMMITTED),
    }
    return render(request, "transfer/plan.html", context)


@require_POST
@membership_required()
def plan_action(request: HttpRequest, plan_id: str, verb: str) -> HttpResponse:
    me = actor(request)
    the_plan = access_own_plan(me, plan_id)
    try:
        if verb == "drop":
            actions.drop_action_plan(learner=me, plan=the_plan)
            messages.success(request, _("Plan dropped; its calendar invitation is cancelled."))
        elif verb == "log":
            actions.log_practice(learner=me, plan=the_plan)
            messages.success(request, _("Well done: practice logged."))
        elif verb == "visibility":
            actions.set_plan_visibility(
                learner=me, plan=the_plan, visible=request.POST.get("visible") == "1"
            )
            messages.success(request, _("Visibility saved."))
        elif verb == "renew":
            form = RenewForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Give the next day and time."))
            else:
                actions.renew_action_plan(
                    learner=me,
                    plan=the_plan,
                    planned_on=form.cleaned_data["planned_on"],
                    planned_at=form.cleaned_data["planned_at"],
                )
                messages.success(request, _("Plan renewed: your calendar invitation is updated."))
        else:
            raise Http404
    except NotAllowed as exc:
        raise Http404 from exc
    except TransferError as error:
        for message in error.errors.values():
            messages.error(request, message)
    return redirect("transfer_plan", the_plan.pk)


@membership_required()
def check_in(request: HttpRequest, check_in_id: str) -> HttpResponse:
    me = actor(request)
    the_check_in = access_own_check_in(me, check_in_id)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer_check_in(
                learner=me,
                check_in=the_check_in,
                outcome=form.cleaned_data["outcome"],
                obstacle=form.cleaned_data["obstacle"],
                adjustment=form.cleaned_data["adjustment"],
            )
        except TransferError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Thank you: your check-in is saved."))
            return redirect("transfer_plan", the_check_in.plan_id)
    return render(
        request,
        "transfer/check_in.html",
        {"check_in": the_check_in, "plan": the_check_in.plan, "form": form},
    )


@membership_required()
def my_observations(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    observations = list(observations_about(me))
    shown = shown_by_id(me.organisation_id, [o.key_behaviour_id for o in observations])
    rows = [(o, shown[o.key_behaviour_id]) for o in observations]
    return render(
        request,
        "transfer/my_observations.html",
        {"rows": rows, "conversations": conversations_about(me)},
    )
