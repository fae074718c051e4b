"""Forms of notify: a person's message preferences, and a Teams channel (L&D)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.queries import team_choices
from ancrage.notify.models import TeamsChannel
from ancrage.notify.webhooks import validate_webhook_url
from ancrage.tenancy.models import Organisation, Team


class PreferencesForm(forms.Form):
    campaigns = forms.BooleanField(
        label=_("Campaign and themed-event announcements"),
        required=False,
        help_text=_("News about learning campaigns and themed weeks in your organisation."),
    )
    reminders = forms.BooleanField(
        label=_("Reminders about paths I have not finished"),
        required=False,
        help_text=_("A short nudge when a campaign's path is waiting for you."),
    )
    calendar = forms.BooleanField(
        label=_("Calendar invitations to sessions"),
        required=False,
        help_text=_("Kick-off sessions of themed weeks, sent as calendar invitations."),
    )


class TeamsChannelForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        help_text=_("How you recognise the channel, e.g. “Verdane — Général”."),
    )
    webhook_url = forms.CharField(
        label=_("Workflows webhook URL"),
        max_length=2000,
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "In Teams, open the channel's Workflows, choose “Post to a channel when a webhook "
            "request is received”, and paste the URL it gives (it starts with https://)."
        ),
        validators=[validate_webhook_url],
    )
    team = forms.ChoiceField(
        label=_("Team"),
        required=False,
        help_text=_("Leave empty for a channel that speaks to the whole organisation."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.teams = {str(team.pk): team for team, _label in team_choices(organisation)}
        field = self.fields["team"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Whole organisation"))] + [
            (str(team.pk), label) for team, label in team_choices(organisation)
        ]

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        if TeamsChannel.objects.filter(
            organisation=self.organisation, name__iexact=name, active=True
        ).exists():
            raise forms.ValidationError(_("A channel with this name already exists."))
        return name

    def clean_team(self) -> Team | None:
        value = self.cleaned_data.get("team") or ""
        return self.teams.get(value) if value else None
