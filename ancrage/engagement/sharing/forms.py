"""The share form: what I take away (≤ 600 characters), optionally to my team's Teams channel."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.engagement.models import ReactionKind, SharedTakeaway


class ShareForm(forms.Form):
    text = forms.CharField(
        label=_("What I take away"),
        max_length=SharedTakeaway.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": SharedTakeaway.MAX_LENGTH}),
        help_text=_(
            "One practice you tried or will try (600 characters at most). Your team sees it with your first name."
        ),
    )
    post_to_teams = forms.BooleanField(
        label=_("Also post it in my team's Teams channel"), required=False
    )

    def __init__(self, *args: Any, teams_available: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not teams_available:
            del self.fields["post_to_teams"]


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(choices=ReactionKind.choices)
