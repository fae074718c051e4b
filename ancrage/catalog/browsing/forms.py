"""The catalogue's search box and filters (a GET form: the page's address says what it shows)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.catalog.browsing.filters import DURATION_CHOICES, CatalogueFilters
from ancrage.catalog.models import Language, Level, Theme
from ancrage.catalog.search.query import MAX_QUERY_CHARS

ANY = [("", _("Any"))]


class CatalogueForm(forms.Form):
    q = forms.CharField(
        label=_("Search the catalogue"),
        required=False,
        max_length=MAX_QUERY_CHARS,
        help_text=_("A few words, for example: reformulate, feedback, memo sheet."),
        widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search"}),
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    duration = forms.ChoiceField(
        label=_("Duration"), required=False, choices=ANY + DURATION_CHOICES
    )
    level = forms.ChoiceField(label=_("Level"), required=False, choices=ANY + list(Level.choices))
    skill = forms.ChoiceField(label=_("Skill"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=ANY + list(Language.choices)
    )

    def __init__(self, *args: Any, themes: list[Theme], skills: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        theme_field = self.fields["theme"]
        assert isinstance(theme_field, forms.ChoiceField)
        theme_field.choices = ANY + [(t.code, t.title) for t in themes]
        skill_field = self.fields["skill"]
        assert isinstance(skill_field, forms.ChoiceField)
        skill_field.choices = ANY + [(s, s) for s in skills]

    @property
    def query(self) -> str:
        """The words searched for, once the form is validated ("" when none or invalid)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return str(data.get("q") or "").strip()

    def filters(self) -> CatalogueFilters:
        """The valid filters (an invalid one is reported on its field and not applied)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return CatalogueFilters(
            theme=data.get("theme", ""),
            duration=data.get("duration", ""),
            level=data.get("level", ""),
            skill=data.get("skill", ""),
            language=data.get("language", ""),
        )
