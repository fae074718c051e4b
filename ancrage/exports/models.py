"""The exports' audit trail and the tokens that let an exported package call home.

* `Export`: one row per package built (who, what, which format, size, when), never edited.
* `PackageToken`: one row per package that may report xAPI to us or check its licence. The
  package carries a Django-signed value naming the row; revoking the row (or the client's
  licence ending) makes the package show the polite licence message. A token is useless for
  anything else: it opens no session and reads nothing.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ancrage.common.models import BaseModel
from ancrage.tenancy.models import Organisation


class ExportFormat(models.TextChoices):
    SCORM12 = "scorm12", _("SCORM 1.2")
    SCORM2004 = "scorm2004", _("SCORM 2004 4th edition")
    CMI5 = "cmi5", _("cmi5")
    CC13 = "cc13", _("Common Cartridge 1.3 (LTI links)")


class ExportScope(models.TextChoices):
    PATH = "path", _("Path")
    MODULE = "module", _("Module")
    PROGRAMME = "programme", _("Programme")


class Export(BaseModel):
    """A package built for an organisation (audit trail: rows are only ever added)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("exported by"),
    )
    format = models.CharField(_("format"), max_length=16, choices=ExportFormat.choices)
    scope = models.CharField(_("scope"), max_length=16, choices=ExportScope.choices)
    path_code = models.CharField(_("path"), max_length=60, blank=True)
    module_slug = models.SlugField(_("module"), max_length=80, blank=True)
    programme_id = models.UUIDField(_("programme"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    reports_xapi = models.BooleanField(_("reports xAPI to Ancrage"), default=False)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ("-created_at",)
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.format})"


class PackageToken(BaseModel):
    """The revocable licence token carried by a package that reports to us."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    export = models.OneToOneField(
        Export, on_delete=models.CASCADE, related_name="token", verbose_name=_("export")
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("package token")
        verbose_name_plural = _("package tokens")

    def __str__(self) -> str:
        return str(self.pk)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None and self.revoked_at <= timezone.now()
