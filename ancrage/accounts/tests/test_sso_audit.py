"""SSO leaves audit entries: settings changes (never the secret or the certificate), account
links, refused SSO sign-ins in the log of the connection's organisation, and passwords or
codes refused because SSO is mandatory there."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from ancrage.accounts.sso.crypto import encrypt_secret
from ancrage.accounts.sso.models import Protocol, SsoConnection
from ancrage.accounts.tests.saml_idp import key_pair
from ancrage.audit.models import Action, AuditEntry
from ancrage.tenancy.models import Role

pytestmark = pytest.mark.django_db

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
SECRET = "Zq9~another-secret-client-value"  # noqa: S105  # pragma: allowlist secret


def _entra(**extra: object) -> dict[str, object]:
    return {
        "protocol": Protocol.ENTRA,
        "enabled": "on",
        "email_domains": "alpha.test",
        "default_role": Role.LEARNER,
        "entra_tenant_id": TENANT,
        "oidc_client_id": "alpha-client-id-123",
        "client_secret": SECRET,
        **extra,
    }


def _entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def _log_text() -> str:
    return json.dumps(list(AuditEntry.objects.values()), default=str)


@pytest.fixture
def admin_client(tenancy) -> Client:  # type: ignore[no-untyped-def]
    return tenancy.client_for(tenancy.admin)


def test_saving_sso_settings_is_audited_without_the_secret(admin_client, tenancy):
    assert admin_client.post(reverse("sso_settings"), _entra()).status_code == 302

    (created,) = _entries(Action.SSO_CHANGED)
    assert created.actor_membership_id == tenancy.admin.pk
    assert created.organisation_id == tenancy.org_a.pk
    assert created.details["created"] is True
    assert created.details["secret_replaced"] is True
    assert created.details["enabled"] is True
    assert "oidc_client_id" in created.details["provider_changed"]
    assert SECRET not in _log_text()


def test_making_sso_mandatory_is_audited(admin_client, tenancy):
    admin_client.post(reverse("sso_settings"), _entra())

    admin_client.post(reverse("sso_settings"), _entra(client_secret="", mandatory="on"))

    entry = _entries(Action.SSO_CHANGED)[-1]
    assert entry.details["mandatory"] is True
    assert entry.details["settings_changed"] == "mandatory"
    assert entry.details["provider_changed"] == ""
    assert entry.details["secret_replaced"] is False
    assert entry.details["created"] is False


def test_a_save_that_changes_nothing_is_not_recorded(admin_client, tenancy):
    admin_client.post(reverse("sso_settings"), _entra())

    admin_client.post(reverse("sso_settings"), _entra(client_secret=""))

    assert len(_entries(Action.SSO_CHANGED)) == 1


def test_a_new_saml_certificate_is_named_not_copied(admin_client, tenancy):
    _key, pem = key_pair()
    saml = {
        "protocol": Protocol.SAML,
        "enabled": "on",
        "email_domains": "alpha.test",
        "default_role": Role.LEARNER,
        "saml_idp_entity_id": "https://sts.alpha.test/adfs/services/trust",
        "saml_idp_sso_url": "https://sts.alpha.test/adfs/ls/",
        "saml_idp_certificate": pem,
    }
    admin_client.post(reverse("sso_settings"), saml)
    _key2, pem2 = key_pair()

    admin_client.post(reverse("sso_settings"), {**saml, "saml_idp_certificate": pem2})

    entry = _entries(Action.SSO_CHANGED)[-1]
    assert entry.details["provider_changed"] == "saml_idp_certificate"
    body = "".join(line for line in pem2.splitlines() if "CERTIFICATE" not in line)
    assert body[:40] not in _log_text()


def test_linking_an_account_to_sso_is_audited(admin_client, tenancy):
    admin_client.post(reverse("sso_settings"), _entra())

    admin_client.post(reverse("sso_link_account"), {"email": "owner@alpha.test"})

    (entry,) = _entries(Action.SSO_ACCOUNT_LINKED)
    assert entry.actor_membership_id == tenancy.admin.pk
    assert entry.target_id == str(tenancy.owner.pk)
    assert "owner@alpha.test" not in _log_text()


def test_a_refused_sso_sign_in_is_in_the_organisations_log(client, tenancy):
    _key, pem = key_pair()
    SsoConnection.objects.create(
        organisation=tenancy.org_a,
        protocol=Protocol.SAML,
        enabled=True,
        saml_idp_entity_id="https://sts.alpha.test/adfs/services/trust",
        saml_idp_sso_url="https://sts.alpha.test/adfs/ls/",
        saml_idp_certificate=pem,
    )

    response = client.post(reverse("sso_saml_acs", args=["alpha"]), {"SAMLResponse": "junk"})

    assert response.status_code == 403
    (entry,) = _entries(Action.SIGN_IN_FAILED)
    assert entry.organisation_id == tenancy.org_a.pk
    assert entry.details["method"] == "sso"
    assert entry.details["reason"]


@pytest.fixture
def mandatory(tenancy) -> SsoConnection:  # type: ignore[no-untyped-def]
    return SsoConnection.objects.create(
        organisation=tenancy.org_a,
        protocol=Protocol.ENTRA,
        enabled=True,
        mandatory=True,
        entra_tenant_id=TENANT,
        oidc_client_id="alpha-client-id-123",
        oidc_client_secret_encrypted=encrypt_secret(SECRET),
    )


def test_a_password_refused_because_sso_is_mandatory_is_a_failed_sign_in(
    client, tenancy, mandatory, password
):
    client.post(reverse("account_login"), {"login": "owner@alpha.test", "password": password})

    (entry,) = _entries(Action.SIGN_IN_FAILED)
    assert entry.organisation_id == tenancy.org_a.pk
    assert entry.target_id == str(tenancy.owner.user_id)
    assert entry.details == {"known_account": True, "method": "password", "reason": "sso_mandatory"}
    assert not _entries(Action.SIGN_IN)
    assert "owner@alpha.test" not in _log_text()


def test_a_code_refused_because_sso_is_mandatory_is_a_failed_sign_in(
    client, tenancy, mandatory, smtp_server
):
    client.post(reverse("account_request_login_code"), {"email": "owner@alpha.test"})
    message = smtp_server.wait_for(to="owner@alpha.test")
    code = re.search(r"^\s*([0-9]{6})\s*$", smtp_server.text_body(message), re.MULTILINE)
    assert code

    client.post(reverse("account_confirm_login_code"), {"code": code.group(1)})

    (entry,) = _entries(Action.SIGN_IN_FAILED)
    assert entry.organisation_id == tenancy.org_a.pk
    assert entry.target_id == str(tenancy.owner.user_id)
    assert entry.details["method"] == "code"
    assert entry.details["reason"] == "sso_mandatory"
    assert code.group(1) not in _log_text()


def test_an_admins_break_glass_sign_in_is_a_sign_in_not_a_failure(
    client, tenancy, mandatory, password
):
    client.post(reverse("account_login"), {"login": "admin@alpha.test", "password": password})

    assert not _entries(Action.SIGN_IN_FAILED)
    (entry,) = _entries(Action.SIGN_IN)
    assert entry.actor_membership_id == tenancy.admin.pk
