"""The publisher's catalogue: themes, paths and their versioned content.

The catalogue belongs to the publisher, not to a client organisation: no row here has an
`organisation`. Clients reach it through licences (another app).

Shape::

    Theme ─< Path ─< PathVersion ─< Module ─< Card
                          └──────< KeyBehaviour
    MediaAsset (content-addressed, referenced by sha256 from versions and card payloads)

`Path` is the stable identity (its `code` never changes); everything a learner sees lives in
a `PathVersion`. Life cycle of a version::

    draft ──submit──▶ in_review ──publish──▶ published ──retire──▶ retired
      ▲                   │
      └──return to draft──┘

Guarantees enforced here, at the model level, whatever code path writes:

* Only a draft's content may change. Saving, deleting or bulk-writing a module, card or key
  behaviour of a version in review, published or retired raises `FrozenVersionError`, and
  so does changing a non-draft version's own content fields or deleting it.
* Status moves only along the arrows above (`TransitionError` otherwise); a version is
  created as a draft.
* At most one published version and at most one open (draft or in review) version per path
  (partial unique constraints).

"Retired" means "no new starts": enrolments pinned to a retired version keep rendering it,
because a new version is a copy (new rows) and never touches the old one.

Media are stored once per content (sha256) and never deleted by the catalogue, so a
published version keeps its pictures even when a pack's files change later.
"""

from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ancrage.catalog.errors import FrozenVersionError, TransitionError
from ancrage.common.models import BaseModel

PATH_CODE_PATTERN = r"[A-Z0-9]+(?:-[A-Z0-9]+)*"
SLUG_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"


class Language(models.TextChoices):
    FR = "fr", _("French")
    EN = "en", _("English")


class Level(models.TextChoices):
    DECOUVERTE = "decouverte", _("Discovery")
    APPROFONDISSEMENT = "approfondissement", _("Deepening")
    EXPERT = "expert", _("Expert")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    VersionStatus.DRAFT: frozenset({VersionStatus.IN_REVIEW}),
    VersionStatus.IN_REVIEW: frozenset({VersionStatus.DRAFT, VersionStatus.PUBLISHED}),
    VersionStatus.PUBLISHED: frozenset({VersionStatus.RETIRED}),
    VersionStatus.RETIRED: frozenset(),
}
OPEN_STATUSES = (VersionStatus.DRAFT, VersionStatus.IN_REVIEW)


class CardType(models.TextChoices):
    TEXT = "text", _("Text")
    IMAGE = "image", _("Image or infographic")
    VIDEO = "video", _("Video")
    MEMO_SHEET = "memo_sheet", _("Memo sheet")
    QUIZ = "quiz", _("Quiz")
    SCENARIO = "scenario", _("Scenario")
    FLASHCARD = "flashcard", _("Flashcard")
    REFLECTION_PROMPT = "reflection_prompt", _("Reflection prompt")
    ACTION_PLAN_PROMPT = "action_plan_prompt", _("Action-plan prompt")


class MediaKind(models.TextChoices):
    IMAGE = "image", _("Image")
    VIDEO = "video", _("Video")
    CAPTIONS = "captions", _("Captions")


class Theme(BaseModel):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ("title",)

    def __str__(self) -> str:
        return self.title


