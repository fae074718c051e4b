"""Forms of the evaluation pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.evaluation.instruments import INSTRUMENTS


class IndicatorImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file of indicators"),
        help_text=_(
            "Columns: indicator; team; date; value. Nothing is imported if one line is wrong."
        ),
    )


def survey_form(instrument: str) -> type[forms.Form]:
    fields: dict[str, forms.Field] = {}
    for item in INSTRUMENTS[instrument]:
        if item.free_text:
            fields[item.name] = forms.CharField(
                label=str(item.question), required=False, widget=forms.Textarea(attrs={"rows": 4})
            )
        else:
            fields[item.name] = forms.ChoiceField(
                label=str(item.question), choices=item.choices, widget=forms.RadioSelect
            )
    return type("SurveyForm", (forms.Form,), fields)
