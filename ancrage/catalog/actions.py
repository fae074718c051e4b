"""Every write to the catalogue: paths, drafts, their content, the life cycle, media.

Each action is keyword-only, runs in one transaction and takes `by`, the acting user, or
None for the system (the `pack` command, the demo loader). Authors and editors may edit
drafts and submit them; only editors publish, retire or send back to draft
(`PermissionDenied` otherwise).

Guarantees:

* Content changes only in a draft (`FrozenVersionError`, enforced again by the models).
* After every content change the draft's `content_hash` is recomputed, so it is always
  the hash of what the version shows.
* Submitting and publishing re-check the whole content (specs and rules, as for a pack);
  `InvalidContent` lists every problem.
* Publishing v(n+1) retires the published v(n) in the same transaction: it stays readable
  for enrolments pinned to it, but nobody new starts it.
* `create_draft` copies the latest version into new rows; the copied-from version is
  never touched, so learners keep exactly the version they started.
"""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ancrage.accounts.models import User
from ancrage.catalog.cards import validate_card
from ancrage.catalog.content import VersionContent, content_hash, content_of
from ancrage.catalog.errors import (
    CatalogError,
    FrozenVersionError,
    InvalidContent,
    MediaError,
    TransitionError,
)
from ancrage.catalog.media import inspect_bytes, read_upload
from ancrage.catalog.models import (
    OPEN_STATUSES,
    Card,
    KeyBehaviour,
    MediaAsset,
    Module,
    Path,
    PathVersion,
    Theme,
    VersionStatus,
    frozen_message,
)
from ancrage.catalog.queries import StoredMedia, can_author, can_publish
from ancrage.catalog.rules import check_content
from ancrage.catalog.schema import Context, Issue, Record, Spec, Text, clean
from ancrage.catalog.search.indexing import reindex_path
from ancrage.catalog.specs import (
    KEY_BEHAVIOUR,
    LANGUAGE,
    MODULE,
    PATH_CODE,
    THEME_CODE,
    VERSION_FIELDS,
)


def _require_author(by: User | None) -> None:
    if by is not None and not can_author(by):
        raise PermissionDenied(_("Only publisher authors and editors may change the catalogue."))


def _require_editor(by: User | None) -> None:
    if by is not None and not can_publish(by):
        raise PermissionDenied(_("Only publisher editors may review, publish or retire versions."))


def _locked(version: PathVersion) -> PathVersion:
    return PathVersion.objects.select_for_update().select_related("path").get(pk=version.pk)


def _locked_draft(version: PathVersion) -> PathVersion:
    locked = _locked(version)
    if locked.status != VersionStatus.DRAFT:
        raise FrozenVersionError(frozen_message(locked.status))
    return locked


def _check_fields(fields: dict[str, tuple[Spec, Any]]) -> None:
    issues: list[Issue] = []
    for name, (spec, value) in fields.items():
        spec.clean(value, (name,), Context(), issues)
    if issues:
        raise InvalidContent(issues)


def _refresh_hash(version: PathVersion) -> None:
    version.content_hash = content_hash(content_of(version))
    version.save(update_fields=["content_hash", "updated_at"])


# Themes and paths ----------------------------------------------------------------------


@transaction.atomic
def save_theme(*, code: str, title: str, description: str = "", by: User | None) -> Theme:
    """Create or update the theme with this code."""
    _require_author(by)
    _check_fields({"code": (THEME_CODE, code), "title": (Text(max_length=200), title)})
    theme, _created = Theme.objects.update_or_create(
        code=code, defaults={"title": title, "description": description}
    )
    return theme


