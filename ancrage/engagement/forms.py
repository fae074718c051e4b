"""Forms of the engagement pages: a campaign, a themed event, one message, a takeaway.

Forms turn the request into `CampaignInput` and let `actions.check_input` decide what is
acceptable, so the rules live in one place; its refusals come back as field errors.
"""

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.queries import team_choices
from ancrage.catalog.models import Path
from ancrage.engagement.actions import CampaignError, CampaignInput, EventInput, check_input
from ancrage.engagement.models import (
    Campaign,
    EventTheme,
    MessageAudience,
    MessageChannel,
    MessageKind,
)
from ancrage.engagement.placeholders import placeholder_list, problems
from ancrage.licensing.entitlements import coverage_for
from ancrage.licensing.models import Programme
from ancrage.licensing.queries import licensed_versions, programmes_of
from ancrage.notify.queries import teams_channels_of
from ancrage.tenancy.models import Membership, Role

PLACEHOLDER_HELP = _("Placeholders you may use: %(list)s.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    strategic_stake = forms.CharField(
        label=_("Strategic stake"),
        max_length=300,
        help_text=_("The organisation's priority the paths serve, e.g. “Climate plan 2030”."),
    )
    description = forms.CharField(
        label=_("Why this campaign"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the campaign page that the messages link to."),
    )
    everyone = forms.BooleanField(label=_("Everyone in the organisation"), required=False)
    teams = forms.MultipleChoiceField(
        label=_("Teams (with their sub-teams)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        required=False,
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("With teams too: only people of those teams who have these roles."),
    )
    paths = forms.MultipleChoiceField(
        label=_("Paths"), required=False, widget=forms.CheckboxSelectMultiple
    )
    programme = forms.ChoiceField(label=_("Or a programme"), required=False)
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=MessageChannel.choices,
        initial=[MessageChannel.EMAIL],
        widget=forms.CheckboxSelectMultiple,
    )
    teams_channel = forms.ChoiceField(label=_("Teams channel"), required=False)
    starts_on = forms.DateField(label=_("First day"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput())

    def __init__(self, *args: Any, actor: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        organisation = actor.organisation
        self.team_map = {str(team.pk): team for team, _label in team_choices(organisation)}
        self._set_choices("teams", [(str(t.pk), label) for t, label in team_choices(organisation)])
        versions = list(licensed_versions(coverage_for(organisation.pk)))
        self.path_map: dict[str, Path] = {str(v.path_id): v.path for v in versions}
        self._set_choices("paths", [(str(v.path_id), v.title) for v in versions])
        self.programme_map = {str(p.pk): p for p in programmes_of(actor)}
        self._set_choices(
            "programme",
            [("", _("No programme"))] + [(pk, p.title) for pk, p in self.programme_map.items()],
        )
        self.channel_map = {str(c.pk): c for c in teams_channels_of(actor)}
        self._set_choices(
            "teams_channel",
            [("", _("None"))] + [(pk, c.name) for pk, c in self.channel_map.items()],
        )

    def _set_choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def event_input(self, data: dict[str, Any]) -> EventInput | None:
        return None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        programme: Programme | None = self.programme_map.get(data.get("programme") or "")
        self.result = CampaignInput(
            title=data["title"],
            strategic_stake=data["strategic_stake"],
            description=data.get("description", ""),
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            everyone=bool(data.get("everyone")),
            teams=[self.team_map[pk] for pk in data.get("teams", [])],
            roles=list(data.get("roles", [])),
            programme=programme,
            paths=[self.path_map[pk] for pk in data.get("paths", [])],
            channels=list(data.get("channels", [])),
            teams_channel=self.channel_map.get(data.get("teams_channel") or ""),
            event=self.event_input(data),
        )
        try:
            check_input(self.actor.organisation_id, self.result)
        except CampaignError as exc:
            self.add_error(exc.field or None, exc.message)
        return data

    @classmethod
    def initial_for(cls, campaign: Campaign) -> dict[str, Any]:
        return {
            "title": campaign.title,
            "strategic_stake": campaign.strategic_stake,
            "description": campaign.description,
            "everyone": campaign.everyone,
            "teams": [str(pk) for pk in campaign.teams.values_list("pk", flat=True)],
            "roles": campaign.roles,
            "paths": [str(pk) for pk in campaign.paths.values_list("pk", flat=True)],
            "programme": str(campaign.programme_id or ""),
            "channels": campaign.channels,
            "teams_channel": str(campaign.teams_channel_id or ""),
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
        }


class EventForm(CampaignForm):
    theme = forms.ChoiceField(label=_("Theme"), choices=EventTheme.choices)
    participation_target = forms.IntegerField(
        label=_("Participation target (%)"),
        min_value=1,
        max_value=100,
        initial=30,
        help_text=_("Share of the audience you want to start at least one path this week."),
    )
    daily_card_time = forms.TimeField(
        label=_("Time of the daily Teams card"),
        required=False,
        initial=time(9, 0),
        widget=TimeInput(),
        help_text=_("Each working day of the event, a card with the path of the day."),
    )
    kickoff_starts_at = forms.DateTimeField(
        label=_("Kick-off session"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Optional: sent to the audience as a calendar invitation."),
    )
    kickoff_minutes = forms.IntegerField(
        label=_("Kick-off length (minutes)"), min_value=5, max_value=480, initial=30
    )
    kickoff_location = forms.CharField(
        label=_("Kick-off place or link"), max_length=200, required=False
    )

    field_order = [
        "title",
        "theme",
        "strategic_stake",
        "description",
        "starts_on",
        "ends_on",
        "participation_target",
    ]

    def event_input(self, data: dict[str, Any]) -> EventInput | None:
        kickoff: datetime | None = data.get("kickoff_starts_at")
        return EventInput(
            theme=data["theme"],
            participation_target=data["participation_target"],
            daily_card_time=data.get("daily_card_time"),
            kickoff_starts_at=kickoff,
            kickoff_minutes=data.get("kickoff_minutes") or 30,
            kickoff_location=data.get("kickoff_location", ""),
        )

    @classmethod
    def initial_for(cls, campaign: Campaign) -> dict[str, Any]:
        initial = super().initial_for(campaign)
        event = campaign.event
        initial.update(
            theme=event.theme,
            participation_target=event.participation_target,
            daily_card_time=event.daily_card_time,
            kickoff_starts_at=event.kickoff_starts_at,
            kickoff_minutes=event.kickoff_minutes,
            kickoff_location=event.kickoff_location,
        )
        return initial


def _check_placeholders(text: str) -> str:
    found = problems(text)
    if found:
        raise forms.ValidationError(found)
    return text


class MessageForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MessageKind.choices)
    send_at = forms.DateTimeField(label=_("Send on"), widget=DateTimeInput())
    audience = forms.ChoiceField(label=_("To whom"), choices=MessageAudience.choices)
    channels = forms.MultipleChoiceField(label=_("Channels"), widget=forms.CheckboxSelectMultiple)
    path = forms.ChoiceField(
        label=_("Path of the day"),
        required=False,
        help_text=_("For a daily card: the path it features ({parcours})."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}))

    def __init__(
        self,
        *args: Any,
        campaign: Campaign,
        paths: dict[str, Path],
        titles: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.paths = paths
        channels = self.fields["channels"]
        assert isinstance(channels, forms.ChoiceField)
        channels.choices = [(c, MessageChannel(c).label) for c in campaign.channels]
        path = self.fields["path"]
        assert isinstance(path, forms.ChoiceField)
        path.choices = [("", _("All the campaign's paths"))] + list(titles.items())
        help_text = PLACEHOLDER_HELP % {"list": placeholder_list()}
        self.fields["subject"].help_text = help_text
        self.fields["body"].help_text = _(
            "Leave an empty line between paragraphs. %(placeholders)s"
        ) % {"placeholders": help_text}

    def clean_subject(self) -> str:
        return _check_placeholders(str(self.cleaned_data["subject"]))

    def clean_body(self) -> str:
        return _check_placeholders(str(self.cleaned_data["body"]))

    def clean_path(self) -> Path | None:
        value = self.cleaned_data.get("path") or ""
        return self.paths.get(value) if value else None


class TakeawayForm(forms.Form):
    text = forms.CharField(
        label=_("What I take away"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One practice you tried or will try. Colleagues see it on this page with your first "
            "name."
        ),
    )
    quote_allowed = forms.BooleanField(
        label=_("The report may quote it, without my name"), required=False
    )
