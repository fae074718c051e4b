"""Field specs for a version's own fields, its key behaviours and its modules.

Shared by the pack validator (path.yaml, modules/*.yaml) and the authoring UI, like the
card specs in catalog.cards. Limits follow docs/content-packs.md: 2–5 objectives, 2–4 key
behaviours with all five BARS anchors, 1–40 cards per module.
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ancrage.catalog.cards import CARD
from ancrage.catalog.models import PATH_CODE_PATTERN, SLUG_PATTERN, Language, Level, MediaKind
from ancrage.catalog.schema import (
    Anchors,
    Int,
    Issue,
    ListOf,
    Loc,
    Media,
    Number,
    OneOf,
    Record,
    Spec,
    Text,
    Url,
)

MAX_MODULE_MINUTES = 10

PATH_CODE = Text(
    max_length=60,
    pattern=PATH_CODE_PATTERN,
    pattern_hint=gettext_lazy("use capital letters, digits and dashes (ECOUTE-ACTIVE)"),
)
THEME_CODE = Text(
    max_length=60,
    pattern=SLUG_PATTERN,
    pattern_hint=gettext_lazy("use lower-case letters, digits and dashes"),
)
LANGUAGE = OneOf(tuple(Language.values))

KEY_BEHAVIOUR = Record(
    {
        "code": Text(
            max_length=80,
            pattern=SLUG_PATTERN,
            pattern_hint=gettext_lazy("use lower-case letters, digits and dashes"),
        ),
        "statement": Text(max_length=1000),
        "anchors": Anchors(),
    }
)

FOLLOW_UP = Record(
    {
        "title": Text(max_length=200),
        "format": Text(max_length=200, required=False),
        "duration_hours": Number(min_value=0.25, max_value=1000, required=False),
        "url": Url(schemes=("https", "http"), required=False),
    },
    required=False,
)


def cover_needs_alt(data: dict[str, Any], loc: Loc, issues: list[Issue]) -> None:
    if data.get("cover") and not data.get("cover_alt"):
        issues.append(
            Issue((*loc, "cover_alt"), _("a cover image needs a text alternative (cover_alt)"))
        )


# The version's own fields, in the order packs write them.
VERSION_FIELDS: dict[str, Spec] = {
    "title": Text(max_length=200),
    "level": OneOf(tuple(Level.values)),
    "promise_minutes": Int(min_value=1, max_value=240),
    "skills": ListOf(Text(max_length=80), max_items=12, required=False, default=[]),
    "summary": Text(max_length=4000, required=False),
    "cover": Media((MediaKind.IMAGE,), required=False),
    "cover_alt": Text(max_length=500, required=False),
    "objectives": ListOf(Text(max_length=500), min_items=2, max_items=5),
    "key_behaviours": ListOf(KEY_BEHAVIOUR, min_items=2, max_items=4),
    "follow_up": FOLLOW_UP,
}

MODULE = Record(
    {
        "title": Text(max_length=200),
        "est_minutes": Int(min_value=1, max_value=60),
        "cards": ListOf(CARD, min_items=1, max_items=40),
    }
)
