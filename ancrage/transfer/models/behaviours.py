"""An organisation's own wording of a catalogue key behaviour and its BARS anchors.

Keyed by (organisation, path, code) rather than by one catalogue row: a KeyBehaviour row
belongs to one path version, and the adaptation must survive a new version of the path
that keeps the same behaviour code. Empty fields mean "keep the publisher's text".
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.catalog.models import KeyBehaviour, Path
from ancrage.common.models import BaseModel
from ancrage.tenancy.models import Organisation


class OrgKeyBehaviour(BaseModel):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="key_behaviour_adaptations"
    )
    path = models.ForeignKey(Path, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(_("code"), max_length=80)
    source = models.ForeignKey(
        KeyBehaviour,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adapted from"),
    )
    statement = models.TextField(_("statement"), blank=True)
    anchors = models.JSONField(_("BARS anchors"), default=list, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("key behaviour adaptation")
        verbose_name_plural = _("key behaviour adaptations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "path", "code"], name="transfer_one_adaptation_per_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} · {self.code}"
