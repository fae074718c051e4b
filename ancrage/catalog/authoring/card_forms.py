"""One form per card type, generated from the card specs in catalog.cards.

Each spec field becomes a labelled form field: text and Markdown become inputs or text
areas, booleans checkboxes, a scenario score a menu, media a menu of stored files plus an
upload, and a list of records (quiz and scenario choices) repeatable rows — a few empty
rows to fill ("leave a row empty to remove it") and an "Add a choice" button that posts the
form back with one more row. No script is needed.

The form only builds the payload; `catalog.actions.add_card` / `update_card` validate it
with the same spec as a content pack, and their issues come back onto the fields.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import transaction
from django.forms import BoundField
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from ancrage.accounts.models import User
from ancrage.catalog.actions import add_card, store_upload, update_card
from ancrage.catalog.authoring.forms import MARKDOWN_HELP, MediaChoice, upload_field
from ancrage.catalog.cards import DEFAULT_SECONDS, MAX_CARD_SECONDS, MIN_CARD_SECONDS, TYPE_SPECS
from ancrage.catalog.errors import InvalidContent, MediaError
from ancrage.catalog.models import Card, KeyBehaviour, Module
from ancrage.catalog.schema import Bool, Issue, ListOf, Loc, Media, OneOf, Record, Spec, Text, Url

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LABELS: dict[str, "StrOrPromise"] = {
    "title": _("Title"),
    "body": _("Text"),
    "src": _("File"),
    "alt": _("Text alternative"),
    "caption": _("Caption"),
    "url": _("Or a web address of the video"),
    "captions": _("Captions (WebVTT file)"),
    "transcript": _("Transcript"),
    "question": _("Question"),
    "multiple": _("Several answers can be right"),
    "choices": _("Choices"),
    "explanation": _("Explanation shown after answering"),
    "text": _("Answer"),
    "correct": _("This answer is right"),
    "feedback": _("Feedback for this answer"),
    "situation": _("Situation"),
    "score": _("Score"),
    "consequence": _("Consequence shown after choosing"),
    "front": _("Front (the question)"),
    "back": _("Back (the answer)"),
    "prompt": _("Prompt"),
    "hint": _("Hint"),
    "key_behaviour": _("Key behaviour"),
    "example": _("Example"),
}
HELP: dict[str, "StrOrPromise"] = {
    "alt": _("What the image shows, for people who cannot see it."),
    "url": _("https:// only. Give either a file or a web address."),
    "captions": _("Required: every video has captions."),
    "example": _("An implementation intention: on [day] at [time] in [place], I will [task]."),
    "feedback": _("Shown to whoever picks this answer: say why it is right or wrong."),
}
ROW_LABEL = _("Choice %(n)d")
SCORE_CHOICES = [(2, _("2 — best")), (1, _("1 — acceptable")), (0, _("0 — poor"))]
DEFAULT_ROWS = 4


def _label(name: str, spec: Spec) -> str:
    label = str(LABELS.get(name, name.replace("_", " ").capitalize()))
    if spec.required or isinstance(spec, Bool):
        return label
    return _("%(label)s (optional)") % {"label": label}


@dataclass
class Row:
    legend: str
    fields: list[BoundField]


@dataclass
class RowGroup:
    name: str
    label: str
    rows: list[Row]
    can_add: bool
    errors: list[str] = field(default_factory=list)


@dataclass
class MediaPair:
    select: BoundField
    upload: BoundField


class CardForm(forms.Form):
    """The fields of one card type; `payload()` gives what `add_card` takes."""

    def __init__(
        self,
        data: QueryDict | None = None,
        files: MultiValueDict[str, Any] | None = None,
        *,
        card_type: str,
        key_behaviours: list[KeyBehaviour],
        payload: dict[str, Any] | None = None,
        est_seconds: int | None = None,
        add_row: str = "",
    ) -> None:
        self.card_type = card_type
        self.spec: Record = TYPE_SPECS[card_type]
        self.key_behaviours = key_behaviours
        self.group_errors: dict[str, list[str]] = {}
        self.row_index: dict[str, list[int]] = {}  # cleaned list index → row on the form
        payload = payload or {}
        self.row_counts = {
            name: self._row_count(name, spec, payload, data, add_row)
            for name, spec in self.spec.fields.items()
            if isinstance(spec, ListOf)
        }
        if add_row and data is not None:
            # "Add a choice" re-shows what was typed, unvalidated, with one more row.
            super().__init__(initial={})
            self._build_fields(payload)
            self.initial = {
                name: f.widget.value_from_datadict(data, files or MultiValueDict(), name)
                for name, f in self.fields.items()
                if not name.endswith(("-rows", "-upload"))
            }
            for name, count in self.row_counts.items():
                self.initial[f"{name}-rows"] = count
        else:
            super().__init__(data, files, initial=self._initial(payload, est_seconds))
            self._build_fields(payload)

    # Building ------------------------------------------------------------------------

    def _row_count(
        self,
        name: str,
        spec: ListOf,
        payload: dict[str, Any],
        data: QueryDict | None,
        add_row: str,
    ) -> int:
        if data is not None:
            try:
                count = int(data.get(f"{name}-rows", spec.min_items))
            except ValueError:
                count = spec.min_items
            if add_row == name:
                count += 1
        else:
            existing = len(payload.get(name) or [])
            count = existing + 1 if existing else DEFAULT_ROWS
        return max(spec.min_items, min(count, spec.max_items))

    def _initial(self, payload: dict[str, Any], est_seconds: int | None) -> dict[str, Any]:
        initial: dict[str, Any] = {"est_seconds": est_seconds}
        for name, spec in self.spec.fields.items():
            value = payload.get(name)
            if isinstance(spec, ListOf):
                initial[f"{name}-rows"] = self.row_counts[name]
                for i, item in enumerate(value or []):
                    for sub, sub_value in item.items():
                        initial[f"{name}-{i}-{sub}"] = sub_value
            elif value is not None:
                initial[name] = value
        return initial

    def _build_fields(self, payload: dict[str, Any]) -> None:
        for name, spec in self.spec.fields.items():
            if isinstance(spec, ListOf):
                self.fields[f"{name}-rows"] = forms.IntegerField(
                    widget=forms.HiddenInput, required=False
                )
                item = spec.item
                assert isinstance(item, Record)
                for i in range(self.row_counts[name]):
                    for sub, sub_spec in item.fields.items():
                        self.fields[f"{name}-{i}-{sub}"] = self._field(sub, sub_spec, in_row=True)
            elif isinstance(spec, Media):
                choice = MediaChoice(
                    label=_label(name, spec), kinds=spec.kinds, required=spec.required
                )
                choice.load_choices(str(payload.get(name) or ""))
                self.fields[name] = choice
                self.fields[f"{name}-upload"] = upload_field(
                    spec.kinds,
                    _("Or upload a new file for “%(field)s”") % {"field": LABELS.get(name, name)},
                )
            else:
                self.fields[name] = self._field(name, spec, in_row=False)
        default = DEFAULT_SECONDS[self.card_type]
        self.fields["est_seconds"] = forms.IntegerField(
            label=_("Estimated seconds (optional)"),
            required=False,
            min_value=MIN_CARD_SECONDS,
            max_value=MAX_CARD_SECONDS,
            help_text=_("Leave empty for the usual time of this card type (%(n)d s).")
            % {"n": default},
        )

    def _field(self, name: str, spec: Spec, *, in_row: bool) -> forms.Field:
        label = _label(name, spec)
        required = spec.required and not in_row
        help_text: StrOrPromise = HELP.get(name, "")
        if name == "key_behaviour" and self.card_type == "action_plan_prompt":
            return self._key_behaviour_field(label)
        if isinstance(spec, Bool):
            return forms.BooleanField(
                label=label, required=False, help_text=help_text, label_suffix=""
            )
        if isinstance(spec, OneOf):
            return forms.TypedChoiceField(
                label=label, choices=SCORE_CHOICES, coerce=int, required=False, initial=0
            )
        if isinstance(spec, Url):
            return forms.CharField(
                label=label, required=False, widget=forms.URLInput, help_text=help_text
            )
        assert isinstance(spec, Text)
        if spec.markdown:
            rows = 8 if spec.max_length > 8000 else 6
            widget: forms.Widget = forms.Textarea(attrs={"rows": rows})
            help_text = MARKDOWN_HELP
        elif spec.max_length > 500:
            widget = forms.Textarea(attrs={"rows": 2})
        else:
            widget = forms.TextInput()
        return forms.CharField(
            label=label,
            required=required,
            max_length=spec.max_length,
            widget=widget,
            help_text=help_text,
            strip=True,
        )

    def _key_behaviour_field(self, label: str) -> forms.Field:
        codes = [(kb.code, f"{kb.code} — {kb.statement[:80]}") for kb in self.key_behaviours]
        if not codes:
            return forms.CharField(
                label=label,
                max_length=80,
                help_text=_("Add the path's key behaviours first, then choose one here."),
            )
        return forms.ChoiceField(label=label, choices=[("", _("— choose —")), *codes])

    # Reading -------------------------------------------------------------------------

    def payload(self) -> dict[str, Any]:
        """The card's fields from the form; empty rows and empty optional texts left out."""
        data = self.cleaned_data
        out: dict[str, Any] = {}
        for name, spec in self.spec.fields.items():
            if isinstance(spec, ListOf):
                out[name] = self._rows(name, spec, data)
            elif isinstance(spec, Media):
                if data.get(name):
                    out[name] = data[name]
            elif isinstance(spec, Bool):
                out[name] = bool(data.get(name))
            else:
                text = (data.get(name) or "").strip()
                if text:
                    out[name] = text
        return out

    def _rows(self, name: str, spec: ListOf, data: dict[str, Any]) -> list[dict[str, Any]]:
        item = spec.item
        assert isinstance(item, Record)
        rows: list[dict[str, Any]] = []
        self.row_index[name] = []
        for i in range(self.row_counts[name]):
            row: dict[str, Any] = {}
            has_text = False
            for sub, sub_spec in item.fields.items():
                value = data.get(f"{name}-{i}-{sub}")
                if isinstance(sub_spec, Bool):
                    row[sub] = bool(value)
                elif isinstance(sub_spec, OneOf):
                    row[sub] = value if isinstance(value, int) else 0
                elif isinstance(value, str) and value.strip():
                    row[sub] = value.strip()
                    has_text = True
            if has_text:
                rows.append(row)
                self.row_index[name].append(i)
        return rows

    @property
    def est_seconds(self) -> int | None:
        value = self.cleaned_data.get("est_seconds")
        return int(value) if value is not None else None

    def media_specs(self) -> dict[str, Media]:
        return {n: s for n, s in self.spec.fields.items() if isinstance(s, Media)}

    # Writing -------------------------------------------------------------------------

    def save(self, *, by: User, module: Module | None = None, card: Card | None = None) -> Card:
        """Store the uploads and write the card, all or nothing.

        Raises InvalidContent or MediaError after putting their messages on the fields;
        a failed card leaves no uploaded file recorded (the transaction rolls back).
        """
        with transaction.atomic():
            payload = self.payload()
            for name, spec in self.media_specs().items():
                upload = self.cleaned_data.get(f"{name}-upload")
                if upload:
                    try:
                        asset = store_upload(upload=upload, by=by, kinds=spec.kinds)
                    except MediaError as error:
                        self.add_error(f"{name}-upload", str(error))
                        raise
                    payload[name] = asset.sha256
            try:
                if card is not None:
                    return update_card(
                        card=card, payload=payload, by=by, est_seconds=self.est_seconds
                    )
                assert module is not None
                return add_card(
                    module=module,
                    card_type=self.card_type,
                    payload=payload,
                    by=by,
                    est_seconds=self.est_seconds,
                )
            except InvalidContent as invalid:
                self.show_issues(invalid.issues)
                raise

    def show_issues(self, issues: list[Issue]) -> None:
        for issue in issues:
            name = self._locate(issue.loc)
            if name is not None and name in self.fields:
                self.add_error(name, issue.message)
            elif issue.loc and issue.loc[0] in self.row_counts:
                self.group_errors.setdefault(str(issue.loc[0]), []).append(issue.message)
            else:
                self.add_error(None, str(issue))

    @property
    def has_problems(self) -> bool:
        """Field errors, or an error on a group of rows (a quiz with no right answer)."""
        return bool(self.is_bound and (self.errors or self.group_errors))

    def _locate(self, loc: Loc) -> str | None:
        if not loc:
            return None
        name = str(loc[0])
        if name in self.row_counts:
            if len(loc) >= 3 and isinstance(loc[1], int):
                rows = self.row_index.get(name, [])
                row = rows[loc[1]] if loc[1] < len(rows) else loc[1]
                return f"{name}-{row}-{loc[2]}"
            return None
        return name

    # Showing -------------------------------------------------------------------------

    def layout(self) -> list[BoundField | MediaPair | RowGroup]:
        """The fields in spec order, media paired with their upload, rows grouped."""
        items: list[BoundField | MediaPair | RowGroup] = []
        for name, spec in self.spec.fields.items():
            if isinstance(spec, ListOf):
                item = spec.item
                assert isinstance(item, Record)
                count = self.row_counts[name]
                rows = [
                    Row(
                        legend=str(ROW_LABEL) % {"n": i + 1},
                        fields=[self[f"{name}-{i}-{sub}"] for sub in item.fields],
                    )
                    for i in range(count)
                ]
                items.append(
                    RowGroup(
                        name=name,
                        label=str(LABELS.get(name, name)),
                        rows=rows,
                        can_add=count < spec.max_items,
                        errors=self.group_errors.get(name, []),
                    )
                )
            elif isinstance(spec, Media):
                items.append(MediaPair(select=self[name], upload=self[f"{name}-upload"]))
            else:
                items.append(self[name])
        items.append(self["est_seconds"])
        return items

    def hidden_rows(self) -> list[BoundField]:
        return [self[f"{name}-rows"] for name in self.row_counts]
