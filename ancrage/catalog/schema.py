"""A small declarative validator for catalogue data, shared by content packs and the authoring UI.

Each `Spec` cleans one value: it checks the type, normalises it (strips text, fills
defaults) and reports every problem as an `Issue` whose `loc` is the path to the field
(`("cards", 3, "choices")`, shown as `cards[3].choices`). Packs turn a loc into
`FILE:LINE`; forms turn it into an error next to the field.

Why not pydantic: messages must be translatable sentences an author can act on, unknown
fields must be reported with a "did you mean" hint, and YAML's loose types (a date, `yes`)
must be refused rather than coerced. The whole validator is the ~200 lines below.

Conventions: `None` means "absent" (YAML `hint:` with no value); optional fields that are
absent are left out of the cleaned mapping; list indexes in locs count from 0.
"""

import copy
import difflib
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Protocol
from urllib.parse import urlsplit

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Issue:
    """One problem with one field: where (`loc`) and a sentence saying what to do."""

    loc: Loc
    message: str

    def __str__(self) -> str:
        where = format_loc(self.loc)
        return f"{where}: {self.message}" if where else self.message


def format_loc(loc: Loc) -> str:
    """`("cards", 3, "choices")` → `cards[3].choices`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


class MediaResolver(Protocol):
    """Turns a media reference into the sha256 of a checked asset, or reports why it can't.

    Packs resolve `media/x.png` against the path folder; the authoring UI resolves the
    sha256 of an uploaded MediaAsset.
    """

    def resolve_media(
        self, value: str, kinds: frozenset[str], loc: Loc, issues: list[Issue]
    ) -> str | None: ...


class Context:
    """What a spec may need from its caller besides the value: media resolution."""

    def __init__(self, media: MediaResolver | None = None) -> None:
        self.media = media


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID: Final = _Invalid()


def describe(value: Any) -> str:
    """How a wrong value is named in messages ("got a list")."""
    if value is None:
        return _("nothing")
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, int | float):
        return _("a number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping of fields")
    return _("a value of type %(type)s") % {"type": type(value).__name__}


class Spec(ABC):
    def __init__(self, *, required: bool = True, default: Any = None) -> None:
        self.required = required
        self.default = default

    @abstractmethod
    def clean(self, value: Any, loc: Loc, ctx: Context, issues: list[Issue]) -> Any:
        """Return the cleaned value, or INVALID after appending at least one issue."""

    def _wrong_type(self, expected: str, value: Any, loc: Loc, issues: list[Issue]) -> _Invalid:
        issues.append(
            Issue(
                loc,
                _("expected %(expected)s, got %(got)s")
                % {"expected": expected, "got": describe(value)},
            )
        )
        return INVALID


class Text(Spec):
    """A string, stripped. `markdown=True` only documents that it is rendered as Markdown."""

    def __init__(
        self,
        *,
        max_length: int = 2000,
        pattern: str | None = None,
        pattern_hint: object = "",
        markdown: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.max_length = max_length
        self.pattern = re.compile(pattern) if pattern else None
        self.pattern_hint = pattern_hint
        self.markdown = markdown

    def clean(self, value: Any, loc: Loc, ctx: Context, issues: list[Issue]) -> Any:
        if not isinstance(value, str):
            return self._wrong_type(_("text"), value, loc, issues)
        text = value.strip()
        if not text:
            issues.append(Issue(loc, _("must not be empty")))
            return INVALID
        if "\x00" in text:
            issues.append(Issue(loc, _("must not contain NUL characters")))
            return INVALID
        if len(text) > self.max_length:
            issues.append(
                Issue(
                    loc,
                    ngettext(
                        "must be at most %(max)d character long (it has %(n)d)",
                        "must be at most %(max)d characters long (it has %(n)d)",
                        self.max_length,
                    )
                    % {"max": self.max_length, "n": len(text)},
                )
            )
            return INVALID
        if self.pattern and not self.pattern.fullmatch(text):
            issues.append(
                Issue(
                    loc,
                    _("“%(value)s” is not valid: %(hint)s")
                    % {"value": text, "hint": str(self.pattern_hint)},
                )
            )
            return INVALID
        return text


class Url(Text):
    def __init__(self, *, schemes: tuple[str, ...] = ("https",), **kwargs: Any) -> None:
        super().__init__(max_length=2000, **kwargs)
        self.schemes = schemes

    def clean(self, value: Any, loc: Loc, ctx: Context, issues: list[Issue]) -> Any:
        text = super().clean(value, loc, ctx, issues)
        if text is INVALID:
            return INVALID
        parts = urlsplit(text)
        if parts.scheme not in self.schemes or not parts.netloc or any(c.isspace() for c in text):
            issues.append(
                Issue(
                    loc,
                    _("must be a web address starting with %(schemes)s")
                    % {"schemes": " or ".join(f"{s}://" for s in self.schemes)},
                )
            )
            return INVALID
        return text


class Int(Spec):
    def __init__(self, *, min_value: int = 0, max_value: int = 1_000_000, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.min_value = min_value
        self.max_value = max_value

    def clean(self, value: Any, loc: Loc, ctx: Context, issues: list[Issue]) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            return self._wrong_type(_("a whole number"), value, loc, issues)
        if not self.min_value <= value <= self.max_value:
            issues.append(
                Issue(
                    loc,
                    _("must be between %(min)d and %(max)d (got %(value)d)")
                    % {"min": self.min_value, "max": self.max_value, "value": value},
                )
            )
            return INVALID
        return value


class Number(Spec):
    def __init__(self, *, min_value: float = 0, max_value: float = 1e6, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.min_value = min_value
        self.max_value = max_value

    def clean(self, value: Any, loc: Loc, ctx: Context, issues: list[Issue]) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            return self._wrong_type(_("a number"), value, loc, issues)
        if not self.min_value <= value <= self.max_value:
            issues.append(
                Issue(
                    loc,
                    _("must be between %(min)s and %(max)s (got %(value)s)")
                    % {"min": self.min_value, "max": self.max_value, "value": value},
                )
            )
            return INVALID
        return value


class Bool(Spec):
    def clean(self, value: Any, loc: Loc, ctx: Context, issues: list[Issue]) -> Any:
        if not isinstance(value, bool):
            return self._wrong_type(_("true or false"), value, loc, issues)
        return value


class OneOf(Spec):
    def __init__(self, values: tuple[Any, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.values = values

    def clean(self, value: Any, loc: Loc, ctx: Context, issues: list[Issue]) -> Any:
        # `is` comparison for bools so that `True` is not taken for the number 1.
        for allowed in self.values:
            if type(allowed) is type(value) and allowed == value:
                return value
        issues.append(
            Issue(
                loc,
                _("“%(value)s” is not allowed; use one of: %(allowed)s")
                % {"value": value, "allowed": ", ".join(str(v) for v in self.values)},
            )
        )
        return INVALID


class Media(Text):
    """A reference to a media file of one of `kinds`; cleaned to the asset's sha256."""

    def __init__(self, kinds: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(max_length=500, **kwargs)
        self.kinds = frozenset(kinds)

    def clean(self, value: Any, loc: Loc, ctx: Context, issues: list[Issue]) -> Any:
        text = super().clean(value, loc, ctx, issues)
        if text is INVALID:
            return INVALID
        if ctx.media is None:
            raise RuntimeError("validating a media reference needs a MediaResolver")
        sha = ctx.media.resolve_media(text, self.kinds, loc, issues)
        return INVALID if sha is None else sha


class ListOf(Spec):
    def __init__(
        self, item: Spec, *, min_items: int = 0, max_items: int = 1000, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.item = item
        self.min_items = min_items
        self.max_items = max_items

    def clean(self, value: Any, loc: Loc, ctx: Context, issues: list[Issue]) -> Any:
        if not isinstance(value, list):
            return self._wrong_type(_("a list"), value, loc, issues)
        if len(value) < self.min_items:
            issues.append(
                Issue(
                    loc,
                    ngettext(
                        "needs at least %(min)d item (it has %(n)d)",
                        "needs at least %(min)d items (it has %(n)d)",
                        self.min_items,
                    )
                    % {"min": self.min_items, "n": len(value)},
                )
            )
        if len(value) > self.max_items:
            issues.append(
                Issue(
                    loc,
                    ngettext(
                        "may have at most %(max)d item (it has %(n)d)",
                        "may have at most %(max)d items (it has %(n)d)",
                        self.max_items,
                    )
                    % {"max": self.max_items, "n": len(value)},
                )
            )
        before = len(issues)
        cleaned = [self.item.clean(v, (*loc, i), ctx, issues) for i, v in enumerate(value)]
        if len(issues) > before or len(value) < self.min_items or len(value) > self.max_items:
            return INVALID
        return cleaned


Rule = Callable[[dict[str, Any], Loc, list[Issue]], None]


class Record(Spec):
    """A mapping with known fields. Unknown fields are errors (they are usually typos).

    `rules` run after every field cleaned without error and check fields together
    (a quiz needs a correct answer); they append issues themselves.
    """

    def __init__(
        self, fields: Mapping[str, Spec], *, rules: tuple[Rule, ...] = (), **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.fields = dict(fields)
        self.rules = rules

    def clean(self, value: Any, loc: Loc, ctx: Context, issues: list[Issue]) -> Any:
        before = len(issues)
        cleaned = self.clean_fields(value, loc, ctx, issues)
        if len(issues) > before:
            return INVALID
        for rule in self.rules:
            rule(cleaned, loc, issues)
        return INVALID if len(issues) > before else cleaned

    def clean_fields(
        self, value: Any, loc: Loc, ctx: Context, issues: list[Issue]
    ) -> dict[str, Any]:
        """Clean field by field and return the fields that are valid (rules are not run).

        For callers that go on checking the rest after an error (the pack validator).
        """
        if not isinstance(value, dict):
            self._wrong_type(_("a mapping of fields"), value, loc, issues)
            return {}
        for key in value:
            if key not in self.fields:
                issues.append(Issue((*loc, str(key)), unknown_field_message(str(key), self.fields)))
        cleaned: dict[str, Any] = {}
        for name, spec in self.fields.items():
            raw = value.get(name)
            if raw is None:
                if spec.required:
                    issues.append(Issue((*loc, name), _("this field is required")))
                elif spec.default is not None:
                    cleaned[name] = copy.deepcopy(spec.default)
                continue
            result = spec.clean(raw, (*loc, name), ctx, issues)
            if result is not INVALID:
                cleaned[name] = result
        return cleaned


def unknown_field_message(key: str, known: Mapping[str, Any] | list[str]) -> str:
    names = list(known)
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    if close:
        return _("unknown field “%(key)s”; did you mean “%(close)s”?") % {
            "key": key,
            "close": close[0],
        }
    return _("unknown field “%(key)s”; allowed fields: %(known)s") % {
        "key": key,
        "known": ", ".join(names),
    }


class Anchors(Spec):
    """BARS anchors: a mapping with exactly the levels 1 to 5, cleaned to a list of 5 texts.

    `anchors[0]` describes level 1. Keys may be written 1 or "1".
    """

    LEVELS = (1, 2, 3, 4, 5)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.text = Text(max_length=500)

    def clean(self, value: Any, loc: Loc, ctx: Context, issues: list[Issue]) -> Any:
        if not isinstance(value, dict):
            return self._wrong_type(_("a mapping of levels 1 to 5"), value, loc, issues)
        before = len(issues)
        by_level: dict[int, Any] = {}
        for key, text in value.items():
            level = int(key) if isinstance(key, int | str) and str(key).isdigit() else None
            if level not in self.LEVELS or isinstance(key, bool):
                issues.append(Issue((*loc, str(key)), _("anchor levels are 1, 2, 3, 4 and 5")))
                continue
            by_level[level] = text
        missing = [str(level) for level in self.LEVELS if by_level.get(level) is None]
        if missing:
            issues.append(
                Issue(
                    loc,
                    _("every level from 1 to 5 needs an anchor; missing: %(levels)s")
                    % {"levels": ", ".join(missing)},
                )
            )
        cleaned = [
            self.text.clean(by_level[level], (*loc, str(level)), ctx, issues)
            for level in self.LEVELS
            if by_level.get(level) is not None
        ]
        return INVALID if len(issues) > before else cleaned


def clean(
    spec: Spec, value: Any, ctx: Context | None = None, loc: Loc = ()
) -> tuple[Any, list[Issue]]:
    """Clean `value` against `spec`; returns (cleaned or INVALID, issues)."""
    issues: list[Issue] = []
    return spec.clean(value, loc, ctx or Context(), issues), issues
