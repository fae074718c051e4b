"""Catalogue test fixtures: media stored in a temporary folder, a valid pack, publisher staff."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation

from ancrage.accounts.models import PublisherRole, User
from ancrage.catalog.tests.packs import write_pack
from ancrage.tenancy.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media-root"
    return settings.MEDIA_ROOT


@pytest.fixture
def english() -> Iterator[None]:
    """Messages in English (the msgids), whatever LANGUAGE_CODE and the .po files say."""
    with translation.override("en"):
        yield


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return write_pack(tmp_path / "pack")


@pytest.fixture
def author(db: None) -> User:
    return UserFactory(email="hugo@editions.test", name="Hugo", publisher_role=PublisherRole.AUTHOR)


@pytest.fixture
def editor(db: None) -> User:
    return UserFactory(
        email="claire@editions.test", name="Claire", publisher_role=PublisherRole.EDITOR
    )


@pytest.fixture
def learner(db: None) -> User:
    return UserFactory(email="lea@client.test", name="Léa")
