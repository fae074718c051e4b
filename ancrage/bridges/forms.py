"""Forms of the bridge pages: a foundation programme (L&D lead), a learner's request."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.bridges.models import ProgrammeFormat
from ancrage.catalog.models import Path, PathVersion, VersionStatus


class ProgrammeForm(forms.Form):
    path = forms.ChoiceField(label=_("After the path"))
    title = forms.CharField(label=_("Title"), max_length=200)
    format = forms.ChoiceField(label=_("Format"), choices=ProgrammeFormat.choices)
    duration = forms.CharField(
        label=_("Duration"), max_length=80, help_text=_("For example: 3 days, or 4 half-days.")
    )
    facilitator = forms.CharField(label=_("Facilitator"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    registration_url = forms.URLField(
        label=_("Registration link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Leave empty if learners ask you for a place."),
    )
    accepts_requests = forms.BooleanField(
        label=_("Learners can ask me for a place"), required=False, initial=True
    )
    active = forms.BooleanField(label=_("Shown to learners"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        titles = dict(
            PathVersion.objects.filter(status=VersionStatus.PUBLISHED).values_list(
                "path__code", "title"
            )
        )
        self.paths = {p.code: p for p in Path.objects.filter(code__in=titles).order_by("code")}
        field = self.fields["path"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [(code, f"{titles[code]} ({code})") for code in self.paths]

    def clean_path(self) -> Path:
        return self.paths[self.cleaned_data["path"]]


class RequestForm(forms.Form):
    message = forms.CharField(
        label=_("A word for the L&D lead (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
