"""SAML 2.0 sign-in: real assertions signed with xmlsec by a test key pair, posted to our ACS."""

import base64
import logging
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from lxml import etree

from ancrage.accounts.models import User
from ancrage.accounts.sso.models import Protocol, SsoConnection, SsoIdentity
from ancrage.accounts.tests.saml_idp import SamlIdp, request_id_from_redirect
from ancrage.accounts.tests.sso_helpers import refusal_details, refusal_reasons
from ancrage.tenancy.models import Membership, Role

pytestmark = pytest.mark.django_db

ACS = "http://127.0.0.1:8000/accounts/sso/alpha/saml/acs/"
ENTITY = "http://127.0.0.1:8000/accounts/sso/alpha/saml/metadata/"


@pytest.fixture(scope="module")
def idp() -> SamlIdp:
    return SamlIdp()


@pytest.fixture
def connection(tenancy, idp) -> SsoConnection:  # type: ignore[no-untyped-def]
    return SsoConnection.objects.create(
        organisation=tenancy.org_a,
        protocol=Protocol.SAML,
        enabled=True,
        email_domains="alpha.test",
        team_claim="department",
        saml_idp_entity_id=idp.entity_id,
        saml_idp_sso_url=idp.sso_url,
        saml_idp_certificate=idp.cert_pem,
    )


@pytest.fixture(autouse=True)
def _log_sso(caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO, logger="ancrage.sso")


def _start(client: Client) -> str:
    response = client.get(reverse("sso_login", args=["alpha"]))
    assert response.status_code == 302
    assert response["Location"].startswith("https://sts.alpha.test/adfs/ls/?SAMLRequest=")
    return request_id_from_redirect(response["Location"])


def _post(client: Client, saml_response: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("sso_saml_acs", args=["alpha"]), {"SAMLResponse": saml_response})


def _signed_in(client: Client) -> User | None:
    user = client.get(reverse("account_login")).wsgi_request.user
    return user if user.is_authenticated else None  # type: ignore[return-value]


def test_signed_assertion_signs_the_person_in_and_provisions_them(client, tenancy, idp, connection):
    request_id = _start(client)

    response = _post(client, idp.response(acs_url=ACS, audience=ENTITY, in_response_to=request_id))

    assert response.status_code == 302, response.content.decode()[:1000]
    user = User.objects.get(email="amel@alpha.test")
    assert _signed_in(client) == user
    assert user.name == "Amel Haddad"
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.role) == (tenancy.org_a, Role.LEARNER)
    assert membership.team == tenancy.team_a2
    identity = SsoIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (idp.entity_id, "s-0001-persistent")


def test_same_subject_signs_in_the_same_person_again(client, idp, connection):
    _post(client, idp.response(acs_url=ACS, audience=ENTITY, in_response_to=_start(client)))
    client.logout()

    response = _post(
        client,
        idp.response(
            acs_url=ACS, audience=ENTITY, in_response_to=_start(client), email="new@alpha.test"
        ),
    )

    assert response.status_code == 302
    assert _signed_in(client).email == "amel@alpha.test"  # type: ignore[union-attr]
    assert User.objects.filter(email="new@alpha.test").count() == 0


NOW = datetime.now(UTC)
HOSTILE = [
    ("unsigned", {"signed": False}, "is not signed"),
    ("signed by another key", {"other_key": True}, "Signature validation failed"),
    ("tampered after signing", {"tamper": True}, "Signature validation failed"),
    ("sha1 signature", {"sha1": True}, "Deprecated signature algorithm"),
    ("wrong audience", {"audience": "https://evil.example/sp"}, "not a valid audience"),
    ("wrong destination", {"acs_url": "https://evil.example/acs"}, "instead of"),
    ("wrong recipient", {"recipient": "https://evil.example/acs"}, "SubjectConfirmation"),
    ("wrong issuer", {"issuer": "https://sts.evil.example/adfs"}, "Invalid issuer"),
    ("expired", {"now": NOW - timedelta(hours=1)}, "expired"),
    ("not yet valid", {"now": NOW + timedelta(hours=1)}, "not yet valid"),
    ("answers another request", {"in_response_to": "_not-our-request"}, "InResponseTo"),
]


@pytest.mark.parametrize(("label", "knobs", "detail"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_response_is_refused_with_a_logged_reason(
    client, idp, connection, caplog, label, knobs, detail
):
    request_id = _start(client)
    arguments = {"acs_url": ACS, "audience": ENTITY, "in_response_to": request_id, **knobs}

    response = _post(client, idp.response(**arguments))

    assert response.status_code == 403
    assert refusal_reasons(caplog) == ["saml_invalid"]
    assert detail in refusal_details(caplog)
    assert _signed_in(client) is None
    assert not SsoIdentity.objects.exists()


def test_replayed_response_is_refused(client, idp, connection, caplog):
    saml_response = idp.response(acs_url=ACS, audience=ENTITY, in_response_to=_start(client))
    assert _post(client, saml_response).status_code == 302
    client.logout()

    in_the_same_browser = _post(client, saml_response)
    elsewhere = _post(Client(), saml_response)

    assert in_the_same_browser.status_code == elsewhere.status_code == 403
    assert refusal_reasons(caplog) == ["saml_replayed_id", "saml_replayed_id"]
    assert _signed_in(client) is None


def test_unsolicited_response_is_refused(client, idp, connection, caplog):
    response = _post(
        client, idp.response(acs_url=ACS, audience=ENTITY, in_response_to="_idp-initiated")
    )

    assert response.status_code == 403
    assert refusal_reasons(caplog) == ["saml_unsolicited_response"]


def test_wrapped_second_assertion_is_refused(client, idp, connection, caplog):
    """Signature wrapping: a forged unsigned assertion next to a genuinely signed one."""
    request_id = _start(client)
    genuine = idp.response(acs_url=ACS, audience=ENTITY, in_response_to=request_id)
    forged = idp.response(
        acs_url=ACS, audience=ENTITY, in_response_to=request_id, subject="boss", signed=False
    )
    document = etree.fromstring(base64.b64decode(genuine))
    extra = etree.fromstring(base64.b64decode(forged))[-1]
    document.insert(2, extra)

    response = _post(client, base64.b64encode(etree.tostring(document)).decode())

    assert response.status_code == 403
    assert refusal_reasons(caplog) == ["saml_invalid"]
    assert "must contain 1 assertion" in refusal_details(caplog)


def test_garbage_is_refused_not_a_server_error(client, idp, connection, caplog):
    _start(client)

    assert _post(client, "not base64 at all <<<").status_code == 403
    assert client.post(reverse("sso_saml_acs", args=["alpha"]), {}).status_code == 403


def test_sp_metadata_is_downloadable_xml(client, connection):
    response = client.get(reverse("sso_saml_metadata", args=["alpha"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/samlmetadata+xml"
    assert "attachment" in response["Content-Disposition"]
    root = etree.fromstring(response.content)
    md = "{urn:oasis:names:tc:SAML:2.0:metadata}"
    assert root.get("entityID") == ENTITY
    acs = root.find(f"{md}SPSSODescriptor/{md}AssertionConsumerService")
    assert acs is not None
    assert acs.get("Location") == ACS
    assert root.find(f"{md}SPSSODescriptor").get("WantAssertionsSigned") == "true"


def test_metadata_of_an_organisation_without_saml_is_not_found(client, tenancy):
    assert client.get(reverse("sso_saml_metadata", args=["beta"])).status_code == 404
