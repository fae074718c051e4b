"""The demo's audit log and Léa's data download are written once, however often it runs."""

import pytest

from ancrage.audit.models import AuditEntry
from ancrage.demo.people import load_people
from ancrage.demo.privacy import load_privacy
from ancrage.privacy.models import DataDownload

pytestmark = pytest.mark.django_db


def test_demo_privacy_is_idempotent() -> None:
    load_people()
    first = load_privacy()
    assert first[0] == "15 entrées dans le journal d'audit de Verdane"
    load_privacy()
    assert AuditEntry.objects.filter(details__demo=True).count() == 15
    assert DataDownload.objects.filter(membership__user__email="lea@verdane.fr").count() == 1
