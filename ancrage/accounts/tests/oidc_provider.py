"""A small but real OpenID Connect provider on 127.0.0.1 for the SSO tests.

It speaks HTTP on a real socket (ThreadingHTTPServer) and signs RS256 id_tokens with
jwcrypto: discovery, authorisation (auto-approves `user`), token endpoint (client secret by
post or basic, single-use codes, PKCE S256 checked, redirect_uri checked) and JWKS. Entra-like
issuers `{base}/{tenant}/v2.0` with a `tid` claim. Knobs make it hostile on purpose:
`overrides` rewrites id_token claims, `sign_with_other_key` signs with an unpublished key,
`alg` picks the header algorithm, `discovery_issuer` lies in the discovery document.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from jwcrypto import jwk
from jwcrypto import jwt as jwc_jwt


@dataclass
class ProviderState:
    tenant: str
    base: str = ""
    client_id: str = "ancrage-client"
    client_secret: str = "s3cret-of-the-client"  # noqa: S105
    auth_method: str = "client_secret_post"
    user: dict[str, Any] = field(default_factory=dict)
    overrides: dict[str, Any] = field(default_factory=dict)
    sign_with_other_key: bool = False
    alg: str = "RS256"
    discovery_issuer: str = ""
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    token_requests: list[dict[str, Any]] = field(default_factory=list)
    authorize_requests: list[dict[str, str]] = field(default_factory=list)

    @property
    def issuer(self) -> str:
        return f"{self.base}/{self.tenant}/v2.0"


class OidcProvider:
    def __init__(self, *, tenant: str) -> None:
        self.key = jwk.JWK.generate(kty="RSA", size=2048, kid="key-1", use="sig")
        self.other_key = jwk.JWK.generate(kty="RSA", size=2048, kid="key-1", use="sig")
        self.state = ProviderState(tenant=tenant)
        self.state.user = {
            "sub": "entra-sub-0001",
            "email": "amel@alpha.test",
            "name": "Amel Haddad",
        }
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def _json(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                prefix = f"/{provider.state.tenant}/v2.0"
                if parts.path == prefix + "/.well-known/openid-configuration":
                    self._json(200, provider.discovery())
                elif parts.path == prefix + "/keys":
                    self._json(200, {"keys": [json.loads(provider.key.export_public())]})
                elif parts.path == prefix + "/authorize":
                    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                    provider.state.authorize_requests.append(query)
                    status, location = provider.authorize(query)
                    self.send_response(status)
                    if location:
                        self.send_header("Location", location)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                else:
                    self._json(404, {"error": "not_found"})

            def do_POST(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if parts.path != f"/{provider.state.tenant}/v2.0/token":
                    self._json(404, {"error": "not_found"})
                    return
                status, body = provider.token(form, self.headers.get("Authorization", ""))
                self._json(status, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.state.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "OidcProvider":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def discovery(self) -> dict[str, Any]:
        issuer = self.state.issuer
        return {
            "issuer": self.state.discovery_issuer or issuer,
            "authorization_endpoint": f"{issuer}/authorize",
            "token_endpoint": f"{issuer}/token",
            "jwks_uri": f"{issuer}/keys",
            "response_types_supported": ["code"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": [self.state.auth_method],
        }

    def authorize(self, query: dict[str, str]) -> tuple[int, str]:
        if query.get("client_id") != self.state.client_id or query.get("response_type") != "code":
            return 400, ""
        if "openid" not in query.get("scope", "").split():
            return 400, ""
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return 400, ""
        code = secrets.token_urlsafe(24)
        self.state.codes[code] = {
            "redirect_uri": query["redirect_uri"],
            "nonce": query.get("nonce", ""),
            "challenge": query["code_challenge"],
        }
        location = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]})
        return 302, location

    def _client_ok(self, form: dict[str, str], authorization: str) -> bool:
        if self.state.auth_method == "client_secret_basic":
            expected = base64.b64encode(
                f"{self.state.client_id}:{self.state.client_secret}".encode()
            ).decode()
            return authorization == f"Basic {expected}"
        return (
            form.get("client_id") == self.state.client_id
            and form.get("client_secret") == self.state.client_secret
        )

    def token(self, form: dict[str, str], authorization: str) -> tuple[int, dict[str, Any]]:
        self.state.token_requests.append(form)
        if not self._client_ok(form, authorization):
            return 401, {"error": "invalid_client"}
        grant = self.state.codes.pop(form.get("code", ""), None)  # single use
        if grant is None or form.get("grant_type") != "authorization_code":
            return 400, {"error": "invalid_grant"}
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri"}
        verifier = form.get("code_verifier", "")
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        if challenge != grant["challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        return 200, {
            "access_token": secrets.token_urlsafe(16),
            "token_type": "Bearer",
            "expires_in": 3600,
            "id_token": self.id_token(nonce=grant["nonce"]),
        }

    def id_token(self, *, nonce: str) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.state.issuer,
            "aud": self.state.client_id,
            "iat": now,
            "nbf": now,
            "exp": now + 300,
            "nonce": nonce,
            "tid": self.state.tenant,
            **self.state.user,
            **self.state.overrides,
        }
        claims = {k: v for k, v in claims.items() if v is not None}
        key = self.other_key if self.state.sign_with_other_key else self.key
        if self.state.alg.startswith("HS"):
            key = jwk.JWK(kty="oct", k=base64.urlsafe_b64encode(b"x" * 32).decode().rstrip("="))
        token = jwc_jwt.JWT(header={"alg": self.state.alg, "kid": "key-1"}, claims=claims)
        token.make_signed_token(key)
        return str(token.serialize())
