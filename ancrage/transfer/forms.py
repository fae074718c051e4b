"""Forms of the transfer pages; they only parse input — rules live in actions."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.transfer.behaviours import ShownBehaviour
from ancrage.transfer.models import ConversationKind, Frequency, Moment, Outcome, SituationKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


SCORE_CHOICES = [(0, "0"), (1, "1"), (2, "2")]


def optional_text(label: Any, *, rows: int, help_text: Any = "") -> forms.CharField:
    """A free-text answer that may be left empty, in a textarea of `rows` lines."""
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def score_choice(label: Any) -> forms.TypedChoiceField:
    """A 0–2 score of one part of a self-assessment, as radio buttons."""
    return forms.TypedChoiceField(
        label=label, coerce=int, choices=SCORE_CHOICES, widget=forms.RadioSelect
    )


class PlanForm(forms.Form):
    key_behaviour = forms.ChoiceField(
        label=_("Key behaviour I will practise"),
        required=False,
        help_text=_("Pick one of the path's key behaviours, or describe your practice below."),
    )
    practice = forms.CharField(label=_("Practice, in my own words"), max_length=300, required=False)
    planned_on = forms.DateField(
        label=_("Day"),
        required=False,
        widget=DateInput(),
        help_text=_("In the week after the path."),
    )
    planned_at = forms.TimeField(label=_("Time"), required=False, widget=TimeInput())
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("Where you will be: a meeting room, a call, the front desk…"),
    )
    task = forms.CharField(
        label=_("To accomplish (task)"),
        max_length=300,
        required=False,
        help_text=_("What you will be doing then, e.g. “the weekly team meeting”."),
    )
    anchor_habit = forms.CharField(
        label=_("Anchor habit (optional)"),
        max_length=200,
        required=False,
        help_text=_(
            "Something you already do that will remind you, e.g. “after my Monday stand-up”."
        ),
    )
    manager_visible = forms.BooleanField(
        label=_("My manager may see this plan"),
        required=False,
        help_text=_("Off by default. Your manager never sees your journal."),
    )

    def __init__(
        self, *args: Any, behaviours: list[tuple[str, list[ShownBehaviour]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices: list[Any] = [("", _("— A practice of my own —"))]
        for title, items in behaviours:
            choices.append((title, [(str(b.id), b.statement) for b in items]))
        cast(forms.ChoiceField, self.fields["key_behaviour"]).choices = choices


class RenewForm(forms.Form):
    planned_on = forms.DateField(label=_("Next day"), widget=DateInput())
    planned_at = forms.TimeField(label=_("Time"), widget=TimeInput())


class CheckInForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Did you do it?"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    obstacle = optional_text(
        _("What got in the way?"),
        rows=3,
        help_text=_("Needed if you did it only partly or not at all."),
    )
    adjustment = optional_text(_("What will you adjust next time?"), rows=3)


class ObservationContextForm(forms.Form):
    moment = forms.ChoiceField(label=_("When"), choices=Moment.choices, widget=forms.RadioSelect)
    observed_on = forms.DateField(label=_("Day observed"), widget=DateInput())
    context = forms.CharField(
        label=_("Context"),
        max_length=300,
        help_text=_("The situation you saw, e.g. “team meeting, Tuesday 9:30”."),
    )


class BehaviourRatingForm(forms.Form):
    """One key behaviour, one screen: the five anchors as big radio buttons."""

    score = forms.TypedChoiceField(
        label=_("Level"), coerce=int, required=False, empty_value=None, widget=forms.RadioSelect
    )
    frequency = forms.ChoiceField(
        label=_("How often did you see it?"),
        required=False,
        choices=[("", _("Not observed"))] + list(Frequency.choices),
        widget=forms.RadioSelect,
    )
    example = optional_text(
        _("One factual example"),
        rows=3,
        help_text=_("What a camera would have recorded: who said or did what, when."),
    )

    def __init__(self, *args: Any, behaviour: ShownBehaviour, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.behaviour = behaviour
        cast(forms.ChoiceField, self.fields["score"]).choices = [
            (level, f"{level} — {text}") for level, text in behaviour.levels
        ]
        self.fields["score"].label = behaviour.statement


class ConversationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Conversation"), choices=ConversationKind.choices, widget=forms.RadioSelect
    )
    held_on = forms.DateField(label=_("Day"), widget=DateInput())
    path = forms.ChoiceField(label=_("Path"), required=False)
    notes = optional_text(_("Notes (the learner sees them)"), rows=4)

    def __init__(self, *args: Any, paths: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["path"]).choices = [
            ("", _("— None in particular —")),
            *paths,
        ]


class JournalEntryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    occurred_on = forms.DateField(label=_("When it happened"), widget=DateInput())
    situation = forms.ChoiceField(label=_("Kind of situation"), choices=SituationKind.choices)
    description = optional_text(
        _("1. Description: what happened?"),
        rows=4,
        help_text=_("The facts, as a camera would have recorded them."),
    )
    feelings = optional_text(_("2. Feelings: what did you feel?"), rows=3)
    evaluation = optional_text(_("3. Evaluation: what went well, what went badly?"), rows=3)
    analysis = optional_text(
        _("4. Analysis: what sense do you make of it? Which needs were at stake?"), rows=3
    )
    conclusion = optional_text(_("5. Conclusion: what else could you have done?"), rows=3)
    action_plan = optional_text(_("6. Action plan: what will you do next time?"), rows=3)


class SelfAssessmentForm(forms.Form):
    observation = optional_text(_("Observation"), rows=2)
    observation_score = score_choice(_("Observation score"))
    feeling = optional_text(_("Feeling"), rows=2)
    feeling_score = score_choice(_("Feeling score"))
    need = optional_text(_("Need"), rows=2)
    need_score = score_choice(_("Need score"))
    request = optional_text(_("Request"), rows=2)
    request_score = score_choice(_("Request score"))


class SelfRatingForm(forms.Form):
    key_behaviour = forms.ChoiceField(label=_("Key behaviour"))
    score = forms.TypedChoiceField(
        label=_("Where I am today"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, behaviours: list[ShownBehaviour], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["key_behaviour"]).choices = [
            (str(b.id), b.statement) for b in behaviours
        ]


class AdaptBehaviourForm(forms.Form):
    statement = optional_text(_("Statement"), rows=3)
    anchor_1 = optional_text(_("Level 1"), rows=2)
    anchor_2 = optional_text(_("Level 2"), rows=2)
    anchor_3 = optional_text(_("Level 3"), rows=2)
    anchor_4 = optional_text(_("Level 4"), rows=2)
    anchor_5 = optional_text(_("Level 5"), rows=2)
