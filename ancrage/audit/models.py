"""The audit log: an append-only record of who did what to whom, kept 12 months.

Guarantees:

* Rows are only ever inserted: `save()` on an existing row, `delete()`, and `update()` /
  `delete()` on a queryset raise `AppendOnly`. The database refuses too (triggers added by
  migration 0002): an UPDATE always fails; on PostgreSQL a DELETE fails for any row younger
  than the retention period (SQLite keeps DELETE open for Django's test flush). Only `purge_before` (the `audit.purge_old` job) removes
  rows, and only expired ones.
* Actors and organisations are kept as plain ids, not foreign keys: erasing or deleting a
  person never cascades into (or is blocked by) the log. An erased person's entries point to
  an anonymised account.
* `details` is a small flat JSON object of short scalar values; `ancrage.audit.actions.record`
  refuses anything else, so journal text and statement bodies cannot end up here.
"""

from datetime import datetime, timedelta
from typing import Any, Never

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

RETENTION = timedelta(days=365)


class AppendOnly(Exception):
    """An audit entry cannot be changed or deleted (except by the retention purge)."""


class Action(models.TextChoices):
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
    ACCESS_DENIED = "access_denied", _("Access refused")
    ROLE_CHANGED = "role_changed", _("Role changed")
    TEAM_CHANGED = "team_changed", _("Team changed")
    MANAGER_CHANGED = "manager_changed", _("Manager changed")
    API_KEY_CREATED = "api_key_created", _("API key created")
    API_KEY_REVOKED = "api_key_revoked", _("API key revoked")
    LRS_KEY_CREATED = "lrs_key_created", _("LRS key created")
    LRS_KEY_REVOKED = "lrs_key_revoked", _("LRS key revoked")
    EXPORT = "export", _("Data exported")
    DATA_DOWNLOAD = "data_download", _("Personal data downloaded")
    ERASURE = "erasure", _("Person erased")
    LEARNER_VIEWED = "learner_viewed", _("Individual results viewed")
    SSO_CHANGED = "sso_changed", _("Single sign-on settings changed")
    SSO_ACCOUNT_LINKED = "sso_account_linked", _("Account opened to single sign-on")
    LTI_REGISTRATION_CHANGED = "lti_registration_changed", _("LMS connection changed")
    LRS_FORWARDING_CHANGED = "lrs_forwarding_changed", _("LRS forwarding changed")


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> Never:
        raise AppendOnly("audit entries cannot be updated")

    def delete(self) -> Never:
        raise AppendOnly("audit entries cannot be deleted")

    def expired(self, now: datetime) -> "AuditQuerySet":
        return self.filter(at__lt=now - RETENTION)

    def purge_before(self, cutoff: datetime) -> int:
        """Delete entries older than `cutoff` (never younger than the retention period)."""
        cutoff = min(cutoff, timezone.now() - RETENTION)
        doomed: models.QuerySet[AuditEntry] = models.QuerySet(
            model=self.model, using=self.db
        ).filter(at__lt=cutoff)
        count, _by_model = doomed.delete()
        return count


class AuditEntry(models.Model):
    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    organisation_id = models.UUIDField(_("organisation"), null=True, blank=True)
    actor_membership_id = models.UUIDField(_("actor (membership)"), null=True, blank=True)
    actor_user_id = models.UUIDField(_("actor (user)"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    target_type = models.CharField(_("target type"), max_length=64, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ("-at", "-id")
        indexes = [
            models.Index(fields=["organisation_id", "-at"], name="audit_org_at"),
            models.Index(fields=["organisation_id", "action", "-at"], name="audit_org_action_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("audit entries cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Never:
        raise AppendOnly("audit entries cannot be deleted")
