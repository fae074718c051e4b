"""People who sign in (identified by email, no username) and the invitations that bring them in.

A user's place in a client organisation lives in tenancy.Membership; publisher staff
(authors, editors) carry a publisher role instead and belong to no client organisation.
An Invitation stores only the SHA-256 of its secret token: a copy of the database opens
no account.
"""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ancrage.common.models import BaseModel
from ancrage.tenancy.models import Membership, Organisation

INVITATION_LIFETIME = timedelta(days=14)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class PublisherRole(models.TextChoices):
    NONE = "", _("None")
    AUTHOR = "author", _("Author")
    EDITOR = "editor", _("Editor")


class User(BaseModel, AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    publisher_role = models.CharField(
        _("publisher role"), max_length=16, choices=PublisherRole.choices, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("Django admin access"), default=False)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ("name", "email")

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def is_publisher_staff(self) -> bool:
        return bool(self.publisher_role)

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return (self.name or self.email).split(" ")[0]


def hash_invitation_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_invitation_token() -> tuple[str, str]:
    """A fresh secret for an invitation link, and the hash to store."""
    token = secrets.token_urlsafe(32)
    return token, hash_invitation_token(token)


class InvitationState(models.TextChoices):
    PENDING = "pending", _("Pending")
    EXPIRED = "expired", _("Expired")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self) -> "InvitationQuerySet":
        """Neither accepted nor revoked (possibly expired: it can still be resent)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(BaseModel):
    """An invitation for one Membership to join its organisation, answered through a link."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    # Empty until the email task has issued a token for the link it sends.
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["membership"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_membership",
            ),
            models.UniqueConstraint(
                fields=["token_hash"],
                condition=~models.Q(token_hash=""),
                name="invitation_unique_token_hash",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership.user} · {self.organisation}"

    @staticmethod
    def default_expiry() -> datetime:
        return timezone.now() + INVITATION_LIFETIME

    @property
    def state(self) -> str:
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationState.EXPIRED
        return InvitationState.PENDING

    @property
    def is_usable(self) -> bool:
        return self.state == InvitationState.PENDING and bool(self.token_hash)

    def get_state_display(self) -> str:
        return str(InvitationState(self.state).label)


# Single sign-on rows live in their sub-package; importing them here registers them.
from ancrage.accounts.sso.models import (  # noqa: E402, F401
    SsoAccountLink,
    SsoConnection,
    SsoIdentity,
    SsoUsedMessageId,
)
