"""Paths in the reader's language first: the one rule every list of paths follows.

A publisher's catalogue holds paths in several languages (`Path.language`; a translation
points to its original through `translation_of`). No list mixes them silently: `by_language`
splits any list — versions, search hits, key behaviours, form choices — into the items in
the reading language (the list itself, in the order given) and the others (shown apart,
under « Autres langues », each with its language as a badge), grouped by language.

The reading language is the UI's active language when the catalogue has paths in it, else
French (`reading_language`); a language filter chosen by the person replaces it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language

from ancrage.catalog.models import Language


def reading_language() -> str:
    """The catalogue language matching the UI's active language (French if none matches)."""
    code = (get_language() or "").split("-")[0].lower()
    return code if code in Language.values else str(Language.FR)


def language_label(code: str) -> str:
    """The language's name in the UI's language (« Anglais »), or the code if unknown."""
    return str(dict(Language.choices).get(code, code))


def path_language(item: Any) -> str:
    """The language of a Path, or of anything with a `path` (a PathVersion) or a `version`
    (a search hit, a key behaviour)."""
    for attribute in ("language", "path", "version"):
        if not hasattr(item, attribute):
            continue
        value = getattr(item, attribute)
        return value if isinstance(value, str) else path_language(value)
    raise TypeError(f"no path language on {item!r}")


@dataclass(frozen=True)
class OtherLanguage[T]:
    code: str
    items: list[T]

    @property
    def label(self) -> str:
        return language_label(self.code)


@dataclass(frozen=True)
class LanguageSplit[T]:
    """`first`: the items in `language`; `others`: the rest, one group per language."""

    language: str
    first: list[T] = field(default_factory=list)
    others: list[OtherLanguage[T]] = field(default_factory=list)

    @property
    def rest(self) -> list[T]:
        """The items in other languages, one language after the other."""
        return [item for group in self.others for item in group.items]

    @property
    def ordered(self) -> list[T]:
        """Every item, the reading language first (for a flat list)."""
        return self.first + self.rest

    @property
    def other_count(self) -> int:
        return sum(len(group.items) for group in self.others)


def by_language[T](
    items: Iterable[T],
    *,
    language: str | None = None,
    language_of: Callable[[T], str] = path_language,
) -> LanguageSplit[T]:
    """Split `items` (order kept) into the reading language and the other languages.

    `language` defaults to `reading_language()`; other languages come in the order of
    `Language` (then any unknown code, alphabetically).
    """
    language = language or reading_language()
    first: list[T] = []
    rest: dict[str, list[T]] = {}
    for item in items:
        code = language_of(item)
        if code == language:
            first.append(item)
        else:
            rest.setdefault(code, []).append(item)
    known = list(Language.values)
    order = sorted(rest, key=lambda c: (known.index(c) if c in known else len(known), c))
    return LanguageSplit(
        language=language,
        first=first,
        others=[OtherLanguage(code=code, items=rest[code]) for code in order],
    )
