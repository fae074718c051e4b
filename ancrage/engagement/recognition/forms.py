"""Forms of recognition: a rule (L&D lead), a nomination (manager or L&D lead)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.engagement.models import RecognitionPeriod, RecognitionRule
from ancrage.tenancy.models import Membership


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("What it values"), max_length=300, required=False)
    period = forms.ChoiceField(label=_("Over"), choices=RecognitionPeriod.choices)
    min_paths = forms.IntegerField(
        label=_("Paths finished (at least)"), min_value=0, max_value=50, initial=0, required=False
    )
    min_takeaways = forms.IntegerField(
        label=_("Takeaways shared (at least)"),
        min_value=0,
        max_value=50,
        initial=0,
        required=False,
    )
    min_action_plans = forms.IntegerField(
        label=_("Action plans committed (at least)"),
        min_value=0,
        max_value=50,
        initial=0,
        required=False,
    )
    active = forms.BooleanField(label=_("Propose it automatically"), required=False, initial=True)


class NominationForm(forms.Form):
    learner = forms.ChoiceField(label=_("Who"))
    rule = forms.ChoiceField(label=_("Recognition"), required=False)
    title = forms.CharField(
        label=_("Or name it"),
        max_length=120,
        required=False,
        help_text=_("For example: « Esprit d'entraide »."),
    )
    reason = forms.CharField(
        label=_("What they did"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One factual sentence: what you saw, when. The person will read it."),
    )

    def __init__(
        self,
        *args: Any,
        people: list[Membership],
        rules: list[RecognitionRule],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(m.pk): m for m in people}
        self.rules = {str(r.pk): r for r in rules}
        learner = self.fields["learner"]
        assert isinstance(learner, forms.ChoiceField)
        learner.choices = [("", "—")] + [
            (key, m.user.name or m.user.email) for key, m in self.people.items()
        ]
        rule = self.fields["rule"]
        assert isinstance(rule, forms.ChoiceField)
        rule.choices = [("", "—")] + [(key, r.name) for key, r in self.rules.items()]

    def clean_learner(self) -> Membership:
        return self.people[self.cleaned_data["learner"]]

    def clean_rule(self) -> RecognitionRule | None:
        value = self.cleaned_data.get("rule") or ""
        return self.rules.get(value) if value else None
