"""OpenID Connect sign-in against a real provider on loopback (HTTP, RS256, PKCE, JWKS)."""

import logging
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from django.contrib.auth.signals import user_login_failed
from django.test import Client
from django.urls import reverse

from ancrage.accounts.actions import invite_person
from ancrage.accounts.models import User
from ancrage.accounts.sso.actions import link_existing_account
from ancrage.accounts.sso.models import Protocol, SsoConnection, SsoIdentity
from ancrage.accounts.tests.oidc_provider import OidcProvider
from ancrage.accounts.tests.sso_helpers import (
    TENANT,
    entra_connection,
    refusal_reasons,
    round_trip,
    to_provider_and_back,
)
from ancrage.tenancy.models import Membership, MembershipStatus, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(settings) -> Iterator[OidcProvider]:  # type: ignore[no-untyped-def]
    with OidcProvider(tenant=TENANT) as running:
        settings.SSO_ENTRA_AUTHORITY = running.state.base
        settings.SSO_ALLOW_LOOPBACK_HTTP = True
        yield running


@pytest.fixture
def connection(tenancy, provider) -> SsoConnection:  # type: ignore[no-untyped-def]
    return entra_connection(tenancy.org_a, provider)


@pytest.fixture(autouse=True)
def _log_sso(caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO, logger="ancrage.sso")


def _signed_in(client: Client) -> User | None:
    user = client.get(reverse("account_login")).wsgi_request.user
    return user if user.is_authenticated else None  # type: ignore[return-value]


