"""Import a content pack: all or nothing, and idempotent.

1. The whole pack is validated first (catalog.packs.validate); any problem → `PackInvalid`
   and nothing is written.
2. Then one transaction: themes are created or updated, media stored (once per sha256),
   and each path is brought up to date:

   * content hash equal to the path's latest version → **unchanged**, nothing is written;
   * the latest version is a draft → that draft's content is **replaced** by the pack's
     (the pack is the authors' source of truth; a draft edited in the UI is overwritten);
   * the latest version is in review → **conflict**, the whole import is refused (return it
     to draft or publish it first);
   * otherwise (published, retired or no version yet) → a **new** version is created,
     numbered after the latest, as a draft.

   With `publish=True` the resulting draft is submitted and published (the previously
   published version is retired; learners pinned to it keep it). A path whose latest
   version is retired and unchanged stays retired: publishing it again is an editor's
   explicit decision (create a draft and publish it).

Path metadata that is not versioned (theme, language, publisher, translation_of) is
updated in place. If anything fails half-way (a media file changed since validation, a
database error), the transaction rolls back. Media files already written to storage stay
there, unreferenced and harmless: they are content-addressed and reused by the next import.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from ancrage.accounts.models import User
from ancrage.catalog.actions import (
    publish_version,
    replace_content,
    save_theme,
    store_media,
    submit_for_review,
)
from ancrage.catalog.content import content_hash
from ancrage.catalog.errors import CatalogError, MediaError
from ancrage.catalog.media import read_checked
from ancrage.catalog.models import Path as PathModel
from ancrage.catalog.models import PathVersion, Theme, VersionStatus
from ancrage.catalog.packs.reader import Problem
from ancrage.catalog.packs.validate import PathEntry, ValidPack, validate_pack


class PackInvalid(CatalogError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class PathOutcome:
    code: str
    number: int
    status: str
    action: str  # "created" | "updated" | "published" (unchanged content) | "unchanged"

    def __str__(self) -> str:
        labels = {
            "created": _("version %(n)d created (%(status)s)"),
            "updated": _("draft version %(n)d replaced (%(status)s)"),
            "published": _("version %(n)d published, content unchanged"),
            "unchanged": _("unchanged: version %(n)d (%(status)s)"),
        }
        status = str(VersionStatus(self.status).label).lower()
        return f"{self.code}: " + labels[self.action] % {"n": self.number, "status": status}


@dataclass
class ImportReport:
    outcomes: list[PathOutcome] = field(default_factory=list)
    themes: int = 0
    media: int = 0


def import_pack(root: Path, *, publish: bool = False, by: User | None = None) -> ImportReport:
    """Validate then import the pack at `root`; raises PackInvalid listing every problem."""
    validation = validate_pack(root)
    if validation.pack is None:
        raise PackInvalid(validation.problems)
    return _import(validation.pack, publish=publish, by=by)


@transaction.atomic
def _import(pack: ValidPack, *, publish: bool, by: User | None) -> ImportReport:
    report = ImportReport()
    conflicts = [p for entry in pack.paths if (p := _conflict(entry)) is not None]
    if conflicts:
        raise PackInvalid(conflicts)
    for theme in pack.themes:
        save_theme(
            code=theme["code"],
            title=theme["title"],
            description=theme.get("description", ""),
            by=by,
        )
        report.themes += 1
    report.media = _store_media(pack, by)
    for entry in pack.paths:
        report.outcomes.append(_import_path(entry, pack.publisher, publish=publish, by=by))
    for entry in pack.paths:
        path = PathModel.objects.get(code=entry.code)
        target = PathModel.objects.get(code=entry.translation_of) if entry.translation_of else None
        if path.translation_of_id != (target.pk if target else None):
            path.translation_of = target
            path.save(update_fields=["translation_of", "updated_at"])
    return report


def _conflict(entry: PathEntry) -> Problem | None:
    latest = PathVersion.objects.filter(path__code=entry.code).order_by("-number").first()
    if (
        latest is not None
        and latest.status == VersionStatus.IN_REVIEW
        and latest.content_hash != content_hash(entry.content)
    ):
        return Problem(
            f"{entry.rel}/path.yaml",
            None,
            "",
            _(
                "version %(n)d of %(code)s is in review; return it to draft or publish it before importing changes"
            )
            % {"n": latest.number, "code": entry.code},
        )
    return None


def _store_media(pack: ValidPack, by: User | None) -> int:
    stored = 0
    done: set[str] = set()
    for entry in pack.paths:
        for sha, media_file in entry.media.items():
            if sha in done:
                continue
            done.add(sha)
            try:
                info, data = read_checked(media_file.path)
            except (OSError, MediaError) as exc:
                raise PackInvalid([Problem(str(media_file.path), None, "", str(exc))]) from exc
            if info.sha256 != sha:
                raise PackInvalid(
                    [
                        Problem(
                            str(media_file.path),
                            None,
                            "",
                            _("the file changed during the import; run it again"),
                        )
                    ]
                )
            store_media(data=data, filename=media_file.path.name, by=by)
            stored += 1
    return stored


def _import_path(
    entry: PathEntry, publisher: str, *, publish: bool, by: User | None
) -> PathOutcome:
    theme = Theme.objects.get(code=entry.theme)
    path, created = PathModel.objects.get_or_create(
        code=entry.code,
        defaults={"theme": theme, "language": entry.language, "publisher": publisher},
    )
    if not created and (path.theme_id, path.language, path.publisher) != (
        theme.pk,
        entry.language,
        publisher,
    ):
        path.theme, path.language, path.publisher = theme, entry.language, publisher
        path.save(update_fields=["theme", "language", "publisher", "updated_at"])

    wanted = content_hash(entry.content)
    latest = path.versions.order_by("-number").first()
    if latest is not None and latest.content_hash == wanted:
        version, action = latest, "unchanged"
    elif latest is not None and latest.status == VersionStatus.DRAFT:
        version, action = replace_content(version=latest, content=entry.content, by=by), "updated"
    else:
        number = latest.number + 1 if latest else 1
        version = PathVersion.objects.create(
            path=path, number=number, title=entry.content.title, created_by=by
        )
        version = replace_content(version=version, content=entry.content, by=by)
        action = "created"
    status_before = version.status
    if publish and version.status == VersionStatus.DRAFT:
        version = submit_for_review(version=version, by=by)
    if publish and version.status == VersionStatus.IN_REVIEW:
        version = publish_version(version=version, by=by)
    if action == "unchanged" and version.status != status_before:
        action = "published"
    return PathOutcome(code=entry.code, number=version.number, status=version.status, action=action)