@transaction.atomic
def create_path(
    *,
    code: str,
    theme: Theme,
    language: str,
    publisher: str,
    title: str,
    by: User | None,
    translation_of: Path | None = None,
) -> PathVersion:
    """A new path with an empty draft version 1 (to be filled, then submitted)."""
    _require_author(by)
    _check_fields(
        {
            "code": (PATH_CODE, code),
            "language": (LANGUAGE, language),
            "title": (VERSION_FIELDS["title"], title),
        }
    )
    if Path.objects.filter(code=code).exists():
        raise CatalogError(_("A path with the code %(code)s already exists.") % {"code": code})
    path = Path.objects.create(
        code=code,
        theme=theme,
        language=language,
        publisher=publisher,
        translation_of=translation_of,
    )
    version = PathVersion.objects.create(path=path, number=1, title=title, created_by=by)
    _refresh_hash(version)
    return version


@transaction.atomic
def create_draft(*, path: Path, by: User | None) -> PathVersion:
    """A new draft, copied from the path's latest version (rows are copied, never shared)."""
    _require_author(by)
    Path.objects.select_for_update().get(pk=path.pk)
    if path.versions.filter(status__in=OPEN_STATUSES).exists():
        raise TransitionError(
            _("%(code)s already has a draft or a version in review; finish that one first.")
            % {"code": path.code}
        )
    source = path.versions.order_by("-number").first()
    if source is None:
        raise CatalogError(_("%(code)s has no version to copy.") % {"code": path.code})
    draft = PathVersion.objects.create(
        path=path, number=source.number + 1, title=source.title, created_by=by
    )
    _write_content(draft, content_of(source))
    return draft


# Whole content (pack import) -----------------------------------------------------------


@transaction.atomic
def replace_content(
    *, version: PathVersion, content: VersionContent, by: User | None
) -> PathVersion:
    """Replace everything a draft holds with `content` (already validated by the caller,
    e.g. the pack validator; publishing re-checks it). Media must already be stored."""
    _require_author(by)
    draft = _locked_draft(version)
    _write_content(draft, content)
    return draft


def _write_content(draft: PathVersion, content: VersionContent) -> None:
    cover = None
    if content.cover:
        cover = MediaAsset.objects.get(sha256=content.cover)
    Module.objects.filter(version=draft).delete()
    KeyBehaviour.objects.filter(version=draft).delete()
    draft.title = content.title
    draft.summary = content.summary
    draft.level = content.level
    draft.promise_minutes = content.promise_minutes
    draft.skills = list(content.skills)
    draft.objectives = list(content.objectives)
    draft.cover = cover
    draft.cover_alt = content.cover_alt
    draft.follow_up = dict(content.follow_up)
    draft.content_hash = content_hash(content)
    draft.save()
    KeyBehaviour.objects.bulk_create(
        KeyBehaviour(
            version=draft, order=i, code=kb.code, statement=kb.statement, anchors=list(kb.anchors)
        )
        for i, kb in enumerate(content.key_behaviours)
    )
    modules = Module.objects.bulk_create(
        Module(version=draft, order=i, slug=m.slug, title=m.title, est_minutes=m.est_minutes)
        for i, m in enumerate(content.modules)
    )
    Card.objects.bulk_create(
        Card(module=module, order=j, type=c.type, payload=c.payload, est_seconds=c.est_seconds)
        for module, m in zip(modules, content.modules, strict=True)
        for j, c in enumerate(m.cards)
    )


# Editing a draft, piece by piece (the authoring UI) ------------------------------------

_DETAIL_FIELDS: dict[str, Any] = {  # field → its value when cleared
    "title": None,
    "level": None,
    "promise_minutes": None,
    "skills": [],
    "summary": "",
    "cover": None,
    "cover_alt": "",
    "objectives": [],
    "follow_up": {},
}


