"""Errors the catalogue raises; each carries a sentence an author or operator can act on."""

from collections.abc import Sequence

from ancrage.catalog.schema import Issue


class CatalogError(Exception):
    """Base class: `str(error)` is the human-readable reason."""


class FrozenVersionError(CatalogError):
    """Someone tried to change the content of a version that is not a draft."""


class TransitionError(CatalogError):
    """A life-cycle move that the version's current status does not allow."""


class InvalidContent(CatalogError):
    """Content that breaks the catalogue's rules; `issues` lists every problem with its field."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = list(issues)
        super().__init__("; ".join(str(issue) for issue in self.issues))


class MediaError(CatalogError):
    """A media file of the wrong type, too large, unsafe, or not what its name says."""
