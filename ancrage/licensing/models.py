"""What a client organisation may use, and how its L&D lead deploys it.

Commerce (publisher side)::

    Offer (a_la_carte | integrale) ─< Licence (one client organisation) ─< LicenceItem → Path
                                          ├─< Seat (one per person who started, never doubled)
                                          └─< LicenceRenewal (history of extensions)

Deployment (client side)::

    Programme ─< ProgrammeItem → Path (+ optional module slug)
    Assignment: a programme or a path → a team (optionally with its sub-teams) or a person

Life cycle of a licence (rules in `ancrage.licensing.actions`)::

    draft ──activate──▶ active ──suspend──▶ suspended ──resume──▶ active
                          │  ▲
                   expire │  │ renew (extends the end date, may change the seats)
                          ▼  │
                        expired

A licence *grants access* only when it is active and today lies in [starts_on, ends_on]
(`Licence.is_effective`); the `expire_licences` task also records `expired` once the end
date has passed, but access never waits for that task. Renewal extends the same licence
(a `LicenceRenewal` row keeps the previous period), so seats, enrolments and progress carry
over untouched: "renewed" is an event in the history, not a lasting state.

Every row here except `Offer` belongs to one client organisation (non-null `organisation`).
"""

from datetime import date
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.catalog.models import Path
from ancrage.common.models import BaseModel
from ancrage.tenancy.models import Membership, Organisation, Team


class OfferKind(models.TextChoices):
    A_LA_CARTE = "a_la_carte", _("À la carte (chosen paths)")
    INTEGRALE = "integrale", _("Whole catalogue (offre intégrale)")


