"""The manager's pages: the team, one report, the phone observation form, conversations.

Every page reaches a person only through `access_report` (their Membership.manager is the
actor): anyone else — another manager, the L&D lead, an admin — gets a 404. Nothing here
reads the journal.
"""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ancrage.audit.actions import record_learner_viewed, record_learners_viewed
from ancrage.catalog.models import KeyBehaviour, Path, PathVersion, VersionStatus
from ancrage.player.models import Enrolment
from ancrage.tenancy.decorators import membership_required
from ancrage.transfer import actions
from ancrage.transfer.actions import NotAllowed, Rating, TransferError
from ancrage.transfer.behaviours import shown_behaviours, shown_by_id
from ancrage.transfer.forms import BehaviourRatingForm, ConversationForm, ObservationContextForm
from ancrage.transfer.markers import detect
from ancrage.transfer.queries import (
    access_observation_as_manager,
    access_report,
    conversations_about,
    observations_by,
    plans_shared_with,
    team_overview,
)
from ancrage.transfer.views.common import actor, apply_errors


@membership_required()
def team(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    rows = team_overview(me, timezone.localdate())
    # Each report's progress, observations and shared plans: a view of their results.
    record_learners_viewed(actor=me, learners=[row.person for row in rows], page="transfer_team")
    return render(request, "transfer/team.html", {"rows": rows})


def _path_versions(person: Any) -> list[PathVersion]:
    """The versions the person follows; before any start, the published catalogue."""
    versions = [
        e.path_version
        for e in Enrolment.objects.filter(
            organisation_id=person.organisation_id, membership=person
        ).select_related("path_version__path")
    ]
    if versions:
        return versions
    return list(
        PathVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("path")
        .order_by("title")
    )


@membership_required()
def report(request: HttpRequest, learner_id: str) -> HttpResponse:
    me = actor(request)
    person = access_report(me, learner_id)
    record_learner_viewed(actor=me, learner=person, page="transfer_report")
    observations = list(observations_by(me).filter(learner=person))
    shown = shown_by_id(me.organisation_id, [o.key_behaviour_id for o in observations])
    context = {
        "person": person,
        "enrolments": Enrolment.objects.filter(
            organisation_id=me.organisation_id, membership=person
        ).select_related("path_version"),
        "plans": plans_shared_with(me).filter(learner=person),
        "observations": [(o, shown[o.key_behaviour_id]) for o in observations],
        "conversations": conversations_about(person),
        "versions": _path_versions(person),
    }
    return render(request, "transfer/report.html", context)


@membership_required()
def observe(request: HttpRequest, learner_id: str) -> HttpResponse:
    """Rate a report's key behaviours on a phone: one behaviour per screen height."""
    me = actor(request)
    person = access_report(me, learner_id)
    versions = _path_versions(person)
    chosen = request.GET.get("path") or request.POST.get("path") or ""
    version = next((v for v in versions if str(v.path_id) == chosen), None)
    if version is None:
        if len(versions) != 1:
            return render(
                request, "transfer/observe_pick.html", {"person": person, "versions": versions}
            )
        version = versions[0]
    behaviours = shown_behaviours(me.organisation_id, version=version)
    data = request.POST or None
    context_form = ObservationContextForm(
        data,
        prefix="ctx",
        initial={"moment": request.GET.get("moment", ""), "observed_on": timezone.localdate()},
    )
    forms = [
        BehaviourRatingForm(data, prefix=f"b{index}", behaviour=behaviour)
        for index, behaviour in enumerate(behaviours)
    ]
    if request.method == "POST":
        checked = [f.is_valid() for f in forms]  # every form, so each shows its errors
        if context_form.is_valid() and all(checked):
            ratings = [
                Rating(
                    key_behaviour=KeyBehaviour.objects.select_related("version").get(
                        pk=f.behaviour.id
                    ),
                    score=f.cleaned_data["score"],
                    frequency=f.cleaned_data["frequency"],
                    example=f.cleaned_data["example"],
                )
                for f in forms
                if f.cleaned_data["score"] is not None
            ]
            try:
                actions.record_observations(
                    observer=me,
                    learner=person,
                    path=Path.objects.get(pk=version.path_id),
                    moment=context_form.cleaned_data["moment"],
                    context=context_form.cleaned_data["context"],
                    observed_on=context_form.cleaned_data["observed_on"],
                    ratings=ratings,
                )
            except NotAllowed as exc:
                raise Http404 from exc
            except TransferError as error:
                by_id = {str(f.behaviour.id): f for f in forms}
                for name, message in error.errors.items():
                    if name.startswith("example-") and name[8:] in by_id:
                        by_id[name[8:]].add_error("example", message)
                    elif name in by_id:
                        by_id[name].add_error("score", message)
                    else:
                        context_form.add_error(
                            name if name in context_form.fields else None, message
                        )
            else:
                flagged = [m.found for r in ratings for m in detect(r.example, ("observation",))]
                messages.success(
                    request,
                    _("Observation saved. %(name)s can see it now.")
                    % {"name": person.user.get_short_name()},
                )
                if flagged:
                    messages.warning(
                        request,
                        _(
                            "Your example contains “%(words)s”: a camera records one moment, "
                            "not a judgement. You can discuss it with the facts."
                        )
                        % {"words": ", ".join(flagged)},
                    )
                return redirect("transfer_report", person.pk)
    return render(
        request,
        "transfer/observe.html",
        {
            "person": person,
            "version": version,
            "context_form": context_form,
            "forms": forms,
            "total": len(forms),
        },
    )


@membership_required()
def conversation(request: HttpRequest, learner_id: str) -> HttpResponse:
    me = actor(request)
    person = access_report(me, learner_id)
    versions = _path_versions(person)
    form = ConversationForm(
        request.POST or None,
        initial={"held_on": timezone.localdate()},
        paths=[(str(v.path_id), v.title) for v in versions],
    )
    if request.method == "POST" and form.is_valid():
        path_id = form.cleaned_data["path"]
        try:
            actions.record_conversation(
                manager=me,
                learner=person,
                kind=form.cleaned_data["kind"],
                held_on=form.cleaned_data["held_on"],
                notes=form.cleaned_data["notes"],
                path=Path.objects.filter(pk=path_id).first() if path_id else None,
            )
        except NotAllowed as exc:
            raise Http404 from exc
        except TransferError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Conversation recorded."))
            return redirect("transfer_report", person.pk)
    return render(request, "transfer/conversation.html", {"person": person, "form": form})


@require_POST
@membership_required()
def observation_discussed(request: HttpRequest, observation_id: str) -> HttpResponse:
    me = actor(request)
    observation = access_observation_as_manager(me, observation_id)
    try:
        actions.mark_observation_discussed(observer=me, observation=observation)
    except NotAllowed as exc:
        raise Http404 from exc
    except TransferError as error:
        for message in error.errors.values():
            messages.error(request, message)
    return redirect("transfer_report", observation.learner_id)
