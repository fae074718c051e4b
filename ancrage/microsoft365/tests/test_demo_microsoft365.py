"""The demo's Microsoft 365 set-up is written once, however often it runs."""

import pytest

from ancrage.demo.microsoft365 import EMBED_HOSTS, load_microsoft365
from ancrage.demo.people import load_people
from ancrage.microsoft365.models import EntraIdentity, Microsoft365Settings
from ancrage.notify.models import TeamsChannel

pytestmark = pytest.mark.django_db


def test_demo_microsoft365_is_idempotent() -> None:
    load_people()
    first = load_microsoft365()
    app_id = Microsoft365Settings.objects.get(organisation__slug="verdane").teams_app_id
    again = load_microsoft365()

    config = Microsoft365Settings.objects.get(organisation__slug="verdane")
    assert config.teams_app_id == app_id
    assert config.embed_hosts == EMBED_HOSTS
    assert not config.viva_enabled
    assert TeamsChannel.objects.filter(organisation__slug="verdane").count() == 1
    assert EntraIdentity.objects.filter(object_id__isnull=False).count() == 2
    assert first == again
