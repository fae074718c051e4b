"""The learning record store's data: statements, documents, activities, credentials, outbox.

Guarantees:

* Statement ids are unique per organisation in `StatementKey` (its primary constraint is
  `(organisation, statement_id)`); ingest inserts keys with `ON CONFLICT DO NOTHING`, so a
  replayed statement never yields a second row, even under concurrent writers.
* `Statement` keeps the statement exactly as served (`payload`, JSONB on PostgreSQL) plus the
  columns the xAPI filters need. On PostgreSQL it is partitioned by month of `stored`
  (migration 0002); SQLite keeps a plain table with the same columns and indexes.
* Every row carries a non-null `organisation`; every read filters on it first.
* A credential's secret is stored only as its SHA-256 (secrets are ≥128 random bits, so a
  fast hash suffices); a copy of the database opens no LRS.
"""

import hashlib
import hmac
from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ancrage.common.models import BaseModel
from ancrage.lrs.lookups import KeyList
from ancrage.tenancy.models import Organisation


class Scope(models.TextChoices):
    STATEMENTS_WRITE = "statements/write", _("Write statements")
    STATEMENTS_READ_MINE = "statements/read/mine", _("Read own statements")
    STATEMENTS_READ = "statements/read", _("Read all statements")
    STATE = "state", _("State documents")
    DEFINE = "define", _("Activity and agent definitions and profiles")
    ALL_READ = "all/read", _("Read everything")
    ALL = "all", _("Everything")


class LrsCredential(BaseModel):
    """A Basic-auth key/secret pair bound to one organisation and one authority."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="lrs_credentials"
    )
    label = models.CharField(_("label"), max_length=120)
    key = models.CharField(_("key"), max_length=64, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    authority = models.JSONField(_("authority"))
    rate_limit_per_minute = models.PositiveIntegerField(_("requests per minute"), default=6000)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("LRS credential")
        verbose_name_plural = _("LRS credentials")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.label} ({self.key})"

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    def secret_matches(self, secret: str) -> bool:
        return hmac.compare_digest(self.secret_hash, self.hash_secret(secret))

    def is_usable(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        if self.revoked_at is not None and self.revoked_at <= now:
            return False
        return self.expires_at is None or self.expires_at > now

    def allows(self, *needed: str) -> bool:
        """True when any scope in `needed` (or `all`) was granted."""
        granted = set(self.scopes)
        return Scope.ALL in granted or bool(granted.intersection(needed))


class StatementKey(models.Model):
    """One row per (organisation, statement id): the uniqueness guard and duplicate check."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    statement_id = models.UUIDField()
    content_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "statement_id"], name="lrs_statement_key_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.statement_id)


