"""Client organisations (tenants), their teams and who belongs to them in which role.

Every tenant-owned row in Ancrage carries a non-null `organisation`; a user belongs to at
most one client organisation through one Membership, which also records their manager.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.common.models import BaseModel


class Organisation(BaseModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Team(BaseModel):
    """A team in the organisation's tree (Direction › RH › Paie)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent team"),
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "parent", "name"],
                condition=models.Q(parent__isnull=False),
                name="team_unique_name_under_parent",
            ),
            models.UniqueConstraint(
                fields=["organisation", "name"],
                condition=models.Q(parent__isnull=True),
                name="team_unique_top_level_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    LEARNER = "learner", _("Learner")
    MANAGER = "manager", _("Manager")
    LD_LEAD = "ld_lead", _("L&D lead")
    ORG_ADMIN = "org_admin", _("Organisation admin")


class MembershipStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Active")
    DEACTIVATED = "deactivated", _("Deactivated")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self) -> "MembershipQuerySet":
        return self.exclude(status=MembershipStatus.DEACTIVATED)


class Membership(BaseModel):
    """A person's place in one organisation: role, team and manager (reporting line)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.LEARNER)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MembershipStatus.choices,
        default=MembershipStatus.ACTIVE,
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("team"),
    )
    manager = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("manager"),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [models.Index(fields=["organisation", "role"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation}"

    @property
    def can_manage_people(self) -> bool:
        """L&D leads and organisation admins see everyone and invite people."""
        return self.role in (Role.LD_LEAD, Role.ORG_ADMIN)

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER
