"""Helpers of the SSO tests: a configured Entra ID connection and the browser's round trip."""

from urllib.parse import urlsplit

import httpx
from django.test import Client
from django.urls import reverse

from ancrage.accounts.sso.crypto import encrypt_secret
from ancrage.accounts.sso.models import Protocol, SsoConnection
from ancrage.accounts.tests.oidc_provider import OidcProvider
from ancrage.tenancy.models import Organisation

TENANT = "3f1c2a4e-8b7d-4c1e-9a55-2d6e7f8a9b0c"


def entra_connection(
    organisation: Organisation, provider: OidcProvider, **extra: object
) -> SsoConnection:
    fields: dict[str, object] = {
        "protocol": Protocol.ENTRA,
        "enabled": True,
        "entra_tenant_id": provider.state.tenant,
        "oidc_client_id": provider.state.client_id,
        "oidc_client_secret_encrypted": encrypt_secret(provider.state.client_secret),
        "email_domains": "alpha.test",
        "team_claim": "department",
        **extra,
    }
    return SsoConnection.objects.create(organisation=organisation, **fields)


def to_provider_and_back(client: Client, slug: str = "alpha") -> tuple[str, httpx.Response]:
    """Our login → the provider's authorize endpoint over HTTP; the callback path we are sent to."""
    start = client.get(reverse("sso_login", args=[slug]))
    assert start.status_code == 302, start.content[:500]
    at_provider = httpx.get(start["Location"], follow_redirects=False)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["location"])
    return f"{back.path}?{back.query}", at_provider


def round_trip(client: Client, slug: str = "alpha"):  # type: ignore[no-untyped-def]
    callback, _ = to_provider_and_back(client, slug)
    return client.get(callback)


def refusal_reasons(caplog) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        r.getMessage().split("reason=")[1].split(" ")[0]
        for r in caplog.records
        if r.name == "ancrage.sso" and "refused" in r.getMessage() and "reason=" in r.getMessage()
    ]


def refusal_details(caplog) -> str:  # type: ignore[no-untyped-def]
    return " | ".join(
        r.getMessage().split("detail=", 1)[1]
        for r in caplog.records
        if r.name == "ancrage.sso" and "detail=" in r.getMessage()
    )
