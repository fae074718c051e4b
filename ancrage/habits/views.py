"""Pages of habits: the learner's habits page (ritual, weekly streak, recall), the one-tap
links of a reminder email, and the « Rappel de 2 minutes » session.

Everything here is the signed-in person's own: no page takes another person's id, and the
access_own_* helpers answer 404 for rows that are not theirs.
"""

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ancrage.catalog.cards import score_quiz
from ancrage.habits import actions
from ancrage.habits.actions import HabitRefused, RitualInput, describe_rhythm
from ancrage.habits.forms import HabitSettingsForm, RitualForm, TargetForm
from ancrage.habits.models import HabitSettings, Ritual, RitualState
from ancrage.habits.queries import (
    SESSION_SIZE,
    access_own_recall_item,
    access_own_review,
    access_own_ritual,
    active_ritual_of,
    due_recall_items,
    profile_of,
    recall_parameters_status,
    reviews_since,
)
from ancrage.habits.streaks import streak_of
from ancrage.habits.tokens import read_ritual_token
from ancrage.tenancy.decorators import membership_required
from ancrage.tenancy.models import Membership, MembershipStatus, Role


def _actor(request: HttpRequest) -> Membership:
    membership: Membership = request.membership  # type: ignore[attr-defined]
    return membership


def _ritual_initial(me: Membership, ritual: Ritual | None) -> dict[str, Any]:
    if ritual is not None:
        return {
            "frequency": ritual.frequency,
            "weekdays": ritual.weekdays,
            "local_time": ritual.local_time,
            "minutes": ritual.minutes,
            "cue": ritual.cue,
            "time_zone": ritual.time_zone,
        }
    profile = profile_of(me)
    zone = profile.time_zone or HabitSettings.for_organisation(me.organisation_id).time_zone
    return {"frequency": "weekly", "weekdays": [0], "minutes": 5, "time_zone": zone}


def _home(
    request: HttpRequest, *, form: RitualForm | None = None, status: int = 200
) -> HttpResponse:
    me = _actor(request)
    now = timezone.now()
    ritual = active_ritual_of(me)
    settings = HabitSettings.for_organisation(me.organisation_id)
    context = {
        "ritual": ritual,
        "rhythm": describe_rhythm(ritual) if ritual else "",
        "next_slot": ritual.next_slot_at.astimezone(ritual.zone)
        if ritual and ritual.next_slot_at
        else None,
        "form": form or RitualForm(initial=_ritual_initial(me, ritual)),
        "target_form": TargetForm(initial={"weekly_target": profile_of(me).weekly_target}),
        "streak": streak_of(me, now),
        "due_count": due_recall_items(me, now).count(),
        "quiet_start": settings.quiet_start,
        "quiet_end": settings.quiet_end,
    }
    return render(request, "habits/home.html", context, status=status)


@membership_required()
def home(request: HttpRequest) -> HttpResponse:
    return _home(request)


@require_POST
@membership_required()
def ritual_save(request: HttpRequest) -> HttpResponse:
    me = _actor(request)
    form = RitualForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.save_ritual(
                learner=me,
                data=RitualInput(
                    frequency=data["frequency"],
                    weekdays=data["weekdays"],
                    local_time=data["local_time"],
                    minutes=data["minutes"],
                    cue=data["cue"],
                    time_zone=data["time_zone"],
                ),
            )
        except HabitRefused as refused:
            form.add_error(refused.field or None, refused.message)
        else:
            messages.success(
                request, _("Your ritual is saved; the invitation is on its way to your calendar.")
            )
            return redirect("habits_home")
    return _home(request, form=form, status=400)


@require_POST
@membership_required()
def ritual_snooze(request: HttpRequest, ritual_id: str) -> HttpResponse:
    ritual = access_own_ritual(_actor(request), ritual_id)
    try:
        actions.snooze_ritual(ritual=ritual, until=request.POST.get("until", ""))
    except HabitRefused as refused:
        messages.error(request, refused.message)
        return _home(request, status=400)
    messages.success(request, _("The next reminder is moved."))
    return redirect("habits_home")


@require_POST
@membership_required()
def ritual_stop(request: HttpRequest, ritual_id: str) -> HttpResponse:
    ritual = access_own_ritual(_actor(request), ritual_id)
    actions.stop_ritual(ritual=ritual)
    messages.success(request, _("Your ritual is stopped and removed from your calendar."))
    return redirect("habits_home")


