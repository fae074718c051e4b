"""Catalogue filters — theme, duration, level, skill, language — shared by browsing and search."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ancrage.catalog.models import PathVersion
from ancrage.catalog.search.text import fold

# Duration bands on the path's promise: up to 10 minutes, 11 to 20, more than 20.
DURATIONS: dict[str, tuple[int, int | None]] = {
    "short": (0, 10),
    "medium": (11, 20),
    "long": (21, None),
}
DURATION_CHOICES = [
    ("short", _("10 minutes or less")),
    ("medium", _("10 to 20 minutes")),
    ("long", _("More than 20 minutes")),
]


@dataclass(frozen=True)
class CatalogueFilters:
    theme: str = ""  # Theme.code
    duration: str = ""  # a key of DURATIONS
    level: str = ""  # Level value
    skill: str = ""  # one of the paths' skills, compared without case or accents
    language: str = ""  # Language value

    @property
    def active(self) -> bool:
        return any((self.theme, self.duration, self.level, self.skill, self.language))


def filter_versions(
    versions: "QuerySet[PathVersion]", filters: CatalogueFilters | None
) -> "QuerySet[PathVersion]":
    """Narrow published versions by the filters (unknown values simply match nothing)."""
    if filters is None:
        return versions
    if filters.theme:
        versions = versions.filter(path__theme__code=filters.theme)
    if filters.language:
        versions = versions.filter(path__language=filters.language)
    if filters.level:
        versions = versions.filter(level=filters.level)
    if filters.duration:
        low, high = DURATIONS.get(filters.duration, (-1, -1))
        versions = versions.filter(promise_minutes__gte=low)
        if high is not None:
            versions = versions.filter(promise_minutes__lte=high)
    if filters.skill:
        # Skills are a JSON list; JSON containment is not portable to SQLite, and the
        # catalogue holds at most a few hundred published versions: match them in Python.
        wanted = fold(filters.skill.strip())
        ids = [
            pk
            for pk, skills in versions.values_list("pk", "skills")
            if any(fold(str(s)) == wanted for s in skills or [])
        ]
        versions = versions.filter(pk__in=ids)
    return versions


def skills_of(versions: "QuerySet[PathVersion]") -> list[str]:
    """Every skill named by these versions, once (first spelling seen), sorted for a menu."""
    seen: dict[str, str] = {}
    for skills in versions.values_list("skills", flat=True):
        for skill in skills or []:
            seen.setdefault(fold(str(skill)), str(skill))
    return sorted(seen.values(), key=fold)
