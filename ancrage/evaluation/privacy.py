"""The one small-group rule of every report: a figure about fewer than 5 people is hidden."""

from typing import TypeVar

MIN_GROUP = 5
T = TypeVar("T")


def k_anonymous[T](population: int, value: T) -> T | None:
    """`value` when it describes at least MIN_GROUP people, otherwise None (hidden)."""
    return value if population >= MIN_GROUP else None