def test_first_sign_in_provisions_a_learner_in_the_organisation(
    client, tenancy, provider, connection
):
    provider.state.user["department"] = "Ventes"

    response = round_trip(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = User.objects.get(email="amel@alpha.test")
    assert _signed_in(client) == user
    membership = Membership.objects.get(user=user)
    assert membership.organisation == tenancy.org_a
    assert membership.role == Role.LEARNER
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.team == tenancy.team_a2  # "Ventes", from the department claim
    identity = SsoIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (provider.state.issuer, "entra-sub-0001")
    assert not user.has_usable_password()


def test_round_trip_uses_pkce_state_nonce_and_the_registered_redirect(client, provider, connection):
    round_trip(client)

    authorize = provider.state.authorize_requests[-1]
    token = provider.state.token_requests[-1]
    assert authorize["code_challenge_method"] == "S256"
    assert len(authorize["state"]) >= 32
    assert len(authorize["nonce"]) >= 32
    assert authorize["redirect_uri"] == "http://127.0.0.1:8000/accounts/sso/alpha/oidc/callback/"
    assert token["code_verifier"]
    assert token["redirect_uri"] == authorize["redirect_uri"]


def test_second_sign_in_finds_the_same_person_by_issuer_and_subject(client, provider, connection):
    round_trip(client)
    client.logout()
    provider.state.user["email"] = "amel.haddad@alpha.test"  # email changed at the IdP

    response = round_trip(client)

    assert response.status_code == 302
    assert User.objects.filter(email__startswith="amel").count() == 1
    assert _signed_in(client).email == "amel@alpha.test"  # type: ignore[union-attr]


def test_default_role_of_the_connection_is_used(client, tenancy, provider, connection):
    connection.default_role = Role.MANAGER
    connection.save()

    round_trip(client)

    assert Membership.objects.get(user__email="amel@alpha.test").role == Role.MANAGER


def test_generic_oidc_provider_with_basic_client_authentication(
    client, tenancy, provider, connection
):
    connection.protocol = Protocol.OIDC
    connection.oidc_issuer = provider.state.issuer
    connection.entra_tenant_id = ""
    connection.save()
    provider.state.auth_method = "client_secret_basic"
    provider.state.overrides = {"tid": None}

    response = round_trip(client)

    assert response.status_code == 302
    assert _signed_in(client).email == "amel@alpha.test"  # type: ignore[union-attr]
    assert "client_secret" not in provider.state.token_requests[-1]


def test_next_page_is_kept_across_the_round_trip(client, provider, connection):
    start = client.get(reverse("sso_login", args=["alpha"]) + "?next=/transfer/")
    back = urlsplit(httpx.get(start["Location"]).headers["location"])
    response = client.get(f"{back.path}?{back.query}")

    assert response["Location"] == "/transfer/"


def test_next_page_on_another_site_is_ignored(client, provider, connection):
    start = client.get(reverse("sso_login", args=["alpha"]) + "?next=https://evil.example/")
    back = urlsplit(httpx.get(start["Location"]).headers["location"])

    assert client.get(f"{back.path}?{back.query}")["Location"] == reverse("home")


HOSTILE = [
    (
        "wrong issuer",
        {"overrides": {"iss": "https://login.microsoftonline.com/other/v2.0"}},
        "id_token_wrong_issuer",
    ),
    (
        "wrong tenant id",
        {"overrides": {"tid": "0b0b0b0b-0000-4000-8000-000000000000"}},
        "id_token_wrong_tenant",
    ),
    ("no tenant id", {"overrides": {"tid": None}}, "id_token_wrong_tenant"),
    ("signed by another key", {"sign_with_other_key": True}, "id_token_bad_signature"),
    ("symmetric algorithm", {"alg": "HS256"}, "id_token_algorithm"),
    ("expired", {"overrides": {"exp": 1_000_000_000, "iat": 999_999_000}}, "id_token_expired"),
    ("wrong audience", {"overrides": {"aud": "someone-else"}}, "id_token_wrong_audience"),
    ("wrong nonce", {"overrides": {"nonce": "not-the-one-we-sent"}}, "id_token_wrong_nonce"),
    ("no subject", {"overrides": {"sub": None}}, "id_token_invalid"),
]


@pytest.mark.parametrize(("label", "knobs", "reason"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_id_token_is_refused_with_a_logged_reason(
    client, provider, connection, caplog, label, knobs, reason
):
    for name, value in knobs.items():
        setattr(provider.state, name, value)

    response = round_trip(client)

    assert response.status_code == 403
    assert (
        "could not be verified" in response.content.decode()
        or "vérifi" in response.content.decode()
    )
    assert refusal_reasons(caplog) == [reason]
    assert _signed_in(client) is None
    assert not User.objects.filter(email="amel@alpha.test").exists()


def test_replayed_state_is_refused(client, provider, connection, caplog):
    callback, _ = to_provider_and_back(client)
    assert client.get(callback).status_code == 302
    client.logout()

    replay = client.get(callback)

    assert replay.status_code == 403
    assert refusal_reasons(caplog) == ["no_pending_sign_in"]
    assert _signed_in(client) is None


def test_callback_with_another_state_is_refused(client, provider, connection, caplog):
    callback, _ = to_provider_and_back(client)
    forged = callback.replace("state=", "state=forged")

    assert client.get(forged).status_code == 403
    assert refusal_reasons(caplog) == ["state_mismatch"]


def test_callback_in_another_browser_is_refused(client, provider, connection, caplog):
    callback, _ = to_provider_and_back(client)

    assert Client().get(callback).status_code == 403
    assert refusal_reasons(caplog) == ["no_pending_sign_in"]


def test_discovery_naming_another_issuer_is_refused(client, provider, connection, caplog):
    provider.state.discovery_issuer = "https://login.microsoftonline.com/common/v2.0"

    response = client.get(reverse("sso_login", args=["alpha"]))

    assert response.status_code == 502
    assert refusal_reasons(caplog) == ["discovery_issuer_mismatch"]


def test_plain_http_provider_is_refused_outside_development(
    client, settings, provider, connection, caplog
):
    settings.SSO_ALLOW_LOOPBACK_HTTP = False

    assert client.get(reverse("sso_login", args=["alpha"])).status_code == 502
    assert refusal_reasons(caplog) == ["endpoint_not_https"]


def test_disabled_connection_is_not_found(client, connection):
    connection.enabled = False
    connection.save()

    assert client.get(reverse("sso_login", args=["alpha"])).status_code == 404


def test_email_of_an_existing_account_is_refused_without_a_link(
    client, tenancy, provider, connection, caplog
):
    provider.state.user["email"] = "owner@alpha.test"

    response = round_trip(client)

    assert response.status_code == 403
    assert (
        "already uses this email" in response.content.decode()
        or "déjà" in response.content.decode()
    )
    assert refusal_reasons(caplog) == ["email_belongs_to_existing_account"]
    assert not SsoIdentity.objects.exists()


def test_email_of_another_organisations_account_is_refused(
    client, tenancy, provider, connection, caplog
):
    provider.state.user["email"] = "other@beta.test"

    assert round_trip(client).status_code == 403
    assert refusal_reasons(caplog) == ["email_belongs_to_existing_account"]
    assert Membership.objects.get(user=tenancy.other.user).organisation == tenancy.org_b


def test_an_admin_link_lets_the_existing_account_be_claimed_once(
    client, tenancy, provider, connection
):
    link_existing_account(actor=tenancy.admin, email="owner@alpha.test")
    provider.state.user["email"] = "owner@alpha.test"

    response = round_trip(client)

    assert response.status_code == 302
    assert _signed_in(client) == tenancy.owner.user
    assert SsoIdentity.objects.get().user == tenancy.owner.user
    assert not connection.links.exists()


def test_identity_of_another_organisations_connection_opens_nothing(
    client, tenancy, provider, connection, caplog
):
    round_trip(client)
    client.logout()
    other = entra_connection(tenancy.org_b, provider, email_domains="beta.test")

    response = round_trip(client, slug="beta")

    assert response.status_code == 403
    assert refusal_reasons(caplog) == ["identity_of_another_connection"]
    assert other.identities.count() == 0


def test_deactivated_member_is_refused(client, provider, connection, caplog):
    round_trip(client)
    client.logout()
    Membership.objects.filter(user__email="amel@alpha.test").update(
        status=MembershipStatus.DEACTIVATED
    )

    assert round_trip(client).status_code == 403
    assert refusal_reasons(caplog) == ["account_deactivated"]


def test_missing_email_claim_is_refused(client, provider, connection, caplog):
    provider.state.user.pop("email")

    assert round_trip(client).status_code == 403
    assert refusal_reasons(caplog) == ["no_email_claim"]


def test_a_pending_invitation_is_claimed_at_the_first_sso_sign_in(
    client, tenancy, provider, connection
):
    invitation = invite_person(
        actor=tenancy.ld_lead,
        email="amel@alpha.test",
        name="Amel Haddad",
        team=tenancy.team_a,
        manager=tenancy.manager,
        role=Role.MANAGER,
    )

    response = round_trip(client)

    assert response.status_code == 302
    invitation.refresh_from_db()
    membership = Membership.objects.get(user__email="amel@alpha.test")
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.role == Role.MANAGER  # the invitation's role, not the default one
    assert invitation.accepted_at is not None
    assert SsoIdentity.objects.get().user == membership.user


def test_an_invitation_already_used_with_a_password_is_not_claimed(
    client, tenancy, provider, connection
):
    invitation = invite_person(
        actor=tenancy.ld_lead,
        email="amel@alpha.test",
        name="Amel",
        team=None,
        manager=None,
        role=Role.LEARNER,
    )
    user = invitation.membership.user
    user.set_password("chosen by the person")
    user.save()

    assert round_trip(client).status_code == 403
    assert not SsoIdentity.objects.exists()


def test_a_refused_sign_in_is_signalled_as_a_failed_login(client, provider, connection):
    provider.state.overrides = {"tid": "0b0b0b0b-0000-4000-8000-000000000000"}
    received = []

    def listener(sender, credentials, request=None, **kwargs):  # type: ignore[no-untyped-def]
        received.append(credentials)

    user_login_failed.connect(listener)
    try:
        round_trip(client)
    finally:
        user_login_failed.disconnect(listener)

    assert received == [{"sso_organisation": "alpha", "reason": "id_token_wrong_tenant"}]
