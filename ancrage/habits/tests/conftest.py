"""Habits fixtures: the demo path ECOUTE-ACTIVE imported and published, organisation A
licensed, and small builders for rituals and statements."""

from datetime import datetime, time
from pathlib import Path
from typing import Any

import pytest

from ancrage.catalog.models import Path as CatalogPath
from ancrage.catalog.packs.importer import import_pack
from ancrage.habits.actions import RitualInput, save_ritual
from ancrage.habits.models import Ritual
from ancrage.player.tests.conftest import copy_demo_path, license_organisation
from ancrage.tenancy.models import Membership

CODE = "ECOUTE-ACTIVE"
MODULE = "ce-que-l-emotion-fait-a-l-ecoute"  # one quiz and one flashcard


@pytest.fixture
def demo_path(db: None, tmp_path: Path, settings: Any) -> CatalogPath:
    settings.MEDIA_ROOT = tmp_path / "media"
    import_pack(copy_demo_path(tmp_path / "pack"), publish=True)
    return CatalogPath.objects.get(code=CODE)


@pytest.fixture
def licensed(tenancy: Any, demo_path: CatalogPath) -> None:
    license_organisation(tenancy.org_a)
    license_organisation(tenancy.org_b)


def make_ritual(
    learner: Membership,
    *,
    now: datetime,
    weekdays: list[int] | None = None,
    at: time = time(9, 30),
    zone: str = "Europe/Paris",
    minutes: int = 10,
    cue: str = "après le stand-up du lundi",
) -> Ritual:
    days = weekdays if weekdays is not None else [0]
    return save_ritual(
        learner=learner,
        now=now,
        data=RitualInput(
            frequency="weekly" if len(days) == 1 else "daily",
            weekdays=days,
            local_time=at,
            minutes=minutes,
            cue=cue,
            time_zone=zone,
        ),
    )
