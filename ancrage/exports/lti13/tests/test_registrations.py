"""The L&D lead's registration pages: our endpoints to copy, the form, and who may see what."""

from typing import Any

import pytest

from ancrage.exports.lti13.actions import save_registration
from ancrage.exports.lti13.models import Registration

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Moodle Verdane",
    "issuer": "https://moodle.verdane.example",
    "client_id": "Xy12ab",
    "deployment_ids": "1\n 2 \n\n",
    "auth_login_url": "https://moodle.verdane.example/mod/lti/auth.php",
    "keyset_url": "https://moodle.verdane.example/mod/lti/certs.php",
    "access_token_url": "https://moodle.verdane.example/mod/lti/token.php",
    "is_active": "on",
}


def _registration(organisation: Any, client_id: str = "abc") -> Registration:
    return save_registration(
        organisation=organisation,
        name="Moodle",
        issuer="https://moodle.example",
        client_id=client_id,
        deployment_ids=["1"],
        auth_login_url="https://moodle.example/auth",
        keyset_url="https://moodle.example/jwks",
    )


def test_the_ld_lead_sees_our_endpoints_and_registers_an_lms(tenancy: Any, settings: Any) -> None:
    settings.SITE_URL = "https://ancrage.example"
    client = tenancy.client_for(tenancy.ld_lead)
    page = client.get("/lti/registrations/")
    assert page.status_code == 200
    body = page.content.decode()
    for url in ("/lti/login/", "/lti/launch/", "/lti/deep-linking/", "/lti/jwks/"):
        assert f"https://ancrage.example{url}" in body
    created = client.post("/lti/registrations/new/", FORM)
    assert created.status_code == 302
    registration = Registration.objects.get()
    assert registration.organisation == tenancy.org_a
    assert registration.deployment_ids == ["1", "2"]


def test_a_registration_without_deployment_or_with_a_taken_client_is_refused(
    tenancy: Any,
) -> None:
    client = tenancy.client_for(tenancy.admin)
    missing = client.post("/lti/registrations/new/", {**FORM, "deployment_ids": " "})
    assert missing.status_code == 400
    assert "deployment" in missing.content.decode().lower()
    _registration(tenancy.org_b, client_id="Xy12ab")
    taken = client.post("/lti/registrations/new/", {**FORM, "issuer": "https://moodle.example"})
    assert taken.status_code == 400
    plain = client.post("/lti/registrations/new/", {**FORM, "keyset_url": "http://10.0.0.5/jwks"})
    assert plain.status_code == 400
    assert Registration.objects.filter(organisation=tenancy.org_a).count() == 0


def test_registrations_are_private_to_the_organisation_and_its_ld_roles(tenancy: Any) -> None:
    theirs = _registration(tenancy.org_b)
    url = f"/lti/registrations/{theirs.pk}/"
    assert tenancy.client_for(tenancy.ld_lead).get(url).status_code == 404
    assert tenancy.client_for(tenancy.ld_lead).post(url, FORM).status_code == 404
    assert tenancy.client_for(tenancy.other_ld_lead).get(url).status_code == 200
    for member in (tenancy.owner, tenancy.manager):
        assert tenancy.client_for(member).get("/lti/registrations/").status_code == 403
        assert tenancy.client_for(member).get(url).status_code == 403
    assert tenancy.client_for(tenancy.ld_lead).get("/lti/registrations/nope/").status_code == 404
