"""GDPR records: data downloads a person made, and erasures an organisation admin ran.

An `Erasure` is the resumable record of one person's erasure: `steps` maps each data kind to
the number of rows the last run changed, `pseudonym` is the stable random account that
replaces the person in learning records (the same on every run, so a rerun changes nothing).
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.common.models import BaseModel
from ancrage.tenancy.models import Membership, Organisation


class DataDownload(BaseModel):
    """A person downloaded all their data (the archive itself is never stored)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="data_downloads"
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("data download")
        verbose_name_plural = _("data downloads")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.membership_id} · {self.created_at:%Y-%m-%d}"


class ErasureState(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")


class Erasure(BaseModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="erasure")
    requested_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    pseudonym = models.UUIDField(default=uuid.uuid4, editable=False)
    state = models.CharField(
        _("state"), max_length=16, choices=ErasureState.choices, default=ErasureState.RUNNING
    )
    steps = models.JSONField(_("rows changed per data kind (last run)"), default=dict)
    done_kinds = models.JSONField(_("data kinds done"), default=list)
    runs = models.PositiveIntegerField(_("runs"), default=0)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.membership_id} · {self.state}"
