"""Text as the search index sees it: folded (no accents, lower case), split into words, and
— for SQLite, whose FTS5 has no French stemmer — reduced to a light French stem.

The same functions run on the indexed text and on the query, so whatever they do to a word
they do on both sides: "écoute", "Ecoute" and "écoutes" all become `ecout`.

The stemmer is deliberately small (plurals and the commonest derivational and verb endings,
never leaving a stem shorter than four letters). It is not Snowball: it conflates a little
less, and PostgreSQL (which runs the real French Snowball stemmer) may match a few more forms.
"""

import html
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.html import strip_tags

from ancrage.catalog.cards import markdown_fields, media_fields
from ancrage.catalog.markdown import render_markdown

WORD = re.compile(r"\w+")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ﬁ": "fi", "ﬂ": "fl"})


def fold(text: str) -> str:
    """Lower case without diacritics: "Écoute œil" → "ecoute oeil"."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_char(char: str) -> str:
    """One character folded to exactly one character (keeps offsets for snippets)."""
    decomposed = unicodedata.normalize("NFKD", char.lower())
    return decomposed[0] if decomposed else char


def words(text: str) -> list[str]:
    return WORD.findall(fold(text))


# Longest first; applied once, after a plural -s/-x is dropped. Folded (no accents).
_SUFFIXES = sorted(
    (
        "issement", "ationnel", "ation", "ateur", "atrice", "ement", "ment", "ance", "ence",
        "ite", "ive", "if", "euse", "eur", "able", "ible", "iste", "isme", "aient", "erait",
        "erons", "erez", "eront", "ions", "iez", "ons", "ent", "ait", "ais", "ant", "ee",
        "er", "ez", "ir", "e",
    ),
    key=len,
    reverse=True,
)  # fmt: skip
MIN_STEM = 4


def stem(word: str) -> str:
    """A light French stem of a folded word: reformulations, reformuler → reformul."""
    if len(word) <= MIN_STEM or not word.isalpha():
        return word
    if word[-1] in "sx" and not word.endswith("ss"):
        word = word[:-1]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def stemmed(text: str) -> str:
    """The text as SQLite's index stores it: folded, stemmed words separated by spaces."""
    return " ".join(stem(w) for w in words(text))


def markdown_to_text(source: str) -> str:
    """What a reader sees of author Markdown, as plain text (sanitised first, then stripped)."""
    rendered = render_markdown(source)
    text = html.unescape(strip_tags(str(rendered)))
    return re.sub(r"\s+", " ", text).strip()


# Payload fields that are identifiers or addresses, not words a reader sees.
_NOT_TEXT = frozenset({"key_behaviour", "url"})


def card_texts(card_type: str, payload: dict[str, Any]) -> Iterator[str]:
    """Every piece of text a learner reads on a card, in field order, Markdown flattened."""
    skip = _NOT_TEXT | set(media_fields(card_type))
    rich = set(markdown_fields(card_type))
    for name, value in payload.items():
        if name in skip:
            continue
        if name in rich and isinstance(value, str):
            yield markdown_to_text(value)
        else:
            yield from _strings(value)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def joined(parts: Iterable[str]) -> str:
    return "\n".join(part for part in parts if part)