class MediaAsset(BaseModel):
    """One media file, stored once under its sha256 (`catalog/media/ab/abcd….png`)."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=MediaKind.choices)
    content_type = models.CharField(_("content type"), max_length=100)
    extension = models.CharField(_("extension"), max_length=10)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    file = models.FileField(_("file"), max_length=200)
    original_name = models.CharField(_("original file name"), max_length=200)

    class Meta:
        verbose_name = _("media asset")
        verbose_name_plural = _("media assets")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.sha256[:12]})"

    def get_absolute_url(self) -> str:
        """Served by the catalogue to whoever may see it (never from MEDIA_URL directly)."""
        return reverse("catalogue_media", kwargs={"name": f"{self.sha256}.{self.extension}"})

    @staticmethod
    def storage_name(sha256: str, extension: str) -> str:
        return f"catalog/media/{sha256[:2]}/{sha256}.{extension}"


class Path(BaseModel):
    """A path's stable identity; its content lives in PathVersion rows.

    `theme`, `language`, `publisher` and `translation_of` are catalogue metadata, not
    versioned content: changing them does not create a version.
    """

    code = models.CharField(_("code"), max_length=60, unique=True)
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="paths", verbose_name=_("theme")
    )
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    publisher = models.CharField(_("publisher"), max_length=200)
    translation_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        verbose_name=_("translation of"),
    )

    class Meta:
        verbose_name = _("path")
        verbose_name_plural = _("paths")
        ordering = ("code",)

    def __str__(self) -> str:
        return self.code


class PathVersionQuerySet(models.QuerySet["PathVersion"]):
    def published(self) -> "PathVersionQuerySet":
        return self.filter(status=VersionStatus.PUBLISHED)

    def open(self) -> "PathVersionQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def update(self, **kwargs: Any) -> int:
        # Status moves and frozen content go through save(), which checks them.
        touched = {name.removesuffix("_id") for name in kwargs}
        content = {name.removesuffix("_id") for name in PathVersion.CONTENT_FIELDS}
        if "status" in touched or (
            touched & content and self.exclude(status=VersionStatus.DRAFT).exists()
        ):
            raise FrozenVersionError(
                gettext("Path versions change status or frozen content only through save().")
            )
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.exclude(status=VersionStatus.DRAFT).exists():
            raise FrozenVersionError(gettext("Only a draft version can be deleted."))
        return super().delete()


class PathVersion(BaseModel):
    """The content of a path at one version number; frozen once it leaves the draft state."""

    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = (
        "path_id",
        "number",
        "title",
        "summary",
        "level",
        "promise_minutes",
        "skills",
        "objectives",
        "cover_id",
        "cover_alt",
        "follow_up",
        "content_hash",
    )

    path = models.ForeignKey(
        Path, on_delete=models.PROTECT, related_name="versions", verbose_name=_("path")
    )
    number = models.PositiveIntegerField(_("version number"))
    status = models.CharField(
        _("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    level = models.CharField(
        _("level"), max_length=20, choices=Level.choices, default=Level.DECOUVERTE
    )
    promise_minutes = models.PositiveSmallIntegerField(_("promised duration (minutes)"), default=20)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    objectives = models.JSONField(_("objectives"), default=list, blank=True)
    cover = models.ForeignKey(
        MediaAsset,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cover image"),
    )
    cover_alt = models.CharField(_("cover image text alternative"), max_length=500, blank=True)
    # {"title", "format"?, "duration_hours"?, "url"?}: the longer "parcours socle"; {} when none.
    follow_up = models.JSONField(_("follow-up programme"), default=dict, blank=True)
    # sha256 of the canonical content (catalog.content): equal hashes mean equal content.
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    submitted_at = models.DateTimeField(_("submitted for review at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    objects = PathVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("path version")
        verbose_name_plural = _("path versions")
        ordering = ("path__code", "-number")
        constraints = [
            models.UniqueConstraint(fields=["path", "number"], name="catalog_version_number"),
            models.UniqueConstraint(
                fields=["path"],
                condition=models.Q(status="published"),
                name="catalog_one_published_version",
            ),
            models.UniqueConstraint(
                fields=["path"],
                condition=models.Q(status__in=["draft", "in_review"]),
                name="catalog_one_open_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.path.code} v{self.number}" if self.path_id else f"v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def is_frozen(self) -> bool:
        return self.status != VersionStatus.DRAFT

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding:
            if self.status != VersionStatus.DRAFT:
                raise TransitionError(gettext("A new version always starts as a draft."))
        else:
            self._check_update()
        super().save(*args, **kwargs)

    def _check_update(self) -> None:
        stored = (
            type(self)
            ._base_manager.filter(pk=self.pk)
            .values("status", *self.CONTENT_FIELDS)
            .first()
        )
        if stored is None:
            return
        old_status = stored["status"]
        if old_status != self.status and self.status not in ALLOWED_TRANSITIONS[old_status]:
            raise TransitionError(
                gettext("A version cannot go from “%(old)s” to “%(new)s”.")
                % {"old": VersionStatus(old_status).label, "new": VersionStatus(self.status).label}
            )
        if old_status != VersionStatus.DRAFT:
            changed = [f for f in self.CONTENT_FIELDS if getattr(self, f) != stored[f]]
            if changed:
                raise FrozenVersionError(frozen_message(old_status, changed))

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        status = (
            type(self)._base_manager.filter(pk=self.pk).values_list("status", flat=True).first()
        )
        if status is not None and status != VersionStatus.DRAFT:
            raise FrozenVersionError(gettext("Only a draft version can be deleted."))
        return super().delete(*args, **kwargs)


def frozen_message(status: str, fields: list[str] | None = None) -> str:
    message = gettext(
        "This version is %(status)s: its content is frozen. Create a new draft to change it."
    ) % {"status": VersionStatus(status).label.lower()}
    if status == VersionStatus.IN_REVIEW:
        message = gettext(
            "This version is in review: return it to draft before changing its content."
        )
    if fields:
        message += " (" + ", ".join(f.removesuffix("_id") for f in fields) + ")"
    return message


def require_draft(version_id: Any) -> None:
    """Raise FrozenVersionError unless the version (read from the database) is a draft."""
    status = (
        PathVersion._base_manager.filter(pk=version_id).values_list("status", flat=True).first()
    )
    if status is not None and status != VersionStatus.DRAFT:
        raise FrozenVersionError(frozen_message(status))


_Content = TypeVar("_Content", bound=models.Model)


class DraftContentQuerySet(models.QuerySet[_Content]):
    """Bulk writes refused unless every affected row belongs to a draft version."""

    version_lookup: ClassVar[str] = "version"

    def _require_drafts(self) -> None:
        frozen = (
            self.exclude(**{f"{self.version_lookup}__status": VersionStatus.DRAFT})
            .values_list(f"{self.version_lookup}__status", flat=True)
            .first()
        )
        if frozen is not None:
            raise FrozenVersionError(frozen_message(frozen))

    def update(self, **kwargs: Any) -> int:
        self._require_drafts()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._require_drafts()
        return super().delete()


class ModuleQuerySet(DraftContentQuerySet["Module"]):
    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list["Module"]:
        objs = list(objs)
        for version_id in {obj.version_id for obj in objs}:
            require_draft(version_id)
        return super().bulk_create(objs, *args, **kwargs)


class Module(BaseModel):
    """3–7 minutes of a path; `slug` identifies it across versions (pack file `NN-slug.yaml`)."""

    version = models.ForeignKey(
        PathVersion, on_delete=models.CASCADE, related_name="modules", verbose_name=_("version")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    slug = models.SlugField(_("short name"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    est_minutes = models.PositiveSmallIntegerField(_("estimated minutes"))

    objects = ModuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ("version", "order")
        constraints = [
            models.UniqueConstraint(fields=["version", "slug"], name="catalog_module_slug"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        require_draft(self.version_id)
        if not self._state.adding:
            old = type(self)._base_manager.filter(pk=self.pk).values_list("version_id", flat=True)
            for version_id in old:
                require_draft(version_id)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        require_draft(self.version_id)
        return super().delete(*args, **kwargs)


class CardQuerySet(DraftContentQuerySet["Card"]):
    version_lookup = "module__version"

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list["Card"]:
        objs = list(objs)
        module_ids = {obj.module_id for obj in objs}
        for version_id in set(
            Module._base_manager.filter(pk__in=module_ids).values_list("version_id", flat=True)
        ):
            require_draft(version_id)
        return super().bulk_create(objs, *args, **kwargs)


class Card(BaseModel):
    """One screen of the player. `payload` holds the type's fields (catalog.cards validates it);
    media fields in a stored payload hold the sha256 of a MediaAsset."""

    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, related_name="cards", verbose_name=_("module")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    type = models.CharField(_("type"), max_length=32, choices=CardType.choices)
    payload = models.JSONField(_("content"), default=dict)
    est_seconds = models.PositiveIntegerField(_("estimated seconds"))

    objects = CardQuerySet.as_manager()

    class Meta:
        verbose_name = _("card")
        verbose_name_plural = _("cards")
        ordering = ("module", "order")

    def __str__(self) -> str:
        return f"{self.get_type_display()} #{self.order + 1}"

    def _require_draft(self, module_id: Any) -> None:
        version_id = (
            Module._base_manager.filter(pk=module_id).values_list("version_id", flat=True).first()
        )
        require_draft(version_id)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._require_draft(self.module_id)
        if not self._state.adding:
            for module_id in (
                type(self)._base_manager.filter(pk=self.pk).values_list("module_id", flat=True)
            ):
                self._require_draft(module_id)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self._require_draft(self.module_id)
        return super().delete(*args, **kwargs)


class KeyBehaviourQuerySet(DraftContentQuerySet["KeyBehaviour"]):
    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list["KeyBehaviour"]:
        objs = list(objs)
        for version_id in {obj.version_id for obj in objs}:
            require_draft(version_id)
        return super().bulk_create(objs, *args, **kwargs)


class KeyBehaviour(BaseModel):
    """An observable behaviour the path targets (camera test), with BARS anchors.

    `anchors` is a list of 5 texts: `anchors[0]` describes level 1, `anchors[4]` level 5.
    """

    version = models.ForeignKey(
        PathVersion,
        on_delete=models.CASCADE,
        related_name="key_behaviours",
        verbose_name=_("version"),
    )
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.SlugField(_("code"), max_length=80)
    statement = models.TextField(_("statement"))
    anchors = models.JSONField(_("BARS anchors"), default=list)

    objects = KeyBehaviourQuerySet.as_manager()

    class Meta:
        verbose_name = _("key behaviour")
        verbose_name_plural = _("key behaviours")
        ordering = ("version", "order")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="catalog_key_behaviour_code"),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        require_draft(self.version_id)
        if not self._state.adding:
            for version_id in (
                type(self)._base_manager.filter(pk=self.pk).values_list("version_id", flat=True)
            ):
                require_draft(version_id)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        require_draft(self.version_id)
        return super().delete(*args, **kwargs)
