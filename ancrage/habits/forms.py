"""Forms of habits: the ritual (days, time, minutes, cue, time zone) and the weekly target."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.habits.models import Frequency
from ancrage.habits.models.rituals import MINUTE_CHOICES
from ancrage.habits.slots import zone_choices

WEEKDAYS = (
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
)


class RitualForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Rhythm"), choices=Frequency.choices, widget=forms.RadioSelect
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a weekly ritual, tick one day."),
    )
    local_time = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    minutes = forms.TypedChoiceField(
        label=_("Minutes"),
        coerce=int,
        choices=[(m, str(m)) for m in MINUTE_CHOICES],
        initial=5,
    )
    cue = forms.CharField(
        label=_("Cue"),
        max_length=200,
        required=False,
        help_text=_("What reminds you, e.g. « after the Monday stand-up »."),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["time_zone"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = zone_choices(
            str(self.initial.get("time_zone") or self.data.get("time_zone") or "")
        )


class TargetForm(forms.Form):
    weekly_target = forms.TypedChoiceField(
        label=_("My weekly goal"),
        coerce=int,
        choices=[
            (1, _("1 active day a week")),
            (2, _("2 active days a week")),
            (3, _("3 active days a week")),
        ],
        widget=forms.RadioSelect,
    )


class HabitSettingsForm(forms.Form):
    """The organisation's defaults: time zone of new rituals and quiet hours (local time)."""

    time_zone = forms.ChoiceField(label=_("Default time zone"))
    quiet_start = forms.TimeField(
        label=_("Quiet hours start"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    quiet_end = forms.TimeField(
        label=_("Quiet hours end"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("No reminder is sent between these times, in each learner's time zone."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["time_zone"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = zone_choices(
            str(self.initial.get("time_zone") or self.data.get("time_zone") or "")
        )
