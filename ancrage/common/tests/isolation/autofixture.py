"""Build one row of any model inside a given organisation, for the isolation matrix.

Required fields are filled generically: a foreign key to Organisation is the organisation,
to Membership/Team/User a member of it, to any other model a row built the same way (in the
same organisation); text fields carry a MARKER (so a page that leaks the row shows it).
A model whose rules this cannot satisfy gets a hand-written builder in `world.py`.
"""

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from ancrage.tenancy.models import Membership, Organisation, Team

MARKER = "ZZFOREIGNZZ"


class Builder:
    """Caches one row per (model, organisation) so related rows share their parents."""

    def __init__(self, members: dict[int | str, Membership], teams: dict[int | str, Team]):
        self.members = members  # organisation pk -> a learner membership
        self.teams = teams
        self.cache: dict[tuple[type[models.Model], Any], models.Model] = {}

    def row(self, model: type[models.Model], org: Organisation, **overrides: Any) -> models.Model:
        key = (model, org.pk)
        if not overrides and key in self.cache:
            return self.cache[key]
        values: dict[str, Any] = {}
        for field in model._meta.concrete_fields:
            if field.primary_key or field.name in overrides:
                continue
            if field.has_default() or getattr(field, "auto_now", False):
                continue
            if getattr(field, "auto_now_add", False):
                continue
            if field.null and not isinstance(field, models.ForeignKey):
                continue
            if field.null and isinstance(field, models.ForeignKey):
                if field.name not in {"organisation", "membership", "team"}:
                    continue
            if field.blank and isinstance(field, models.CharField | models.TextField):
                values[field.name] = f"{MARKER} {model.__name__}"
                continue
            values[field.name] = self.value(field, model, org)
        for name, value in list(values.items()):
            max_length = model._meta.get_field(name).max_length
            if isinstance(value, str) and max_length:
                values[name] = value[:max_length]
        values.update(overrides)
        obj = model.objects.create(**values)
        if not overrides:
            self.cache[key] = obj
        return obj

    def value(
        self, field: models.Field[Any, Any], model: type[models.Model], org: Organisation
    ) -> Any:
        if field.choices:
            return field.choices[0][0]  # type: ignore[index]
        if isinstance(field, models.ForeignKey | models.OneToOneField):
            target = field.related_model
            assert isinstance(target, type)
            if target is Organisation:
                return org
            if target is Membership:
                return self.members[org.pk]
            if target is Team:
                return self.teams[org.pk]
            if target.__name__ == "User":
                return self.members[org.pk].user
            if isinstance(field, models.OneToOneField):
                return self.row(target, org, **{}) if False else self._fresh(target, org)
            return self.row(target, org)
        if isinstance(field, models.UUIDField):
            return uuid.uuid4()
        if isinstance(field, models.EmailField):
            return f"{uuid.uuid4().hex[:8]}@{MARKER.lower()}.test"
        if isinstance(field, models.SlugField):
            return f"{MARKER.lower()}-{uuid.uuid4().hex[:8]}"
        if isinstance(field, models.URLField):
            return "https://example.org/"
        if isinstance(field, models.CharField | models.TextField):
            text = f"{MARKER} {model.__name__} {uuid.uuid4().hex[:6]}"
            return text[: field.max_length] if field.max_length else text
        if isinstance(field, models.BooleanField):
            return False
        if isinstance(field, models.DecimalField):
            return Decimal(1)
        if isinstance(field, models.IntegerField | models.FloatField):
            return 1
        if isinstance(field, models.DateTimeField):
            return timezone.now()
        if isinstance(field, models.DateField):
            return timezone.localdate()
        if isinstance(field, models.TimeField):
            return datetime.time(9, 0)
        if isinstance(field, models.DurationField):
            return datetime.timedelta(days=1)
        if isinstance(field, models.JSONField):
            return {}
        if isinstance(field, models.BinaryField):
            return b""
        raise TypeError(f"autofixture cannot fill {model.__name__}.{field.name}")

    def _fresh(self, model: type[models.Model], org: Organisation) -> models.Model:
        saved = self.cache.pop((model, org.pk), None)
        obj = self.row(model, org)
        self.cache.pop((model, org.pk), None)
        if saved is not None:
            self.cache[(model, org.pk)] = saved
        return obj
