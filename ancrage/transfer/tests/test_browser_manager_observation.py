"""A manager records an observation of a report on a phone (390×844), checked by axe-core."""

import re

from django.utils import timezone

from ancrage.common.testing.browser import fr
from ancrage.transfer.models import Observation
from ancrage.transfer.tests.conftest import enrol


def test_manager_records_an_observation_on_a_phone(tenancy, version, phone_page, log_in, axe_check):
    enrol(tenancy.owner, version, completed=True)
    page = phone_page
    log_in(page, tenancy.manager.user)
    page.goto("/transfer/team/")
    axe_check(page)
    page.get_by_role("link", name=re.compile(fr("Observe"))).first.click()
    page.get_by_role("heading", level=1).wait_for()
    axe_check(page)
    page.get_by_label(fr("After the path")).check()
    page.get_by_label(fr("Context")).fill("Réunion d'équipe du mardi, 9 h 30")
    page.get_by_label(re.compile(r"4 — Souvent")).first.check()
    page.get_by_label(fr("Often")).first.check()
    page.get_by_label(fr("One factual example")).first.fill(
        "A reformulé la demande de Paul avant de répondre."
    )
    page.get_by_role("button", name=fr("Save the observation")).click()
    page.get_by_role("status").wait_for()
    observation = Observation.objects.get()
    assert observation.learner == tenancy.owner
    assert observation.bars_score == 4
    assert observation.observed_on == timezone.localdate()
    axe_check(page)