class Statement(models.Model):
    """A stored statement: the served JSON plus the columns the query filters use.

    `ref_*` columns copy the filterable values of the statement a StatementRef targets, so a
    statement that references another matches the filters its target matches (xAPI
    "Filter Conditions for StatementRefs").
    """

    seq = models.BigAutoField(primary_key=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    statement_id = models.UUIDField()
    stored = models.DateTimeField()
    timestamp = models.DateTimeField()
    verb_id = models.TextField()
    activity_id = models.TextField(null=True)  # noqa: DJ001 — NULL: not applicable
    actor_key = models.TextField()
    object_agent_key = models.TextField(null=True)  # noqa: DJ001 — NULL: not applicable
    registration = models.UUIDField(null=True)
    ref_target = models.UUIDField(null=True)
    ref_verb_id = models.TextField(null=True)  # noqa: DJ001 — NULL: not applicable
    ref_activity_id = models.TextField(null=True)  # noqa: DJ001 — NULL: not applicable
    ref_actor_key = models.TextField(null=True)  # noqa: DJ001 — NULL: not applicable
    ref_registration = models.UUIDField(null=True)
    related_agents = KeyList(default=list)
    related_activities = KeyList(default=list)
    credential_id = models.UUIDField(null=True)
    voided = models.BooleanField(default=False)
    payload = models.JSONField()

    class Meta:
        verbose_name = _("xAPI statement")
        verbose_name_plural = _("xAPI statements")
        indexes = [
            models.Index(fields=["organisation", "statement_id"], name="lrs_st_id"),
            models.Index(fields=["organisation", "stored", "seq"], name="lrs_st_stored"),
            models.Index(fields=["organisation", "verb_id", "stored"], name="lrs_st_verb"),
            models.Index(fields=["organisation", "activity_id", "stored"], name="lrs_st_activity"),
            models.Index(fields=["organisation", "actor_key", "stored"], name="lrs_st_actor"),
            models.Index(
                fields=["organisation", "object_agent_key", "stored"],
                name="lrs_st_object_agent",
                condition=models.Q(object_agent_key__isnull=False),
            ),
            models.Index(
                fields=["organisation", "registration", "stored"],
                name="lrs_st_registration",
                condition=models.Q(registration__isnull=False),
            ),
            models.Index(
                fields=["organisation", "ref_target"],
                name="lrs_st_ref",
                condition=models.Q(ref_target__isnull=False),
            ),
            models.Index(
                fields=["organisation", "ref_verb_id"],
                name="lrs_st_ref_verb",
                condition=models.Q(ref_verb_id__isnull=False),
            ),
            models.Index(
                fields=["organisation", "ref_activity_id"],
                name="lrs_st_ref_activity",
                condition=models.Q(ref_activity_id__isnull=False),
            ),
            models.Index(
                fields=["organisation", "ref_actor_key"],
                name="lrs_st_ref_actor",
                condition=models.Q(ref_actor_key__isnull=False),
            ),
            models.Index(
                fields=["organisation", "ref_registration"],
                name="lrs_st_ref_registration",
                condition=models.Q(ref_registration__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return str(self.statement_id)


class _StatementRow(models.Model):
    """A row of a statement's side table, keyed like the statement: its organisation and
    (stored, seq), the statement's key on PostgreSQL (partitioned by month of stored)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    stored = models.DateTimeField()
    seq = models.BigIntegerField()
    statement = models.ForeignObject(
        Statement,
        on_delete=models.DO_NOTHING,
        from_fields=["stored", "seq"],
        to_fields=["stored", "seq"],
        related_name="+",
    )

    class Meta:
        abstract = True


class StatementActivity(_StatementRow):
    """One activity a statement relates to, for `related_activities=true` queries.

    One row per distinct activity in a statement's `related_activities` (its object, context
    activities, a SubStatement's, and those of the statement a StatementRef targets), written
    in the same commit as the statement. The primary key (organisation, activity hash,
    stored, seq) is the index that yields a page newest (or oldest) first and stops after it,
    where the GIN index on the JSON array yielded every match unordered. The hash is 64 bits
    of the IRI's SHA-256 (`shapes.activity_hash`): compact keys, and a read re-checks the
    statement's own `related_activities`, so a collision can never show a wrong statement.
    """

    pk = models.CompositePrimaryKey("organisation", "activity_hash", "stored", "seq")
    activity_hash = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.activity_hash}@{self.seq}"


class StatementAgent(_StatementRow):
    """One agent a statement relates to, for `agent` queries with `related_agents=true`.

    The twin of `StatementActivity`: one row per distinct key in the statement's
    `related_agents` (actor, object, team, instructor, context agents and groups, group
    members, authority, a SubStatement's, and those of a StatementRef's target), written in
    the same commit as the statement. `agent_hash` is `shapes.agent_hash` of the key; a read
    re-checks the statement's own `related_agents`. GDPR erasure rewrites these rows along
    with the statement (`privacy.actions`).
    """

    pk = models.CompositePrimaryKey("organisation", "agent_hash", "stored", "seq")
    agent_hash = models.BigIntegerField()

    class Meta:
        verbose_name = _("xAPI statement agent")
        verbose_name_plural = _("xAPI statement agents")

    def __str__(self) -> str:
        return f"{self.agent_hash}@{self.seq}"


class Activity(models.Model):
    """The LRS's canonical definition of an activity: the latest definition it was sent."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    activity_id = models.TextField()
    definition = models.JSONField(default=dict)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "activities"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "activity_id"], name="lrs_activity_unique"
            )
        ]

    def __str__(self) -> str:
        return self.activity_id


class Attachment(models.Model):
    """Attachment content, addressed by its SHA-2 digest within one organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    sha2 = models.CharField(max_length=128)
    content_type = models.CharField(max_length=255)
    content = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "sha2"], name="lrs_attachment_unique")
        ]

    def __str__(self) -> str:
        return self.sha2


class DocumentKind(models.TextChoices):
    STATE = "state", _("State")
    ACTIVITY_PROFILE = "activity_profile", _("Activity profile")
    AGENT_PROFILE = "agent_profile", _("Agent profile")


class Document(models.Model):
    """A State, Activity Profile or Agent Profile document; ETag is the SHA-1 of content."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    activity_id = models.TextField(default="")
    agent_key = models.TextField(default="")
    registration = models.CharField(max_length=36, default="")
    document_id = models.TextField()
    content = models.BinaryField()
    content_type = models.CharField(max_length=255)
    etag = models.CharField(max_length=40)
    updated = models.DateTimeField()

    class Meta:
        verbose_name = _("xAPI document")
        verbose_name_plural = _("xAPI documents")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "organisation",
                    "kind",
                    "activity_id",
                    "agent_key",
                    "registration",
                    "document_id",
                ],
                name="lrs_document_unique",
            )
        ]
        indexes = [
            models.Index(
                fields=["organisation", "kind", "activity_id", "agent_key", "updated"],
                name="lrs_doc_lookup",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.document_id}"

    @property
    def is_json(self) -> bool:
        return self.content_type.split(";")[0].strip().lower() == "application/json"


class ForwardingTarget(BaseModel):
    """An organisation's own LRS to which accepted statements are copied (optional)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="lrs_forwarding"
    )
    endpoint = models.URLField(_("endpoint"), max_length=500)
    username = models.CharField(_("key"), max_length=200)
    password = models.CharField(_("secret"), max_length=200)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("LRS forwarding target")
        verbose_name_plural = _("LRS forwarding targets")

    def __str__(self) -> str:
        return self.endpoint


class OutboxItem(models.Model):
    """Statements waiting to be copied to a forwarding target; written in the ingest commit."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    statements = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True)
    last_error = models.TextField(default="")

    class Meta:
        verbose_name = _("statement copy to forward")
        verbose_name_plural = _("statement copies to forward")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="lrs_outbox_due",
                condition=models.Q(sent_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"outbox {self.pk}"
