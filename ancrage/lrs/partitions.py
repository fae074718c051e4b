"""Monthly partitions of the statement table on PostgreSQL (SQLite keeps one plain table).

`ensure_partitions` creates the partitions for a window of months around now; a DEFAULT
partition catches anything outside it, so an insert never fails for want of a partition.
Run it monthly (`manage.py lrs_partitions`) to keep future months ahead of the clock.
"""

from datetime import date

from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

TABLE = "lrs_statement"


def _month(year: int, month: int) -> date:
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, 1)


def is_partitioned(connection: BaseDatabaseWrapper) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid WHERE c.relname = %s",
            [TABLE],
        )
        return cursor.fetchone() is not None


def ensure_partitions(
    connection: BaseDatabaseWrapper, *, months_back: int = 1, months_ahead: int = 12
) -> list[str]:
    """Create missing monthly partitions; return the names created."""
    if not is_partitioned(connection):
        return []
    today = timezone.now().date()
    created: list[str] = []
    with connection.cursor() as cursor:
        for offset in range(-months_back, months_ahead + 1):
            start = _month(today.year, today.month + offset)
            end = _month(start.year, start.month + 1)
            name = f"{TABLE}_{start:%Y_%m}"
            cursor.execute("SELECT 1 FROM pg_class WHERE relname = %s", [name])
            if cursor.fetchone():
                continue
            cursor.execute(
                f"CREATE TABLE {name} PARTITION OF {TABLE} "  # noqa: S608 — names from dates
                f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
            )
            created.append(name)
    return created
