"""API keys: how an organisation's HR system calls the public API.

A key belongs to one organisation and carries scopes; every request it makes sees only that
organisation's rows. Only the SHA-256 of the secret is stored: the full key is shown once, at
creation, and a copy of the database opens nothing. Revoking is immediate and final.

Key format: ``anc_<prefix>_<secret>``; the prefix (public) finds the row, the secret proves it.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ancrage.common.models import BaseModel
from ancrage.tenancy.models import Organisation

KEY_PREFIX = "anc"


class Scope(models.TextChoices):
    LICENCES_READ = "licences:read", _("Read licences and seat use")
    PROGRAMMES_READ = "programmes:read", _("Read programmes")
    PROGRAMMES_WRITE = "programmes:write", _("Create and change programmes")
    ASSIGNMENTS_READ = "assignments:read", _("Read assignments")
    ASSIGNMENTS_WRITE = "assignments:write", _("Create and remove assignments")
    ENROLMENTS_READ = "enrolments:read", _("Read enrolments and their status")


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_key() -> tuple[str, str, str]:
    """A fresh key: (full key to show once, public prefix, hash of the secret to store)."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return f"{KEY_PREFIX}_{prefix}_{secret}", prefix, hash_secret(secret)


class ApiKey(BaseModel):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(_("name"), max_length=120)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ("organisation__name", "name")

    def __str__(self) -> str:
        return f"{self.name} ({KEY_PREFIX}_{self.prefix}_…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def matches(self, secret: str) -> bool:
        return secrets.compare_digest(self.secret_hash, hash_secret(secret))
