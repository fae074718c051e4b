"""The demo's LTI connection (Verdane's Moodle) is written once, however often it runs."""

import pytest

from ancrage.demo.lti import load_lti
from ancrage.demo.people import load_people
from ancrage.exports.lti13.models import Context, Identity, Registration, ToolKey

pytestmark = pytest.mark.django_db


def test_demo_lti_is_idempotent() -> None:
    load_people()
    first = load_lti()
    assert first[0] == "Moodle de Verdane enregistré (6 apprenants reconnus par Moodle)"
    load_lti()
    registration = Registration.objects.get()
    assert registration.organisation.slug == "verdane"
    assert registration.deployment_ids == ["1", "3"]
    assert Context.objects.count() == 1
    assert Identity.objects.count() == 6
    assert ToolKey.objects.count() == 1