@transaction.atomic
def update_version_details(*, version: PathVersion, by: User | None, **fields: Any) -> PathVersion:
    """Change some of a draft's own fields (title, summary, level, cover as a sha256, …).

    Each given value is cleaned by the same spec as in path.yaml (InvalidContent lists the
    problems); `None` clears an optional field. Counts that only matter for a finished path
    (2–5 objectives) are checked again at submission.
    """
    _require_author(by)
    unknown = set(fields) - set(_DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"unknown version fields: {sorted(unknown)}")
    draft = _locked_draft(version)
    spec = Record({name: VERSION_FIELDS[name] for name in fields})
    issues: list[Issue] = []
    cleaned = spec.clean_fields(fields, (), Context(StoredMedia()), issues)
    if issues:
        raise InvalidContent(issues)
    for name in fields:
        value = cleaned.get(name, _DETAIL_FIELDS[name])
        if name == "cover":
            draft.cover = MediaAsset.objects.get(sha256=value) if value else None
        else:
            setattr(draft, name, value)
    if draft.cover_id and not draft.cover_alt:
        raise InvalidContent(
            [Issue(("cover_alt",), _("a cover image needs a text alternative (cover_alt)"))]
        )
    draft.save()
    _refresh_hash(draft)
    return draft


@transaction.atomic
def save_key_behaviour(
    *, version: PathVersion, code: str, statement: str, anchors: Sequence[str], by: User | None
) -> KeyBehaviour:
    """Create or update the draft's key behaviour with this code; anchors are levels 1..5."""
    _require_author(by)
    draft = _locked_draft(version)
    raw = {"code": code, "statement": statement, "anchors": dict(enumerate(anchors, start=1))}
    cleaned, issues = clean(KEY_BEHAVIOUR, raw)
    if issues:
        raise InvalidContent(issues)
    kb = KeyBehaviour.objects.filter(version=draft, code=cleaned["code"]).first()
    if kb is None:
        order = KeyBehaviour.objects.filter(version=draft).count()
        kb = KeyBehaviour(version=draft, code=cleaned["code"], order=order)
    kb.statement = cleaned["statement"]
    kb.anchors = cleaned["anchors"]
    kb.save()
    _refresh_hash(draft)
    return kb


@transaction.atomic
def delete_key_behaviour(*, key_behaviour: KeyBehaviour, by: User | None) -> None:
    _require_author(by)
    draft = _locked_draft(key_behaviour.version)
    key_behaviour.delete()
    _renumber(list(KeyBehaviour.objects.filter(version=draft).order_by("order")))
    _refresh_hash(draft)


