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
