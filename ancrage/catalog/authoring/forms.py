"""Studio forms: creating a path or a theme, a version's details, modules, key behaviours and
media. They only shape input; the rules live in catalog.specs and catalog.actions, whose
`InvalidContent` issues come back onto the fields through `add_issues`."""

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from ancrage.catalog.authoring.queries import media_of_kinds
from ancrage.catalog.media import SIZE_LIMITS, human_size
from ancrage.catalog.models import (
    PATH_CODE_PATTERN,
    SLUG_PATTERN,
    Language,
    Level,
    MediaAsset,
    MediaKind,
    PathVersion,
    Theme,
)
from ancrage.catalog.schema import Issue, Loc

MARKDOWN_HELP = _(
    "Markdown: **bold**, *italics*, lists, links and tables. HTML is not allowed and is shown as text."
)

Locate = Callable[[Loc], str | None]


def add_issues(form: forms.Form, issues: Iterable[Issue], locate: Locate) -> None:
    """Show each issue next to its field (`locate` maps an issue's loc to a field name), or
    above the form, prefixed with where it is, when no field holds it."""
    for issue in issues:
        name = locate(issue.loc)
        if name is not None and name in form.fields:
            form.add_error(name, issue.message)
        else:
            form.add_error(None, str(issue))


def field_locator(prefix: Loc = ()) -> Locate:
    """Issues whose loc is `(*prefix, field, …)` go to `field`."""

    def locate(loc: Loc) -> str | None:
        rest = loc[len(prefix) :] if loc[: len(prefix)] == prefix else loc
        return str(rest[0]) if rest else None

    return locate


def media_label(asset: MediaAsset) -> str:
    return f"{asset.original_name} · {human_size(asset.size)} · {asset.sha256[:8]}"


class MediaChoice(forms.ChoiceField):
    """A stored media file of some kinds, chosen by its sha256 (validated later by the spec)."""

    def __init__(self, *, kinds: frozenset[str], required: bool, **kwargs: Any) -> None:
        super().__init__(choices=(), required=False, **kwargs)
        self.kinds = kinds
        self.empty_label = _("— choose a file —") if required else _("— none —")

    def load_choices(self, current: str = "") -> None:
        """Read the stored media now (never at import time), keeping `current` listed."""
        assets = list(media_of_kinds(self.kinds))
        choices = [("", self.empty_label)] + [(a.sha256, media_label(a)) for a in assets]
        if current and current not in {a.sha256 for a in assets}:
            choices.append((current, current[:12]))
        self.choices = choices


def upload_field(kinds: frozenset[str], label: Any) -> forms.FileField:
    limits = ", ".join(
        f"{MediaKind(kind).label}: {human_size(SIZE_LIMITS[kind])}" for kind in sorted(kinds)
    )
    return forms.FileField(
        label=label,
        required=False,
        help_text=_("Checked by its content, not its name. Largest size: %(limits)s.")
        % {"limits": limits},
    )


def slug_code_field(*, max_length: int, help_text: Any) -> forms.CharField:
    """A code in lower-case letters, digits and dashes (a theme's, a key behaviour's)."""
    return forms.CharField(
        label=_("Code"),
        max_length=max_length,
        validators=[
            RegexValidator(f"^{SLUG_PATTERN}$", _("Use lower-case letters, digits and dashes."))
        ],
        help_text=help_text,
    )


class ThemeForm(forms.Form):
    code = slug_code_field(max_length=60, help_text=_("For example: relations. It never changes."))
    title = forms.CharField(label=_("Title"), max_length=200)


class PathCreateForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=60,
        validators=[
            RegexValidator(
                f"^{PATH_CODE_PATTERN}$",
                _("Use capital letters, digits and dashes, for example ECOUTE-ACTIVE."),
            )
        ],
        help_text=_(
            "Capital letters, digits and dashes, for example ECOUTE-ACTIVE. It never changes."
        ),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.order_by("title"))
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    publisher = forms.CharField(label=_("Publisher"), max_length=200)

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip()


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class VersionDetailsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    promise_minutes = forms.IntegerField(
        label=_("Promised duration (minutes)"),
        min_value=1,
        max_value=240,
        help_text=_("The modules' durations must add up to it, give or take a quarter."),
    )
    skills = forms.CharField(
        label=_("Skills"),
        required=False,
        help_text=_("Separated by commas, for example: active listening, reformulation."),
    )
    objectives = forms.CharField(
        label=_("Objectives"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line, 2 to 5: what the learner will be able to do."),
    )
    cover = MediaChoice(label=_("Cover image"), kinds=frozenset({MediaKind.IMAGE}), required=False)
    cover_upload = upload_field(frozenset({MediaKind.IMAGE}), _("Or upload a new cover image"))
    cover_alt = forms.CharField(
        label=_("Cover image text alternative"),
        required=False,
        max_length=500,
        help_text=_("What the image shows, for people who cannot see it. Required with a cover."),
    )
    follow_up_title = forms.CharField(
        label=_("Follow-up programme (parcours socle): title"), required=False, max_length=200
    )
    follow_up_format = forms.CharField(
        label=_("Follow-up programme: format"),
        required=False,
        max_length=200,
        help_text=_("For example: 3 half-days in person."),
    )
    follow_up_duration_hours = forms.DecimalField(
        label=_("Follow-up programme: duration in hours"),
        required=False,
        min_value=Decimal("0.25"),
        max_value=1000,
        decimal_places=2,
    )
    follow_up_url = forms.URLField(
        label=_("Follow-up programme: web address"), required=False, assume_scheme="https"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cover = self.fields["cover"]
        assert isinstance(cover, MediaChoice)
        cover.load_choices(str(self.initial.get("cover") or ""))

    @classmethod
    def initial_for(cls, version: PathVersion) -> dict[str, Any]:
        follow_up = version.follow_up or {}
        return {
            "title": version.title,
            "summary": version.summary,
            "level": version.level,
            "promise_minutes": version.promise_minutes,
            "skills": ", ".join(version.skills),
            "objectives": "\n".join(version.objectives),
            "cover": version.cover.sha256 if version.cover else "",
            "cover_alt": version.cover_alt,
            "follow_up_title": follow_up.get("title", ""),
            "follow_up_format": follow_up.get("format", ""),
            "follow_up_duration_hours": follow_up.get("duration_hours"),
            "follow_up_url": follow_up.get("url", ""),
        }

    def values(self, cover_sha: str | None) -> dict[str, Any]:
        """The version fields as `update_version_details` takes them (None clears)."""
        data = self.cleaned_data
        follow_up: dict[str, Any] = {}
        if data["follow_up_title"]:
            follow_up["title"] = data["follow_up_title"]
        if data["follow_up_format"]:
            follow_up["format"] = data["follow_up_format"]
        if data["follow_up_duration_hours"] is not None:
            hours = float(data["follow_up_duration_hours"])
            follow_up["duration_hours"] = int(hours) if hours.is_integer() else hours
        if data["follow_up_url"]:
            follow_up["url"] = data["follow_up_url"]
        return {
            "title": data["title"],
            "summary": data["summary"].strip() or None,
            "level": data["level"],
            "promise_minutes": data["promise_minutes"],
            "skills": [s.strip() for s in data["skills"].split(",") if s.strip()],
            "objectives": _lines(data["objectives"]),
            "cover": cover_sha,
            "cover_alt": data["cover_alt"].strip() or None,
            "follow_up": follow_up or None,
        }

    @staticmethod
    def locate(loc: Loc) -> str | None:
        if not loc:
            return None
        if loc[0] == "follow_up":
            return f"follow_up_{loc[1]}" if len(loc) > 1 else "follow_up_title"
        return str(loc[0])


def changed_values(version: PathVersion, values: dict[str, Any]) -> dict[str, Any]:
    """Only what differs from the version, so that saving a title does not trip over the
    objectives an author has not written yet."""
    current = {
        "title": version.title,
        "summary": version.summary or None,
        "level": version.level,
        "promise_minutes": version.promise_minutes,
        "skills": list(version.skills),
        "objectives": list(version.objectives),
        "cover": version.cover.sha256 if version.cover else None,
        "cover_alt": version.cover_alt or None,
        "follow_up": dict(version.follow_up) or None,
    }
    changed = {name: value for name, value in values.items() if current.get(name) != value}
    if "cover" in changed or "cover_alt" in changed:
        # The action checks them together: a cover needs its text alternative.
        changed["cover"], changed["cover_alt"] = values["cover"], values["cover_alt"]
    return changed


class ModuleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    est_minutes = forms.IntegerField(
        label=_("Estimated minutes"),
        min_value=1,
        max_value=60,
        help_text=_("3 to 7 minutes is the aim; more than 10 is refused at review."),
    )


class KeyBehaviourForm(forms.Form):
    code = slug_code_field(
        max_length=80,
        help_text=_("For example: reformulates-before-answering. Action-plan cards refer to it."),
    )
    statement = forms.CharField(
        label=_("Observable behaviour"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What a camera would record, for example: reformulates before giving an opinion."
        ),
    )
    anchor_1 = forms.CharField(label=_("Level 1 (lowest)"), max_length=500)
    anchor_2 = forms.CharField(label=_("Level 2"), max_length=500)
    anchor_3 = forms.CharField(label=_("Level 3"), max_length=500)
    anchor_4 = forms.CharField(label=_("Level 4"), max_length=500)
    anchor_5 = forms.CharField(label=_("Level 5 (highest)"), max_length=500)

    def __init__(self, *args: Any, code_locked: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if code_locked:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("The code cannot change: action plans refer to it.")

    def anchors(self) -> list[str]:
        return [self.cleaned_data[f"anchor_{level}"] for level in range(1, 6)]

    @staticmethod
    def locate(loc: Loc) -> str | None:
        if loc and loc[0] == "anchors":
            return f"anchor_{loc[1]}" if len(loc) > 1 else None
        return str(loc[0]) if loc else None


class MediaUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Media file"),
        help_text=_(
            "PNG, JPEG, WebP, GIF or SVG images (2 MB), MP4 or WebM videos (50 MB), WebVTT captions (200 KB). The type is checked from the content."
        ),
    )

    def upload(self) -> "UploadedFile[bytes]":
        upload = self.cleaned_data["file"]
        if not isinstance(upload, UploadedFile):
            raise ValidationError(_("Choose a file to upload."))
        return upload


class DiffForm(forms.Form):
    against = forms.ChoiceField(label=_("Compare with"))

    def __init__(self, *args: Any, versions: Iterable[PathVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        against = self.fields["against"]
        assert isinstance(against, forms.ChoiceField)
        against.choices = [
            (
                str(v.pk),
                _("Version %(n)s (%(status)s)") % {"n": v.number, "status": v.get_status_display()},
            )
            for v in versions
        ]