def _unique_slug(version: PathVersion, title: str) -> str:
    base = slugify(title)[:70] or "module"
    taken = set(Module.objects.filter(version=version).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _renumber[Ordered: (Module, Card, KeyBehaviour)](items: Sequence[Ordered]) -> None:
    changed = []
    for order, item in enumerate(items):
        if item.order != order:
            item.order = order
            changed.append(item)
    if changed:
        type(changed[0])._default_manager.bulk_update(changed, ["order"])


def _insert_at(items: list[Any], item: Any, position: int | None) -> list[Any]:
    items = [i for i in items if i.pk != item.pk]
    index = len(items) if position is None else max(0, min(position, len(items)))
    items.insert(index, item)
    return items


@transaction.atomic
def add_module(
    *,
    version: PathVersion,
    title: str,
    est_minutes: int,
    by: User | None,
    position: int | None = None,
) -> Module:
    """A new empty module (its slug comes from the title), at `position` or at the end."""
    _require_author(by)
    draft = _locked_draft(version)
    _check_module_fields(title, est_minutes)
    siblings = list(Module.objects.filter(version=draft).order_by("order"))
    module = Module.objects.create(
        version=draft,
        order=len(siblings),
        slug=_unique_slug(draft, title),
        title=title.strip(),
        est_minutes=est_minutes,
    )
    _renumber(_insert_at(siblings, module, position))
    _refresh_hash(draft)
    return module


def _check_module_fields(title: str, est_minutes: int) -> None:
    _check_fields(
        {
            "title": (MODULE.fields["title"], title),
            "est_minutes": (MODULE.fields["est_minutes"], est_minutes),
        }
    )


@transaction.atomic
def update_module(*, module: Module, title: str, est_minutes: int, by: User | None) -> Module:
    _require_author(by)
    draft = _locked_draft(module.version)
    _check_module_fields(title, est_minutes)
    module.title = title.strip()
    module.est_minutes = est_minutes
    module.save()
    _refresh_hash(draft)
    return module


@transaction.atomic
def move_module(*, module: Module, position: int, by: User | None) -> None:
    _require_author(by)
    draft = _locked_draft(module.version)
    siblings = list(Module.objects.filter(version=draft).order_by("order"))
    _renumber(_insert_at(siblings, module, position))
    _refresh_hash(draft)


@transaction.atomic
def delete_module(*, module: Module, by: User | None) -> None:
    """Delete a module and its cards."""
    _require_author(by)
    draft = _locked_draft(module.version)
    module.delete()
    _renumber(list(Module.objects.filter(version=draft).order_by("order")))
    _refresh_hash(draft)


@transaction.atomic
def add_card(
    *,
    module: Module,
    card_type: str,
    payload: dict[str, Any],
    by: User | None,
    est_seconds: int | None = None,
    position: int | None = None,
) -> Card:
    """A new card, validated by its type's spec (media fields hold MediaAsset sha256s)."""
    _require_author(by)
    draft = _locked_draft(module.version)
    cleaned = validate_card(card_type, payload, media=StoredMedia(), est_seconds=est_seconds)
    siblings = list(Card.objects.filter(module=module).order_by("order"))
    card = Card.objects.create(
        module=module,
        order=len(siblings),
        type=cleaned.type,
        payload=cleaned.payload,
        est_seconds=cleaned.est_seconds,
    )
    _renumber(_insert_at(siblings, card, position))
    _refresh_hash(draft)
    return card


@transaction.atomic
def update_card(
    *, card: Card, payload: dict[str, Any], by: User | None, est_seconds: int | None = None
) -> Card:
    """Replace a card's fields (its type stays; delete and add to change type)."""
    _require_author(by)
    draft = _locked_draft(card.module.version)
    cleaned = validate_card(card.type, payload, media=StoredMedia(), est_seconds=est_seconds)
    card.payload = cleaned.payload
    card.est_seconds = cleaned.est_seconds
    card.save()
    _refresh_hash(draft)
    return card


@transaction.atomic
def move_card(*, card: Card, position: int, by: User | None, module: Module | None = None) -> Card:
    """Move a card within its module, or into another module of the same draft."""
    _require_author(by)
    draft = _locked_draft(card.module.version)
    target = module or card.module
    if target.version_id != draft.pk:
        raise CatalogError(_("A card can only move to a module of the same version."))
    source_id = card.module_id
    card.module = target
    card.save()
    siblings = list(Card.objects.filter(module=target).exclude(pk=card.pk).order_by("order"))
    _renumber(_insert_at(siblings, card, position))
    if source_id != target.pk:
        _renumber(list(Card.objects.filter(module_id=source_id).order_by("order")))
    _refresh_hash(draft)
    return card


@transaction.atomic
def delete_card(*, card: Card, by: User | None) -> None:
    _require_author(by)
    draft = _locked_draft(card.module.version)
    module_id = card.module_id
    card.delete()
    _renumber(list(Card.objects.filter(module_id=module_id).order_by("order")))
    _refresh_hash(draft)


# Life cycle ----------------------------------------------------------------------------


def _check_publishable(version: PathVersion) -> VersionContent:
    content = content_of(version)
    issues = check_content(content, StoredMedia())
    if issues:
        raise InvalidContent(issues)
    return content


@transaction.atomic
def submit_for_review(*, version: PathVersion, by: User | None) -> PathVersion:
    """draft → in_review, after checking the whole content as a pack would be checked."""
    _require_author(by)
    locked = _locked(version)
    if locked.status != VersionStatus.DRAFT:
        raise TransitionError(_("Only a draft can be submitted for review."))
    content = _check_publishable(locked)
    locked.content_hash = content_hash(content)
    locked.status = VersionStatus.IN_REVIEW
    locked.submitted_at = timezone.now()
    locked.save()
    return locked


@transaction.atomic
def return_to_draft(*, version: PathVersion, by: User | None) -> PathVersion:
    """in_review → draft: the reviewer asks for changes."""
    _require_editor(by)
    locked = _locked(version)
    if locked.status != VersionStatus.IN_REVIEW:
        raise TransitionError(_("Only a version in review can go back to draft."))
    locked.status = VersionStatus.DRAFT
    locked.submitted_at = None
    locked.save()
    return locked


@transaction.atomic
def publish_version(*, version: PathVersion, by: User | None) -> PathVersion:
    """in_review → published; the previously published version becomes retired."""
    _require_editor(by)
    Path.objects.select_for_update().get(pk=version.path_id)
    locked = _locked(version)
    if locked.status != VersionStatus.IN_REVIEW:
        raise TransitionError(_("Only a version in review can be published."))
    content = _check_publishable(locked)
    if content_hash(content) != locked.content_hash:
        raise CatalogError(_("The content changed while in review; submit it again."))
    now = timezone.now()
    for current in PathVersion.objects.select_for_update().filter(
        path_id=locked.path_id, status=VersionStatus.PUBLISHED
    ):
        current.status = VersionStatus.RETIRED
        current.retired_at = now
        current.save()
    locked.status = VersionStatus.PUBLISHED
    locked.published_at = now
    locked.published_by = by
    locked.save()
    reindex_path(path_id=locked.path_id)  # search finds the new version, not the old one
    return locked


@transaction.atomic
def retire_version(*, version: PathVersion, by: User | None) -> PathVersion:
    """published → retired: no new starts; learners already on it keep it."""
    _require_editor(by)
    locked = _locked(version)
    if locked.status != VersionStatus.PUBLISHED:
        raise TransitionError(_("Only a published version can be retired."))
    locked.status = VersionStatus.RETIRED
    locked.retired_at = timezone.now()
    locked.save()
    reindex_path(path_id=locked.path_id)  # a retired path is no longer found
    return locked


@transaction.atomic
def discard_draft(*, version: PathVersion, by: User | None) -> None:
    """Delete a draft; a path left without any version is deleted with it."""
    _require_author(by)
    locked = _locked_draft(version)
    path = locked.path
    locked.delete()
    if not path.versions.exists():
        path.delete()


# Media ---------------------------------------------------------------------------------


@transaction.atomic
def store_media(
    *, data: bytes, filename: str, by: User | None, kinds: frozenset[str] | None = None
) -> MediaAsset:
    """Check a media file (type from content, size, safe SVG) and store it once per content.

    Raises MediaError with the reason. The file is written under its sha256 before the row
    is committed; if the transaction rolls back the file stays, unreferenced and harmless,
    and the next store of the same content reuses it.
    """
    _require_author(by)
    info = inspect_bytes(data, filename, kinds=kinds)
    existing = MediaAsset.objects.filter(sha256=info.sha256).first()
    if existing is not None:
        return existing
    name = MediaAsset.storage_name(info.sha256, info.format.extensions[0])
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(data))
    return MediaAsset.objects.create(
        sha256=info.sha256,
        kind=info.kind,
        content_type=info.format.content_type,
        extension=info.format.extensions[0],
        size=info.size,
        file=name,
        original_name=filename.rsplit("/", 1)[-1][:200],
    )


@transaction.atomic
def store_upload(
    *, upload: "UploadedFile[bytes]", by: User | None, kinds: frozenset[str] | None = None
) -> MediaAsset:
    """store_media for a file uploaded through a form: the declared size is checked before
    the content is read, then the type is detected from the content as for packs."""
    _require_author(by)
    name = upload.name or "upload"
    if upload.file is None:
        raise MediaError(_("The upload is empty."))
    upload.file.seek(0)
    _info, data = read_upload(upload.file, upload.size or 0, name, kinds=kinds)
    return store_media(data=data, filename=name, by=by, kinds=kinds)
