"""OpenID Connect authorisation code flow with PKCE, state and nonce (Entra ID and others).

Guarantees:
- the provider's discovery document must name exactly the connection's issuer, and every
  endpoint must be https (plain http only to a loopback host when SSO_ALLOW_LOOPBACK_HTTP);
- an id_token is accepted only if signed with an asymmetric algorithm by a key of the
  provider's JWKS, for our client id, by the configured issuer, unexpired (60 s of skew),
  carrying the nonce we sent; for Entra ID its `tid` claim must be the configured tenant.
No state is kept here: the caller stores `Pending` in the session and hands it back once.
"""

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import jwt
from django.conf import settings

from ancrage.accounts.sso.crypto import SecretUnreadable, decrypt_secret
from ancrage.accounts.sso.identity import SsoClaims, SsoRefused
from ancrage.accounts.sso.models import Protocol, SsoConnection

ALLOWED_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384")
CLOCK_SKEW_SECONDS = 60
PENDING_LIFETIME_SECONDS = 600
HTTP_TIMEOUT_SECONDS = 10
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    token_auth_methods: tuple[str, ...]


@dataclass(frozen=True)
class Pending:
    """What the callback must find again: kept in the session, used once."""

    connection_id: str
    state: str
    nonce: str
    code_verifier: str
    started_at: float
    next_url: str

    def as_session(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_session(cls, data: Any) -> "Pending | None":
        if not isinstance(data, dict):
            return None
        try:
            return cls(**data)
        except TypeError:
            return None


def check_endpoint(url: str) -> None:
    """https only; plain http to a loopback host when SSO_ALLOW_LOOPBACK_HTTP is on."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if (
        parts.scheme == "http"
        and parts.hostname in LOOPBACK_HOSTS
        and settings.SSO_ALLOW_LOOPBACK_HTTP
    ):
        return
    raise SsoRefused("endpoint_not_https", url)


def _get_json(client: httpx.Client, url: str) -> dict[str, Any]:
    check_endpoint(url)
    try:
        response = client.get(url)
        response.raise_for_status()
        data = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise SsoRefused("provider_unreachable", f"{url}: {exc}") from exc
    if not isinstance(data, dict):
        raise SsoRefused("provider_bad_json", url)
    return data


def _client() -> httpx.Client:
    return httpx.Client(timeout=HTTP_TIMEOUT_SECONDS, follow_redirects=False)


def discover(connection: SsoConnection) -> Provider:
    issuer = connection.issuer
    with _client() as client:
        document = _get_json(client, f"{issuer}/.well-known/openid-configuration")
    if document.get("issuer", "").rstrip("/") != issuer:
        raise SsoRefused("discovery_issuer_mismatch", str(document.get("issuer")))
    try:
        provider = Provider(
            issuer=issuer,
            authorization_endpoint=str(document["authorization_endpoint"]),
            token_endpoint=str(document["token_endpoint"]),
            jwks_uri=str(document["jwks_uri"]),
            token_auth_methods=tuple(
                document.get("token_endpoint_auth_methods_supported", ["client_secret_basic"])
            ),
        )
    except KeyError as exc:
        raise SsoRefused("discovery_incomplete", str(exc)) from exc
    for url in (provider.authorization_endpoint, provider.token_endpoint, provider.jwks_uri):
        check_endpoint(url)
    return provider


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def begin(connection: SsoConnection, *, redirect_uri: str, next_url: str) -> tuple[str, Pending]:
    """The URL to send the person to, and what to remember until they come back."""
    provider = discover(connection)
    pending = Pending(
        connection_id=str(connection.pk),
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(32),
        code_verifier=secrets.token_urlsafe(64),
        started_at=time.time(),
        next_url=next_url,
    )
    challenge = _b64url(hashlib.sha256(pending.code_verifier.encode("ascii")).digest())
    query = urlencode(
        {
            "response_type": "code",
            "client_id": connection.oidc_client_id,
            "redirect_uri": redirect_uri,
            "scope": "openid email profile",
            "state": pending.state,
            "nonce": pending.nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "response_mode": "query",
        }
    )
    separator = "&" if "?" in provider.authorization_endpoint else "?"
    return f"{provider.authorization_endpoint}{separator}{query}", pending


def complete(
    connection: SsoConnection,
    *,
    pending: Pending | None,
    params: dict[str, str],
    redirect_uri: str,
) -> SsoClaims:
    """Check the callback, exchange the code, validate the id_token: the verified claims."""
    if pending is None or pending.connection_id != str(connection.pk):
        raise SsoRefused("no_pending_sign_in")
    if not hmac.compare_digest(params.get("state", ""), pending.state):
        raise SsoRefused("state_mismatch")
    if time.time() - pending.started_at > PENDING_LIFETIME_SECONDS:
        raise SsoRefused("sign_in_too_slow")
    if params.get("error"):
        raise SsoRefused("provider_error", params.get("error", "")[:200])
    code = params.get("code", "")
    if not code:
        raise SsoRefused("no_code")
    provider = discover(connection)
    try:
        secret = decrypt_secret(connection.oidc_client_secret_encrypted)
    except SecretUnreadable as exc:
        raise SsoRefused("client_secret_unreadable") from exc
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": pending.code_verifier,
        "client_id": connection.oidc_client_id,
    }
    auth: httpx.Auth | None = None
    if "client_secret_post" in provider.token_auth_methods:
        form["client_secret"] = secret
    else:
        auth = httpx.BasicAuth(connection.oidc_client_id, secret)
    with _client() as client:
        try:
            response = (
                client.post(provider.token_endpoint, data=form, auth=auth)
                if auth is not None
                else client.post(provider.token_endpoint, data=form)
            )
            tokens = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise SsoRefused("token_endpoint_failed", str(exc)) from exc
        if response.status_code != 200 or not isinstance(tokens, dict):
            raise SsoRefused("token_endpoint_refused", response.text[:200])
        id_token = tokens.get("id_token")
        if not isinstance(id_token, str):
            raise SsoRefused("no_id_token")
        jwks = _get_json(client, provider.jwks_uri)
    claims = validate_id_token(connection, id_token=id_token, jwks=jwks, nonce=pending.nonce)
    return _claims(connection, claims)


def validate_id_token(
    connection: SsoConnection, *, id_token: str, jwks: dict[str, Any], nonce: str
) -> dict[str, Any]:
    try:
        header = jwt.get_unverified_header(id_token)
    except jwt.PyJWTError as exc:
        raise SsoRefused("id_token_malformed", str(exc)) from exc
    algorithm = header.get("alg")
    if algorithm not in ALLOWED_ALGORITHMS:
        raise SsoRefused("id_token_algorithm", str(algorithm))
    try:
        keys = [k for k in jwt.PyJWKSet.from_dict(jwks).keys if k.public_key_use in (None, "sig")]
    except jwt.PyJWTError as exc:
        raise SsoRefused("jwks_unusable", str(exc)) from exc
    kid = header.get("kid")
    matching = [k for k in keys if kid is None or k.key_id == kid]
    if len(matching) != 1:
        raise SsoRefused("id_token_unknown_key", str(kid))
    try:
        claims: dict[str, Any] = jwt.decode(
            id_token,
            key=matching[0].key,
            algorithms=[algorithm],
            audience=connection.oidc_client_id,
            issuer=_accepted_issuers(connection),
            leeway=CLOCK_SKEW_SECONDS,
            options={"require": ["iss", "sub", "aud", "exp", "iat"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise SsoRefused("id_token_expired") from exc
    except jwt.InvalidAudienceError as exc:
        raise SsoRefused("id_token_wrong_audience") from exc
    except jwt.InvalidIssuerError as exc:
        raise SsoRefused("id_token_wrong_issuer") from exc
    except jwt.InvalidSignatureError as exc:
        raise SsoRefused("id_token_bad_signature") from exc
    except jwt.PyJWTError as exc:
        raise SsoRefused("id_token_invalid", str(exc)) from exc
    if not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
        raise SsoRefused("id_token_wrong_nonce")
    audience = claims["aud"]
    if isinstance(audience, list) and len(audience) > 1:
        if claims.get("azp") != connection.oidc_client_id:
            raise SsoRefused("id_token_wrong_azp")
    if connection.protocol == Protocol.ENTRA and (
        str(claims.get("tid", "")).lower() != connection.entra_tenant_id.lower()
    ):
        raise SsoRefused("id_token_wrong_tenant", str(claims.get("tid")))
    return claims


def _accepted_issuers(connection: SsoConnection) -> list[str]:
    # Entra ID: exactly https://login.microsoftonline.com/{tid}/v2.0. Others: some providers
    # (Auth0, Keycloak behind proxies) write their issuer with a trailing slash.
    if connection.protocol == Protocol.ENTRA:
        return [connection.issuer]
    return [connection.issuer, connection.issuer + "/"]


def _claims(connection: SsoConnection, claims: dict[str, Any]) -> SsoClaims:
    email = str(claims.get("email") or claims.get("preferred_username") or "")
    team = str(claims.get(connection.team_claim, "")) if connection.team_claim else ""
    return SsoClaims(
        issuer=str(claims["iss"]).rstrip("/"),
        subject=str(claims["sub"]),
        email=email.strip().lower(),
        name=str(claims.get("name", ""))[:150],
        team=team,
    )
