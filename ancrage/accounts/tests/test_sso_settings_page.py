"""The organisation admin's SSO settings page: validation, secret handling, privacy."""

import pytest
from django.test import Client
from django.urls import reverse

from ancrage.accounts.sso.crypto import SecretUnreadable, decrypt_secret, encrypt_secret
from ancrage.accounts.sso.models import Protocol, SsoAccountLink, SsoConnection
from ancrage.accounts.tests.saml_idp import key_pair
from ancrage.tenancy.models import Role
from ancrage.tenancy.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
SECRET = "Xy7~very-secret-client-value"  # noqa: S105  # pragma: allowlist secret


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


@pytest.fixture
def admin_client(tenancy) -> Client:  # type: ignore[no-untyped-def]
    return tenancy.client_for(tenancy.admin)


def test_admin_configures_entra_id_and_the_secret_is_stored_encrypted(admin_client, tenancy):
    response = admin_client.post(reverse("sso_settings"), _entra())

    assert response.status_code == 302
    connection = SsoConnection.objects.get(organisation=tenancy.org_a)
    assert connection.is_usable
    assert connection.issuer == f"https://login.microsoftonline.com/{TENANT}/v2.0"
    assert SECRET not in connection.oidc_client_secret_encrypted
    assert decrypt_secret(connection.oidc_client_secret_encrypted) == SECRET
    assert connection.updated_by == tenancy.admin.user
    page = admin_client.get(reverse("sso_settings")).content.decode()
    assert SECRET not in page
    assert "http://127.0.0.1:8000/accounts/sso/alpha/oidc/callback/" in page


def test_an_empty_secret_keeps_the_stored_one(admin_client, tenancy):
    admin_client.post(reverse("sso_settings"), _entra())

    admin_client.post(reverse("sso_settings"), _entra(client_secret="", mandatory="on"))

    connection = SsoConnection.objects.get(organisation=tenancy.org_a)
    assert decrypt_secret(connection.oidc_client_secret_encrypted) == SECRET
    assert connection.mandatory


INVALID = [
    ("tenant id", {"entra_tenant_id": "contoso"}, "entra_tenant_id"),
    ("no client id", {"oidc_client_id": ""}, "oidc_client_id"),
    ("no secret", {"client_secret": ""}, "client_secret"),
    ("mandatory while disabled", {"enabled": "", "mandatory": "on"}, "mandatory"),
    ("bad domain", {"email_domains": "alpha test"}, "email_domains"),
    ("admin role at first sign-in", {"default_role": Role.ORG_ADMIN}, "default_role"),
    (
        "http issuer",
        {"protocol": Protocol.OIDC, "oidc_issuer": "http://idp.example.com"},
        "oidc_issuer",
    ),
    (
        "saml without certificate",
        {"protocol": Protocol.SAML, "saml_idp_entity_id": "x", "saml_idp_sso_url": "https://i.x/"},
        "saml_idp_certificate",
    ),
    (
        "saml with a broken certificate",
        {
            "protocol": Protocol.SAML,
            "saml_idp_entity_id": "x",
            "saml_idp_sso_url": "https://i.x/",
            "saml_idp_certificate": "MIIBroken",
        },
        "saml_idp_certificate",
    ),
]


@pytest.mark.parametrize(("label", "change", "field"), INVALID, ids=[i[0] for i in INVALID])
def test_bad_settings_are_refused_with_a_reason_on_the_field(
    admin_client, tenancy, settings, label, change, field
):
    settings.SSO_ALLOW_LOOPBACK_HTTP = False

    response = admin_client.post(reverse("sso_settings"), _entra(**change))

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not SsoConnection.objects.filter(organisation=tenancy.org_a).exists()


def test_saml_settings_accept_a_bare_base64_certificate(admin_client, tenancy):
    _key, pem = key_pair()
    bare = "".join(line for line in pem.splitlines() if "CERTIFICATE" not in line)

    response = admin_client.post(
        reverse("sso_settings"),
        {
            "protocol": Protocol.SAML,
            "enabled": "on",
            "default_role": Role.LEARNER,
            "saml_idp_entity_id": "https://sts.alpha.test/adfs",
            "saml_idp_sso_url": "https://sts.alpha.test/adfs/ls/",
            "saml_idp_certificate": bare,
        },
    )

    assert response.status_code == 302
    connection = SsoConnection.objects.get(organisation=tenancy.org_a)
    assert connection.saml_idp_certificate.startswith("-----BEGIN CERTIFICATE-----")
    assert connection.is_usable


def test_a_domain_of_another_organisation_is_refused(admin_client, tenancy):
    SsoConnection.objects.create(organisation=tenancy.org_b, email_domains="beta.test")

    response = admin_client.post(reverse("sso_settings"), _entra(email_domains="beta.test"))

    assert response.status_code == 400
    assert "email_domains" in response.context["form"].errors


@pytest.mark.parametrize("who", ["owner", "manager", "ld_lead"])
def test_other_roles_cannot_open_the_settings(tenancy, who):
    client = tenancy.client_for(getattr(tenancy, who))

    assert client.get(reverse("sso_settings")).status_code == 403
    assert client.post(reverse("sso_settings"), _entra()).status_code == 403
    assert client.post(reverse("sso_link_account"), {"email": "x@alpha.test"}).status_code == 403
    assert not SsoConnection.objects.exists()


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(reverse("sso_settings"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_another_organisations_admin_neither_sees_nor_edits_the_connection(admin_client, tenancy):
    admin_client.post(reverse("sso_settings"), _entra())
    other_admin = MembershipFactory(
        organisation=tenancy.org_b,
        user=UserFactory(email="admin@beta.test"),
        role=Role.ORG_ADMIN,
    )
    other = tenancy.client_for(other_admin)

    page = other.get(reverse("sso_settings"))
    saved = other.post(
        reverse("sso_settings"),
        _entra(email_domains="beta.test", oidc_client_id="beta-client", client_secret="b"),
    )

    assert page.status_code == 200
    assert "alpha-client-id-123" not in page.content.decode()
    assert saved.status_code == 302
    alpha = SsoConnection.objects.get(organisation=tenancy.org_a)
    beta = SsoConnection.objects.get(organisation=tenancy.org_b)
    assert alpha.oidc_client_id == "alpha-client-id-123"
    assert beta.oidc_client_id == "beta-client"


def test_admin_links_an_existing_member_but_not_someone_of_another_organisation(
    admin_client, tenancy
):
    admin_client.post(reverse("sso_settings"), _entra())

    ours = admin_client.post(reverse("sso_link_account"), {"email": "Owner@alpha.test"})
    theirs = admin_client.post(reverse("sso_link_account"), {"email": "other@beta.test"})

    assert ours.status_code == 302
    assert theirs.status_code == 400
    assert list(SsoAccountLink.objects.values_list("user__email", flat=True)) == [
        "owner@alpha.test"
    ]


def test_secrets_survive_a_secret_key_rotation_with_fallbacks(settings):
    old_key, new_key = "old-" * 20, "new-" * 20
    settings.SECRET_KEY = old_key
    token = encrypt_secret("client secret")

    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = new_key, [old_key]
    assert decrypt_secret(token) == "client secret"

    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(SecretUnreadable):
        decrypt_secret(token)
