"""Forms of the invitations page: invite one person, upload a people CSV."""

from typing import Any

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.csv_import import MAX_BYTES, MAX_ROWS
from ancrage.accounts.queries import active_members, team_choices
from ancrage.tenancy.models import Membership, Role, Team


class ManagerChoiceField(forms.ModelChoiceField[Membership]):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.get_full_name()} ({obj.user.email})"


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        help_text=_("First name and last name, as colleagues know them."),
    )
    team = forms.ChoiceField(label=_("Team"), required=False)
    manager = ManagerChoiceField(
        label=_("Manager"), queryset=Membership.objects.none(), required=False
    )
    role = forms.ChoiceField(label=_("Role"), initial=Role.LEARNER)

    def __init__(self, *args: Any, actor: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.teams = {str(team.pk): team for team, _label in team_choices(actor.organisation)}
        team_field = self.fields["team"]
        assert isinstance(team_field, forms.ChoiceField)
        team_field.choices = [("", _("No team"))] + [
            (str(team.pk), label) for team, label in team_choices(actor.organisation)
        ]
        manager_field = self.fields["manager"]
        assert isinstance(manager_field, ManagerChoiceField)
        manager_field.queryset = active_members(actor.organisation)
        manager_field.empty_label = _("No manager")
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [
            (value, label)
            for value, label in Role.choices
            if value != Role.ORG_ADMIN or actor.role == Role.ORG_ADMIN
        ]

    def clean_team(self) -> Team | None:
        value = self.cleaned_data.get("team") or ""
        return self.teams.get(value) if value else None


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "One line per person after a header line: email, name, team, manager email, role "
            "(French column names work too). UTF-8 or Excel's CSV export, comma or semicolon. "
            "At most %(rows)s people and %(size)s MB per file."
        ) % {
            "rows": number_format(MAX_ROWS, force_grouping=True),
            "size": MAX_BYTES // (1024 * 1024),
        }