class Offer(BaseModel):
    """A product the publisher sells. À la carte lists its paths per licence (LicenceItem);
    the intégrale covers every path with a published version, including future ones."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=OfferKind.choices)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    @property
    def covers_whole_catalogue(self) -> bool:
        return self.kind == OfferKind.INTEGRALE


class LicenceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    EXPIRED = "expired", _("Expired")


class LicenceQuerySet(models.QuerySet["Licence"]):
    def effective_on(self, day: date) -> "LicenceQuerySet":
        """Licences that grant access on `day`: active, and `day` within their period."""
        return self.filter(status=LicenceStatus.ACTIVE, starts_on__lte=day, ends_on__gte=day)


class Licence(BaseModel):
    """One client organisation's right to an offer for a period, for a number of people."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="licences",
        verbose_name=_("organisation"),
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="licences", verbose_name=_("offer")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=LicenceStatus.choices, default=LicenceStatus.DRAFT
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    seats = models.PositiveIntegerField(_("seats"))
    notes = models.TextField(_("notes"), blank=True)
    suspension_reason = models.CharField(_("reason for the suspension"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = LicenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ("organisation__name", "-ends_on")
        indexes = [models.Index(fields=["organisation", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="licence_ends_after_it_starts",
            ),
            models.CheckConstraint(condition=models.Q(seats__gte=1), name="licence_has_seats"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.offer} ({self.starts_on} → {self.ends_on})"

    def is_effective(self, day: date) -> bool:
        return self.status == LicenceStatus.ACTIVE and self.starts_on <= day <= self.ends_on

    def state_on(self, day: date) -> str:
        """The state a person should be told: `expired` as soon as the end date has passed,
        `scheduled` for an active licence whose period has not begun."""
        if self.status == LicenceStatus.ACTIVE:
            if day > self.ends_on:
                return LicenceStatus.EXPIRED
            if day < self.starts_on:
                return "scheduled"
        return self.status


class LicenceRenewal(BaseModel):
    """One renewal of a licence: the period and seats before and after."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="renewals")
    previous_ends_on = models.DateField(_("previous last day"))
    ends_on = models.DateField(_("new last day"))
    previous_seats = models.PositiveIntegerField(_("previous seats"))
    seats = models.PositiveIntegerField(_("seats"))
    renewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("licence renewal")
        verbose_name_plural = _("licence renewals")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.licence}: {self.previous_ends_on} → {self.ends_on}"


class LicenceItem(BaseModel):
    """A path included in an à la carte licence."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="items")
    path = models.ForeignKey(
        Path, on_delete=models.PROTECT, related_name="licence_items", verbose_name=_("path")
    )

    class Meta:
        verbose_name = _("licensed path")
        verbose_name_plural = _("licensed paths")
        constraints = [
            models.UniqueConstraint(fields=["licence", "path"], name="licence_item_unique_path")
        ]

    def __str__(self) -> str:
        return f"{self.licence} · {self.path}"


class SeatQuerySet(models.QuerySet["Seat"]):
    def held(self) -> "SeatQuerySet":
        return self.filter(released_at__isnull=True)


class Seat(BaseModel):
    """A person's seat on a licence, taken at their first start and kept until released.

    One row per (licence, person): starting a second path, or the same one again, never
    takes another seat. Releasing (an L&D action) frees it; a new start takes it back.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="seat_rows")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="seats")
    taken_at = models.DateTimeField(_("taken at"))
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    objects = SeatQuerySet.as_manager()

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [
            models.UniqueConstraint(fields=["licence", "membership"], name="seat_one_per_person")
        ]
        indexes = [models.Index(fields=["licence", "released_at"])]

    def __str__(self) -> str:
        return f"{self.licence} · {self.membership}"


class SeatRequest(BaseModel):
    """A learner was refused a start because the licence had no seat left; L&D is told."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="seat_requests"
    )
    path = models.ForeignKey(Path, on_delete=models.CASCADE, related_name="+")
    licence = models.ForeignKey(
        Licence, on_delete=models.SET_NULL, null=True, blank=True, related_name="seat_requests"
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("seat request")
        verbose_name_plural = _("seat requests")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "path"],
                condition=models.Q(handled_at__isnull=True),
                name="seat_request_one_open_per_path",
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership} · {self.path}"


class OrganisationSettings(BaseModel):
    """Deployment settings an L&D lead chooses for the organisation."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="licensing_settings"
    )
    allow_self_enrolment = models.BooleanField(
        _("learners may start any licensed path themselves"), default=True
    )

    class Meta:
        verbose_name = _("deployment settings")
        verbose_name_plural = _("deployment settings")

    def __str__(self) -> str:
        return str(self.organisation)


class Programme(BaseModel):
    """An organisation's own ordered selection of paths (and single modules) for a purpose."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="programmes"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    strategic_stake = models.CharField(_("strategic stake"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ("title",)
        constraints = [
            models.UniqueConstraint(fields=["organisation", "title"], name="programme_unique_title")
        ]

    def __str__(self) -> str:
        return self.title


class ProgrammeItem(BaseModel):
    """One step of a programme: a whole path, or one module of it (`module_slug`)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(_("order"))
    path = models.ForeignKey(Path, on_delete=models.PROTECT, related_name="+")
    module_slug = models.SlugField(_("module"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("programme step")
        verbose_name_plural = _("programme steps")
        ordering = ("programme", "order", "created_at")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "path", "module_slug"], name="programme_item_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.path}/{self.module_slug}" if self.module_slug else str(self.path)


class Assignment(BaseModel):
    """A programme or a path given to a team (optionally with its sub-teams) or a person.

    Resolved when read: whoever is in the team *now* has the assignment, so people who join
    the team later receive it and people who leave no longer do.
    """

    TARGETS: ClassVar[tuple[str, str]] = ("programme", "path")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="assignments"
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, null=True, blank=True, related_name="assignments"
    )
    path = models.ForeignKey(
        Path, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="assignments"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, null=True, blank=True, related_name="assignments"
    )
    include_subteams = models.BooleanField(_("include sub-teams"), default=False)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ("-created_at",)
        indexes = [
            models.Index(fields=["organisation", "team"]),
            models.Index(fields=["organisation", "membership"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(programme__isnull=False, path__isnull=True)
                | models.Q(programme__isnull=True, path__isnull=False),
                name="assignment_one_target",
            ),
            models.CheckConstraint(
                condition=models.Q(team__isnull=False, membership__isnull=True)
                | models.Q(team__isnull=True, membership__isnull=False),
                name="assignment_one_audience",
            ),
            models.UniqueConstraint(
                fields=["programme", "team"],
                condition=models.Q(programme__isnull=False, team__isnull=False),
                name="assignment_unique_programme_team",
            ),
            models.UniqueConstraint(
                fields=["programme", "membership"],
                condition=models.Q(programme__isnull=False, membership__isnull=False),
                name="assignment_unique_programme_person",
            ),
            models.UniqueConstraint(
                fields=["organisation", "path", "team"],
                condition=models.Q(path__isnull=False, team__isnull=False),
                name="assignment_unique_path_team",
            ),
            models.UniqueConstraint(
                fields=["organisation", "path", "membership"],
                condition=models.Q(path__isnull=False, membership__isnull=False),
                name="assignment_unique_path_person",
            ),
        ]

    def __str__(self) -> str:
        target = self.programme if self.programme_id else self.path
        audience = self.team if self.team_id else self.membership
        return f"{target} → {audience}"
