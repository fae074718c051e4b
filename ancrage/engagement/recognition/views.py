"""Thin views of recognition: rules (L&D lead), proposals to decide (L&D lead, managers),
nominations, and the learner's own recognitions (with the Teams consent button)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ancrage.engagement.models import RecognitionRule
from ancrage.engagement.recognition import actions
from ancrage.engagement.recognition.forms import NominationForm, RuleForm
from ancrage.engagement.recognition.queries import (
    access_recognition,
    access_rule,
    decided_by_scope,
    proposals_for,
    reports_of,
    rules_of,
    validated_of,
    waiting_for_ld,
)
from ancrage.engagement.sharing.actions import team_channel
from ancrage.tenancy.decorators import membership_required
from ancrage.tenancy.models import Membership, Role

LD_ROLES = (Role.LD_LEAD, Role.ORG_ADMIN)
DECIDERS = (Role.MANAGER, Role.LD_LEAD, Role.ORG_ADMIN)


def _actor(request: HttpRequest) -> Membership:
    return request.membership  # type: ignore[attr-defined,no-any-return]


@membership_required(*DECIDERS)
def inbox(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return render(
        request,
        "engagement/recognition/inbox.html",
        {
            "proposals": list(proposals_for(actor)),
            "waiting": list(waiting_for_ld(actor)) if not actor.can_manage_people else [],
            "decided": list(decided_by_scope(actor)[:30]),
            "is_ld": actor.can_manage_people,
        },
    )


@require_POST
@membership_required(*DECIDERS)
def decide(request: HttpRequest, recognition_id: str) -> HttpResponse:
    actor = _actor(request)
    recognition = access_recognition(actor, recognition_id)
    validate = request.POST.get("decision") == "validate"
    try:
        actions.decide_recognition(recognition=recognition, by=actor, validate=validate)
    except actions.RecognitionError as exc:
        messages.error(request, exc.message)
        return redirect("engagement_recognition_inbox")
    messages.success(
        request,
        _("Validated: %(name)s is told.") % {"name": recognition.learner.user.name}
        if validate
        else _("Declined."),
    )
    return redirect("engagement_recognition_inbox")


@membership_required(*DECIDERS)
def nominate(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    rules = list(RecognitionRule.objects.filter(organisation_id=actor.organisation_id))
    form = NominationForm(request.POST or None, people=list(reports_of(actor)), rules=rules)
    if request.method == "POST" and form.is_valid():
        try:
            actions.nominate(
                by=actor,
                learner=form.cleaned_data["learner"],
                rule=form.cleaned_data["rule"],
                title=form.cleaned_data["title"],
                reason=form.cleaned_data["reason"],
            )
        except actions.RecognitionError as exc:
            form.add_error(exc.field or None, exc.message)
        else:
            messages.success(
                request,
                _("Proposed. The L&D lead validates it.")
                if not actor.can_manage_people
                else _("Proposed. Validate it below."),
            )
            return redirect("engagement_recognition_inbox")
    return render(
        request,
        "engagement/recognition/nominate.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _rule_input(form: RuleForm) -> actions.RuleInput:
    data = form.cleaned_data
    return actions.RuleInput(
        name=data["name"],
        description=data["description"],
        period=data["period"],
        min_paths=data["min_paths"] or 0,
        min_takeaways=data["min_takeaways"] or 0,
        min_action_plans=data["min_action_plans"] or 0,
        active=data["active"],
    )


def _rule_page(request: HttpRequest, rule: RecognitionRule | None) -> HttpResponse:
    actor = _actor(request)
    initial = {}
    if rule is not None:
        initial = {
            "name": rule.name,
            "description": rule.description,
            "period": rule.period,
            "min_paths": rule.min_paths,
            "min_takeaways": rule.min_takeaways,
            "min_action_plans": rule.min_action_plans,
            "active": rule.active,
        }
    form = RuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if rule is None:
                actions.create_rule(by=actor, data=_rule_input(form))
            else:
                actions.update_rule(by=actor, rule=rule, data=_rule_input(form))
        except actions.RecognitionError as exc:
            form.add_error(exc.field or None, exc.message)
        else:
            messages.success(request, _("The recognition is saved."))
            return redirect("engagement_recognition_rules")
    return render(
        request,
        "engagement/recognition/rules.html",
        {"form": form, "rule": rule, "rules": list(rules_of(actor))},
        status=400 if form.errors else 200,
    )


@membership_required(*LD_ROLES)
def rules(request: HttpRequest) -> HttpResponse:
    return _rule_page(request, None)


@membership_required(*LD_ROLES)
def rule_edit(request: HttpRequest, rule_id: str) -> HttpResponse:
    return _rule_page(request, access_rule(_actor(request), rule_id))


@membership_required()
def mine(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return render(
        request,
        "engagement/recognition/mine.html",
        {
            "recognitions": list(validated_of(actor)),
            "teams_available": team_channel(actor.team) is not None,
        },
    )


@require_POST
@membership_required()
def post_to_teams(request: HttpRequest, recognition_id: str) -> HttpResponse:
    actor = _actor(request)
    recognition = access_recognition(actor, recognition_id)
    try:
        actions.post_recognition_to_teams(recognition=recognition, by=actor)
    except actions.RecognitionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Posted in your team's Teams channel."))
    return redirect("engagement_my_recognitions")
