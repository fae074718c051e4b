"""The bridge from a micro-path to longer facilitated programmes (« parcours socles »).

An organisation's L&D lead points a path to one or more `FoundationProgramme`s (title,
format, duration, facilitator, a registration link and/or a request form). Learners who
finished the path see them; each learner's step towards one — a request sent to the L&D
lead, or a click on the registration link — is one `FoundationRequest` (one per learner and
programme), which is what the conversion figure counts.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.catalog.models import Path
from ancrage.common.models import BaseModel
from ancrage.tenancy.models import Membership, Organisation


class ProgrammeFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    REMOTE = "remote", _("Remote")
    HYBRID = "hybrid", _("Hybrid")


class FoundationProgramme(BaseModel):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="foundation_programmes"
    )
    path = models.ForeignKey(
        Path, on_delete=models.CASCADE, related_name="+", verbose_name=_("after the path")
    )
    title = models.CharField(_("title"), max_length=200)
    format = models.CharField(_("format"), max_length=16, choices=ProgrammeFormat.choices)
    duration = models.CharField(
        _("duration"), max_length=80, help_text=_("For example: 3 days, or 4 half-days.")
    )
    facilitator = models.CharField(_("facilitator"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    registration_url = models.URLField(_("registration link"), max_length=500, blank=True)
    accepts_requests = models.BooleanField(
        _("learners can ask the L&D lead for a place"), default=True
    )
    active = models.BooleanField(_("shown to learners"), default=True)
    created_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("foundation programme")
        verbose_name_plural = _("foundation programmes")
        ordering = ("title",)
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "path", "title"], name="foundation_programme_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(registration_url="") | models.Q(accepts_requests=True),
                name="foundation_programme_has_a_way_in",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RequestKind(models.TextChoices):
    REQUEST = "request", _("Request to the L&D lead")
    REGISTRATION_LINK = "link", _("Opened the registration link")


class RequestStatus(models.TextChoices):
    NEW = "new", _("To handle")
    HANDLED = "handled", _("Handled")


class FoundationRequest(BaseModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(
        FoundationProgramme, on_delete=models.CASCADE, related_name="requests"
    )
    learner = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("how"), max_length=16, choices=RequestKind.choices)
    message = models.TextField(_("message"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    handled_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("request for a foundation programme")
        verbose_name_plural = _("requests for foundation programmes")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(fields=["programme", "learner"], name="foundation_request_once")
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.learner_id}"
