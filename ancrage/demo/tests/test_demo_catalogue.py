"""The demo catalogue loads, is published, and loading it again creates no new version."""

from pathlib import Path

import pytest

from ancrage.catalog.models import Card, PathVersion, VersionStatus
from ancrage.catalog.packs.validate import validate_pack
from ancrage.demo.catalogue import DEMO_PACK, load_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_demo_pack_is_valid() -> None:
    result = validate_pack(DEMO_PACK)
    assert [str(p) for p in result.problems] == []


def test_loading_the_demo_catalogue_twice_publishes_once() -> None:
    first = load_catalogue()
    assert first.outcomes
    assert {o.status for o in first.outcomes} == {VersionStatus.PUBLISHED}
    assert {o.action for o in first.outcomes} == {"created"}
    versions = list(PathVersion.objects.values_list("pk", "number", "status", "content_hash"))
    cards = Card.objects.count()

    second = load_catalogue()

    assert {o.action for o in second.outcomes} == {"unchanged"}
    assert (
        list(PathVersion.objects.values_list("pk", "number", "status", "content_hash")) == versions
    )
    assert Card.objects.count() == cards
    assert PathVersion.objects.filter(
        path__code="ECOUTE-ACTIVE", status=VersionStatus.PUBLISHED
    ).exists()
