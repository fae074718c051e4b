"""The tiny kernel every domain model builds on: a UUID primary key and timestamps.

UUIDs keep identifiers unguessable across organisations, so an id seen in one tenant
tells nothing about another's rows.
"""

import uuid

from django.db import models


class BaseModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ScheduledJob(models.Model):
    """One row per periodic job (`ancrage.common.schedule`): when it is next due, how it went."""

    name = models.CharField(max_length=100, unique=True)
    next_due_at = models.DateTimeField()
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_ok = models.BooleanField(null=True)
    last_summary = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
