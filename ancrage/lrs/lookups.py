"""`has_element`: does a JSON array column contain a string? GIN-indexed on PostgreSQL."""

from typing import Any

import orjson
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.sql.compiler import SQLCompiler


class KeyList(models.JSONField):
    """A JSON array of strings (related agents or activities of a statement)."""


@KeyList.register_lookup
class HasElement(models.Lookup[Any]):
    lookup_name = "has_element"
    prepare_rhs = False

    def get_db_prep_lookup(self, value: Any, connection: BaseDatabaseWrapper) -> Any:
        return ("%s", [value])

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, Any]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return (
            f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value = %s)",  # noqa: S608  # nosec B608
            [*lhs_params, self.rhs],
        )

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, Any]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} @> CAST(%s AS jsonb)", [*lhs_params, orjson.dumps([self.rhs]).decode()]
