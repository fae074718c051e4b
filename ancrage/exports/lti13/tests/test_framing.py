"""Who may frame the LTI tool's pages: the registered platform of the launch, never anyone.

A refusal page without a registration (unknown client, unknown login state, an expired
deep-linking token) may be framed by the registered platforms of the issuer the request
names — so an LMS administrator still reads the reason inside the LMS iframe — and by nobody
when that issuer is not registered.
"""

from datetime import timedelta
from typing import Any

import jwt
import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ancrage.audit.models import Action, AuditEntry
from ancrage.exports.lti13.actions import DEEP_LINK_SALT, save_registration
from ancrage.exports.lti13.models import DeepLinkRequest, Registration

pytestmark = pytest.mark.django_db

ISSUER = "https://moodle.alpha.test"
AUTH = "https://auth.alpha.test/mod/lti/auth.php"
ANCESTORS = "frame-ancestors https://auth.alpha.test https://moodle.alpha.test"


@pytest.fixture
def registration(tenancy: Any) -> Registration:
    return save_registration(
        organisation=tenancy.org_a,
        name="Moodle",
        issuer=ISSUER,
        client_id="ancrage-tool",
        deployment_ids=["1"],
        auth_login_url=AUTH,
        keyset_url=f"{ISSUER}/mod/lti/certs.php",
    )


def _frame_ancestors(response: Any) -> str:
    policy = response["Content-Security-Policy"]
    (directive,) = [d.strip() for d in policy.split(";") if d.strip().startswith("frame-ancestors")]
    return directive


def _not_framable(response: Any) -> None:
    assert _frame_ancestors(response) == "frame-ancestors 'none'"
    assert response["X-Frame-Options"] == "DENY"


def _login(**params: str) -> Any:
    return Client().get(reverse("lti13_login"), params)


def test_a_login_refused_for_a_registered_issuer_is_framed_by_that_platform_only(
    registration: Registration,
) -> None:
    response = _login(
        iss=ISSUER, client_id="unknown-client", login_hint="u", target_link_uri="https://x.test/"
    )

    assert response.status_code == 403
    assert "unknown_registration" in response.content.decode()
    assert _frame_ancestors(response) == ANCESTORS
    assert "X-Frame-Options" not in response


def test_a_login_from_an_unregistered_issuer_cannot_be_framed(
    registration: Registration,
) -> None:
    response = _login(iss="https://lms.elsewhere.test", login_hint="u", target_link_uri="x")

    assert response.status_code == 403
    _not_framable(response)


def test_a_malformed_login_cannot_be_framed(registration: Registration) -> None:
    response = _login()

    assert response.status_code == 400
    _not_framable(response)


def test_a_switched_off_registration_no_longer_frames_refusals(
    registration: Registration, tenancy: Any
) -> None:
    Registration.objects.filter(pk=registration.pk).update(is_active=False)

    response = _login(iss=ISSUER, login_hint="u", target_link_uri="x")

    _not_framable(response)


def test_a_launch_with_an_unknown_state_is_framed_by_the_claimed_issuers_platform(
    registration: Registration,
) -> None:
    token = jwt.encode({"iss": ISSUER}, "not-the-platform-key", algorithm="HS256")
    stranger = jwt.encode({"iss": "https://lms.elsewhere.test"}, "k" * 32, algorithm="HS256")

    ours = Client().post(reverse("lti13_launch"), {"id_token": token, "state": "unknown"})
    theirs = Client().post(reverse("lti13_launch"), {"id_token": stranger, "state": "unknown"})

    assert ours.status_code == 403
    assert "unknown_state" in ours.content.decode()
    assert _frame_ancestors(ours) == ANCESTORS
    _not_framable(theirs)


def test_an_expired_deep_linking_token_is_framed_by_its_platform_a_forged_one_by_nobody(
    registration: Registration, tenancy: Any
) -> None:
    request = DeepLinkRequest.objects.create(
        organisation=tenancy.org_a,
        registration=registration,
        deployment_id="1",
        return_url=f"{ISSUER}/mod/lti/contentitem_return.php",
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    genuine = signing.dumps(str(request.pk), salt=DEEP_LINK_SALT, compress=False)

    expired = Client().post(reverse("lti13_deep_link_pick"), {"token": genuine})
    forged = Client().post(reverse("lti13_deep_link_pick"), {"token": "forged:token"})

    assert expired.status_code == 403
    assert _frame_ancestors(expired) == ANCESTORS
    _not_framable(forged)


def test_registration_changes_are_audited(tenancy: Any) -> None:
    client = tenancy.client_for(tenancy.ld_lead)
    form = {
        "name": "Moodle",
        "issuer": ISSUER,
        "client_id": "ancrage-tool",
        "deployment_ids": "1",
        "auth_login_url": AUTH,
        "keyset_url": f"{ISSUER}/mod/lti/certs.php",
        "is_active": "on",
    }
    assert client.post(reverse("lti13_registration_new"), form).status_code == 302
    registration = Registration.objects.get()
    edit = reverse("lti13_registration_edit", args=[registration.pk])
    assert client.post(edit, {**form, "is_active": ""}).status_code == 302
    assert client.post(edit, {**form, "is_active": ""}).status_code == 302  # no change

    entries = list(AuditEntry.objects.filter(action=Action.LTI_REGISTRATION_CHANGED).order_by("id"))
    assert [e.details["created"] for e in entries] == [True, False]
    assert entries[1].details == {"created": False, "changed": "is_active", "active": False}
    assert {e.actor_membership_id for e in entries} == {tenancy.ld_lead.pk}
    assert {e.organisation_id for e in entries} == {tenancy.org_a.pk}
