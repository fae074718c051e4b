"""Forms of the licensing pages: programmes and assignments (L&D), licences (publisher)."""

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.queries import active_members, team_choices
from ancrage.catalog.browsing.languages import by_language
from ancrage.catalog.models import Module, Path, PathVersion, VersionStatus
from ancrage.licensing.models import Offer
from ancrage.tenancy.models import Membership, Organisation, Team


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ProgrammeForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("What the programme is for, e.g. “Onboarding managers 2027”."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why these paths, for whom, and what should change in daily work."),
    )
    strategic_stake = forms.CharField(
        label=_("Strategic stake"),
        max_length=300,
        required=False,
        help_text=_("The organisation's priority it serves, e.g. “Climate plan 2030”."),
    )


def _version_label(version: PathVersion) -> str:
    return f"{version.title} ({version.path.code})"


def path_choices(versions: list[PathVersion]) -> list[Any]:
    """Paths in the reading language first; the others grouped under their language."""
    split = by_language(versions)
    choices: list[Any] = [(v.path.code, _version_label(v)) for v in split.first]
    for group in split.others:
        label = _("Other language: %(language)s") % {"language": group.label}
        choices.append((label, [(v.path.code, _version_label(v)) for v in group.items]))
    return choices


class AddPathForm(forms.Form):
    path = forms.ChoiceField(label=_("Path"))

    def __init__(self, *args: Any, versions: list[PathVersion], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "add-path-%s")
        super().__init__(*args, **kwargs)
        self.paths = {v.path.code: v.path for v in versions}
        field = self.fields["path"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = path_choices(versions)

    def clean_path(self) -> Path:
        return self.paths[self.cleaned_data["path"]]


class AddModuleForm(forms.Form):
    module = forms.ChoiceField(
        label=_("Module"),
        help_text=_("A single module of a path, when the whole path is more than needed."),
    )

    def __init__(self, *args: Any, versions: list[PathVersion], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "add-module-%s")
        super().__init__(*args, **kwargs)
        by_version: dict[Any, list[Module]] = {}
        for module in Module.objects.filter(version__in=versions).order_by("version", "order"):
            by_version.setdefault(module.version_id, []).append(module)
        self.modules: dict[str, tuple[Path, str]] = {}
        choices: list[Any] = []
        split = by_language(versions)
        labelled = [(v, _version_label(v)) for v in split.first] + [
            (v, f"{_version_label(v)} — {other.label}")
            for other in split.others
            for v in other.items
        ]
        for version, label in labelled:
            group = []
            for module in by_version.get(version.pk, []):
                value = f"{version.path.code}/{module.slug}"
                self.modules[value] = (version.path, module.slug)
                group.append((value, module.title))
            if group:
                choices.append((label, group))
        field = self.fields["module"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean_module(self) -> tuple[Path, str]:
        return self.modules[self.cleaned_data["module"]]


class _AssignForm(forms.Form):
    """Assign to a team or a person; with `versions`, the path to assign is chosen here too."""

    due_on = forms.DateField(
        label=_("Due date (optional)"),
        required=False,
        widget=DateInput(),
        help_text=_("Shown to learners as a gentle deadline, never as a penalty."),
    )

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        versions: list[PathVersion] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.paths: dict[str, Path] = {}
        if versions is not None:
            self.paths = {v.path.code: v.path for v in versions}
            self.fields["path"] = forms.ChoiceField(label=_("Path"), choices=path_choices(versions))
            self.order_fields(["path"])

    def clean_path(self) -> Path:
        return self.paths[self.cleaned_data["path"]]

    def clean_due_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("due_on")
        return value


class AssignTeamForm(_AssignForm):
    team = forms.ChoiceField(label=_("Team"))
    include_subteams = forms.BooleanField(label=_("Include its sub-teams"), required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "team-%s")
        super().__init__(*args, organisation=organisation, **kwargs)
        choices = team_choices(organisation)
        self.teams = {str(team.pk): team for team, _label in choices}
        field = self.fields["team"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(team.pk), label) for team, label in choices]
        self.order_fields(["path", "team", "include_subteams", "due_on"])

    def clean_team(self) -> Team:
        return self.teams[self.cleaned_data["team"]]


class PersonChoiceField(forms.ModelChoiceField[Membership]):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.get_full_name()} ({obj.user.email})"


class AssignPersonForm(_AssignForm):
    person = PersonChoiceField(label=_("Person"), queryset=Membership.objects.none())

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "person-%s")
        super().__init__(*args, organisation=organisation, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, PersonChoiceField)
        field.queryset = active_members(organisation)
        self.order_fields(["path", "person", "due_on"])


class SelfEnrolmentForm(forms.Form):
    allow_self_enrolment = forms.BooleanField(
        label=_("Learners may start any licensed path themselves"), required=False
    )


# --- Publisher -------------------------------------------------------------------------


class PathsField(forms.ModelMultipleChoiceField[Path]):
    def label_from_instance(self, obj: Path) -> str:
        return str(obj.code)


def catalogue_paths() -> Any:
    return Path.objects.filter(versions__status=VersionStatus.PUBLISHED).distinct().order_by("code")


class LicenceForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Client organisation"), queryset=Organisation.objects.order_by("name")
    )
    offer = forms.ModelChoiceField(label=_("Offer"), queryset=Offer.objects.order_by("name"))
    starts_on = forms.DateField(label=_("First day"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput())
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=1_000_000)
    paths = PathsField(
        label=_("Paths (à la carte only)"),
        queryset=Path.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    activate = forms.BooleanField(label=_("Activate now"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["paths"]
        assert isinstance(field, PathsField)
        field.queryset = catalogue_paths()


class LicencePathsForm(forms.Form):
    paths = PathsField(
        label=_("Paths"),
        queryset=Path.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["paths"]
        assert isinstance(field, PathsField)
        field.queryset = catalogue_paths()


class RenewForm(forms.Form):
    ends_on = forms.DateField(label=_("New last day"), widget=DateInput())
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=1_000_000)


class SuspendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown to publisher staff only)"), max_length=300, required=False
    )
