"""The privacy and audit pages pass axe-core on a phone and fit its width."""

import pytest
from django.urls import reverse

from ancrage.audit.actions import record
from ancrage.audit.models import Action
from ancrage.privacy.actions import erase_person

pytestmark = pytest.mark.browser


def _check(page, axe_check, urls):  # type: ignore[no-untyped-def]
    for url in urls:
        response = page.goto(url)
        assert response is not None
        assert response.status == 200, url
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
        axe_check(page)


def test_learner_privacy_pages(phone_page, axe_check, log_in, tenancy, person_data):  # type: ignore[no-untyped-def]
    log_in(phone_page, tenancy.owner.user)
    _check(phone_page, axe_check, [reverse("privacy"), reverse("privacy_my_data")])
    with phone_page.expect_download() as download:
        phone_page.get_by_role("button").filter(has_text="données").or_(
            phone_page.get_by_role("button").filter(has_text="data")
        ).first.click()
    assert download.value.suggested_filename.endswith(".zip")


def test_admin_audit_and_erasure_pages(phone_page, axe_check, log_in, tenancy, person_data):  # type: ignore[no-untyped-def]
    record(action=Action.LEARNER_VIEWED, actor=tenancy.manager, target=tenancy.owner)
    result = erase_person(actor=tenancy.admin, person=tenancy.teammate)
    log_in(phone_page, tenancy.admin.user)
    _check(
        phone_page,
        axe_check,
        [
            reverse("audit_log"),
            reverse("privacy_erasures") + "?q=alpha",
            reverse("privacy_erase", args=[tenancy.owner.pk]),
            reverse("privacy_erasure", args=[result.erasure.pk]),
        ],
    )
