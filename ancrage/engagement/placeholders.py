"""Placeholders in campaign messages: `{prenom}`, `{parcours}`, `{lien}`, `{date_fin}`…

Checked against a whitelist when a message is saved, so an unknown placeholder is refused
with its name before anything is sent; filled per recipient at sending time. Names are the
French words the L&D lead writes (the messages are written in the campaign's language).
"""

import re
from collections.abc import Mapping

from django.utils.translation import gettext as _

PLACEHOLDERS: dict[str, str] = {
    "prenom": "first name of the recipient",
    "nom": "full name of the recipient",
    "organisation": "name of the organisation",
    "campagne": "title of the campaign or event",
    "enjeu": "strategic stake",
    "parcours": "the paths (or the path of the day)",
    "lien": "link to the campaign page",
    "date_debut": "first day",
    "date_fin": "last day",
    "objectif": "participation target of a themed event",
}
TOKEN = re.compile(r"\{([^{}]*)\}")


def placeholder_list() -> str:
    return ", ".join("{" + name + "}" for name in PLACEHOLDERS)


def problems(text: str) -> list[str]:
    """Reasons the text cannot be sent as it is (empty list when it is fine)."""
    found: list[str] = []
    for match in TOKEN.finditer(text):
        name = match.group(1)
        if name not in PLACEHOLDERS:
            found.append(
                _("Unknown placeholder {%(name)s}. Use one of: %(allowed)s.")
                % {"name": name, "allowed": placeholder_list()}
            )
    leftover = TOKEN.sub("", text)
    if "{" in leftover or "}" in leftover:
        found.append(_("A brace is not closed: write placeholders as {prenom}, with both braces."))
    return found


def fill(text: str, values: Mapping[str, str]) -> str:
    """The text with every known placeholder replaced (unknown ones are left untouched)."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        return values.get(name, match.group(0)) if name in PLACEHOLDERS else match.group(0)

    return TOKEN.sub(replace, text)
