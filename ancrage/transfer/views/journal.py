"""The private journal: only its author ever reaches these pages' content.

Every view is `member_or_404` (publisher staff and people without a membership get 404,
not 403) and reads through `journal_of` / `access_journal_entry`, which filter on the
author: another person's entry id is a 404 whatever the actor's role.
"""

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ancrage.catalog.models import KeyBehaviour
from ancrage.transfer import actions
from ancrage.transfer.actions import GIBBS_FIELDS, TransferError
from ancrage.transfer.behaviours import shown_by_id
from ancrage.transfer.export import journal_export
from ancrage.transfer.forms import JournalEntryForm, SelfAssessmentForm, SelfRatingForm
from ancrage.transfer.markers import MARKER_LABELS
from ancrage.transfer.models import JournalEntry
from ancrage.transfer.queries import (
    access_journal_entry,
    journal_of,
    self_assessments_of,
    self_ratings_of,
)
from ancrage.transfer.views.common import actor, apply_errors, behaviours_by_path, member_or_404

CNV_ANCHORS = {
    "observation": (
        _("0 — a judgement or generalisation"),
        _("1 — facts mixed with interpretation"),
        _("2 — dated facts a camera would record"),
    ),
    "feeling": (
        _("0 — a pseudo-feeling (ignored, manipulated…)"),
        _("1 — a vague feeling (bad, not great)"),
        _("2 — a felt emotion (frustrated, worried)"),
    ),
    "need": (
        _("0 — a need that names a person or an action"),
        _("1 — a need mixed with a strategy"),
        _("2 — a universal need (respect, clarity)"),
    ),
    "request": (
        _("0 — a demand, or something vague"),
        _("1 — concrete but not open to no"),
        _("2 — concrete, positive, doable, open to no"),
    ),
}


def _flat_behaviours(request: HttpRequest) -> list:  # type: ignore[type-arg]
    return [b for _title, items in behaviours_by_path(actor(request)) for b in items]


@member_or_404
def journal(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    behaviours = _flat_behaviours(request)
    ratings = list(self_ratings_of(me).order_by("rated_on"))
    # Each rating with the behaviour as the organisation words it (never its code).
    shown = shown_by_id(me.organisation_id, [r.key_behaviour_id for r in ratings])
    return render(
        request,
        "transfer/journal.html",
        {
            "entries": journal_of(me),
            "assessments": self_assessments_of(me)[:10],
            "ratings": [(r, shown[r.key_behaviour_id]) for r in ratings],
            "rating_form": SelfRatingForm(behaviours=behaviours) if behaviours else None,
        },
    )


def _entry_form(request: HttpRequest, entry: JournalEntry | None) -> HttpResponse:
    me = actor(request)
    initial = (
        {
            "title": entry.title,
            "occurred_on": entry.occurred_on,
            "situation": entry.situation,
            **{name: getattr(entry, name) for name in GIBBS_FIELDS},
        }
        if entry
        else {"occurred_on": timezone.localdate()}
    )
    form = JournalEntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = actions.save_journal_entry(
                author=me,
                entry=entry,
                title=data["title"],
                occurred_on=data["occurred_on"],
                situation=data["situation"],
                sections={name: data[name] for name in GIBBS_FIELDS},
            )
        except TransferError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved in your private journal."))
            return redirect("transfer_journal_entry", saved.pk)
    return render(request, "transfer/journal_form.html", {"form": form, "entry": entry})


@member_or_404
def entry_new(request: HttpRequest) -> HttpResponse:
    return _entry_form(request, None)


@member_or_404
def entry(request: HttpRequest, entry_id: str) -> HttpResponse:
    me = actor(request)
    the_entry = access_journal_entry(me, entry_id)
    if request.GET.get("edit") or request.method == "POST":
        return _entry_form(request, the_entry)
    markers = [{**m, "label": MARKER_LABELS.get(m["code"], "")} for m in the_entry.markers]
    return render(
        request,
        "transfer/journal_entry.html",
        {
            "entry": the_entry,
            "markers": markers,
            "assessments": the_entry.self_assessments.all(),
            "assessment_form": SelfAssessmentForm(),
            "anchors": CNV_ANCHORS,
        },
    )


@require_POST
@member_or_404
def assess(request: HttpRequest, entry_id: str) -> HttpResponse:
    me = actor(request)
    the_entry = access_journal_entry(me, entry_id)
    form = SelfAssessmentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            assessment = actions.save_self_assessment(
                author=me,
                entry=the_entry,
                assessed_on=timezone.localdate(),
                texts={k: data[k] for k in ("observation", "feeling", "need", "request")},
                scores={
                    k: data[f"{k}_score"] for k in ("observation", "feeling", "need", "request")
                },
            )
        except TransferError as error:
            apply_errors(form, error)
        else:
            if assessment.markers:
                messages.warning(
                    request,
                    _("Look again at the words flagged in your grid: they often mean a 0."),
                )
            else:
                messages.success(request, _("Self-assessment saved."))
            return redirect("transfer_journal_entry", the_entry.pk)
    return render(
        request,
        "transfer/journal_entry.html",
        {
            "entry": the_entry,
            "markers": the_entry.markers,
            "assessments": the_entry.self_assessments.all(),
            "assessment_form": form,
            "anchors": CNV_ANCHORS,
        },
        status=400,
    )


@require_POST
@member_or_404
def rate(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    form = SelfRatingForm(request.POST, behaviours=_flat_behaviours(request))
    if form.is_valid():
        behaviour = KeyBehaviour.objects.select_related("version").get(
            pk=form.cleaned_data["key_behaviour"]
        )
        actions.rate_own_behaviour(
            author=me,
            key_behaviour=behaviour,
            score=form.cleaned_data["score"],
            rated_on=timezone.localdate(),
        )
        messages.success(request, _("Self-rating saved."))
    else:
        messages.error(request, _("Choose a behaviour and a level from 1 to 5."))
    return redirect("transfer_journal")


@member_or_404
def export_json(request: HttpRequest) -> HttpResponse:
    data = journal_export(actor(request))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="mon-journal-ancrage.json"'
    return response


@member_or_404
def export_print(request: HttpRequest) -> HttpResponse:
    return render(request, "transfer/journal_print.html", {"data": journal_export(actor(request))})
