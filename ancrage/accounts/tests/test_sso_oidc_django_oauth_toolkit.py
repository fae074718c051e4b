"""Interoperability: our OIDC client against django-oauth-toolkit run as a separate process.

The provider is a maintained implementation (OIDC enabled, RSA key made in the test, PKCE
required); the whole round trip goes over HTTP: our login → its authorise endpoint → its
sign-in → code → our callback → its token endpoint → RS256 id_token checked with its JWKS.
"""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse

from ancrage.accounts.models import User
from ancrage.accounts.sso.crypto import encrypt_secret
from ancrage.accounts.sso.models import Protocol, SsoConnection, SsoIdentity
from ancrage.tenancy.models import Membership, Role

pytestmark = pytest.mark.django_db

CALLBACK = "http://127.0.0.1:8000/accounts/sso/alpha/oidc/callback/"


@pytest.fixture(scope="module")
def dot_provider(tmp_path_factory) -> Iterator[dict[str, str]]:  # type: ignore[no-untyped-def]
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    folder: Path = tmp_path_factory.mktemp("dot-provider")
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ancrage.accounts.tests.dot_provider.settings",
        "DOT_PROVIDER_DB": str(folder / "provider.sqlite3"),
        "DOT_PROVIDER_RSA_KEY": pem,
    }
    environment.pop("DATABASE_URL", None)
    process = subprocess.Popen(  # noqa: S603 — our own interpreter and module
        [sys.executable, "-m", "ancrage.accounts.tests.dot_provider.serve", CALLBACK],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            raise AssertionError(f"provider did not start: {process.stderr.read()[-3000:]}")  # type: ignore[union-attr]
        yield json.loads(line)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def connection(tenancy, dot_provider, settings) -> SsoConnection:  # type: ignore[no-untyped-def]
    settings.SSO_ALLOW_LOOPBACK_HTTP = True
    return SsoConnection.objects.create(
        organisation=tenancy.org_a,
        protocol=Protocol.OIDC,
        enabled=True,
        oidc_issuer=dot_provider["issuer"],
        oidc_client_id=dot_provider["client_id"],
        oidc_client_secret_encrypted=encrypt_secret(dot_provider["client_secret"]),
        default_role=Role.LEARNER,
    )


def _through_the_provider(location: str) -> str:
    """Follow the provider's redirects (authorise → its sign-in → authorise) back to us."""
    with httpx.Client(follow_redirects=False, timeout=20) as browser:
        for _hop in range(6):
            if location.startswith("http://127.0.0.1:8000/"):
                back = urlsplit(location)
                return f"{back.path}?{back.query}"
            response = browser.get(location)
            assert response.status_code == 302, response.text[:2000]
            location = str(response.url.join(response.headers["location"]))
    raise AssertionError("too many redirects at the provider")


def test_sign_in_through_django_oauth_toolkit_provisions_the_person(
    client, tenancy, dot_provider, connection
):
    start = client.get(reverse("sso_login", args=["alpha"]))
    assert start.status_code == 302

    response = client.get(_through_the_provider(start["Location"]))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("home")
    user = User.objects.get(email="camille@alpha.test")
    assert client.get(reverse("home")).wsgi_request.user == user
    assert Membership.objects.get(user=user).organisation == tenancy.org_a
    identity = SsoIdentity.objects.get(user=user)
    assert identity.issuer == dot_provider["issuer"]
    assert identity.subject == dot_provider["subject"]


def test_a_wrong_client_secret_is_refused_by_the_provider(client, dot_provider, connection, caplog):
    connection.oidc_client_secret_encrypted = encrypt_secret("not-the-secret")
    connection.save()
    start = client.get(reverse("sso_login", args=["alpha"]))

    response = client.get(_through_the_provider(start["Location"]))

    assert response.status_code == 403
    assert "reason=token_endpoint_refused" in caplog.text
    assert not User.objects.filter(email="camille@alpha.test").exists()


def test_a_code_used_twice_is_refused(client, dot_provider, connection, caplog):
    start = client.get(reverse("sso_login", args=["alpha"]))
    callback = _through_the_provider(start["Location"])
    assert client.get(callback).status_code == 302
    client.logout()
    # Same code, with a fresh pending sign-in whose state we splice in: the provider refuses.
    fresh = client.get(reverse("sso_login", args=["alpha"]))
    state = dict(p.split("=", 1) for p in urlsplit(fresh["Location"]).query.split("&"))["state"]
    code = dict(p.split("=", 1) for p in urlsplit(callback).query.split("&"))["code"]

    response = client.get(f"{urlsplit(callback).path}?code={code}&state={state}")

    assert response.status_code == 403
    assert "reason=token_endpoint_refused" in caplog.text