@require_http_methods(["GET", "POST"])
def ritual_link(request: HttpRequest, token: str) -> HttpResponse:
    """A one-tap link of a reminder email: no sign-in, the signed token is the proof. GET
    shows one button (mail scanners follow links; they must not snooze or stop anything)."""
    link = read_ritual_token(token)
    ritual = (
        Ritual.objects.select_related("learner__user")
        .filter(pk=link.ritual_id)
        .exclude(learner__status=MembershipStatus.DEACTIVATED)
        .first()
        if link
        else None
    )
    if link is None or ritual is None:
        return render(request, "habits/link_invalid.html", status=404)
    context: dict[str, Any] = {"ritual": ritual, "action": link.action, "token": token}
    if request.method == "POST":
        try:
            if link.action == "stop":
                actions.stop_ritual(ritual=ritual)
            else:
                ritual = actions.snooze_ritual(
                    ritual=ritual, until=link.action, slot_at=link.slot_at
                )
        except HabitRefused as refused:
            context["error"] = refused.message
            return render(request, "habits/link.html", context, status=409)
        context["done"] = True
        if ritual.next_slot_at and ritual.state == RitualState.ACTIVE:
            context["next_slot"] = ritual.next_slot_at.astimezone(ritual.zone)
    return render(request, "habits/link.html", context)


@require_POST
@membership_required()
def target(request: HttpRequest) -> HttpResponse:
    form = TargetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose between 1 and 3 active days a week."))
        return _home(request, status=400)
    actions.set_weekly_target(learner=_actor(request), target=form.cleaned_data["weekly_target"])
    messages.success(request, _("Your weekly goal is saved."))
    return redirect("habits_home")


@membership_required(Role.LD_LEAD, Role.ORG_ADMIN)
def organisation_settings(request: HttpRequest) -> HttpResponse:
    """The organisation's default time zone and quiet hours, and the status of its recall
    parameters (aggregate figures: no learner data on this page)."""
    me = _actor(request)
    current = HabitSettings.for_organisation(me.organisation_id)
    form = HabitSettingsForm(
        request.POST or None,
        initial={
            "time_zone": current.time_zone,
            "quiet_start": current.quiet_start,
            "quiet_end": current.quiet_end,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_habit_settings(organisation_id=me.organisation_id, **form.cleaned_data)
        except HabitRefused as refused:
            form.add_error(refused.field or None, refused.message)
        else:
            messages.success(request, _("The habit settings are saved."))
            return redirect("habits_settings")
    return render(
        request,
        "habits/settings.html",
        {"form": form, "recall": recall_parameters_status(me)},
        status=400 if form.errors else 200,
    )


# --- « Rappel de 2 minutes » -----------------------------------------------------------------


@membership_required()
def recall(request: HttpRequest) -> HttpResponse:
    me = _actor(request)
    now = timezone.now()
    due = due_recall_items(me, now)
    answered = reviews_since(me, now - timedelta(minutes=20)).count()
    remaining = due.count()
    item = due.first()
    if answered >= SESSION_SIZE and request.GET.get("more") != "1":
        item = None
    context = {
        "item": item,
        "remaining": remaining,
        "answered": answered,
        "session_done": item is None and remaining > 0,
    }
    return render(request, "habits/recall.html", context)


@require_POST
@membership_required()
def recall_answer(request: HttpRequest, item_id: str) -> HttpResponse:
    me = _actor(request)
    item = access_own_recall_item(me, item_id)
    card = item.card
    answer: Any
    if card.type == "quiz":
        try:
            picked = sorted({int(v) for v in request.POST.getlist("choice")})
            passed = score_quiz(card.payload, picked).correct
        except ValueError:
            messages.error(request, _("Choose an answer."))
            return redirect("habits_recall")
        answer = {"choices": picked}
    elif card.type == "flashcard":
        knew = request.POST.get("knew")
        if knew not in ("1", "0"):
            messages.error(request, _("Say whether you knew the answer."))
            return redirect("habits_recall")
        passed = knew == "1"
        answer = {"knew": passed}
    else:  # pragma: no cover — only quiz and flashcard cards become recall items
        raise Http404
    try:
        review = actions.answer_recall(item=item, passed=passed, answer=answer)
    except HabitRefused as refused:
        messages.error(request, refused.message)
        return redirect("habits_recall")
    return redirect("habits_recall_feedback", review_id=review.pk)


@membership_required()
def recall_feedback(request: HttpRequest, review_id: str) -> HttpResponse:
    review = access_own_review(_actor(request), review_id)
    card = review.item.card
    picked = set((review.answer or {}).get("choices", []))
    choices = []
    if card.type == "quiz":
        choices = [
            {
                "text": c["text"],
                "correct": c["correct"],
                "picked": i in picked,
                "feedback": c["feedback"],
            }
            for i, c in enumerate(card.payload["choices"])
        ]
    context = {"review": review, "card": card, "choices": choices}
    return render(request, "habits/recall_feedback.html", context)
