"""Calls from the tool to the platform: its JWKS, OAuth2 access tokens (client credentials
with a signed JWT assertion), AGS score publication and NRPS membership reads.

Plain HTTP(S) through the standard library, with a timeout; every failure is a
`PlatformError` carrying a short reason that callers log and store.
"""

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from ancrage.exports.lti13 import keys
from ancrage.exports.lti13.models import Registration

TIMEOUT = 10
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"


class PlatformError(Exception):
    """The platform could not be reached or answered something unusable."""


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"null")
        except ValueError as exc:
            raise PlatformError("the platform answered something that is not JSON") from exc


LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


def check_url(url: str) -> None:
    """https only; plain http to a loopback host when LTI_ALLOW_LOOPBACK_HTTP is on."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if (
        parts.scheme == "http"
        and parts.hostname in LOOPBACK_HOSTS
        and getattr(settings, "LTI_ALLOW_LOOPBACK_HTTP", False)
    ):
        return
    raise PlatformError(f"not an https URL: {url}")


def _call(
    method: str, url: str, *, headers: dict[str, str] | None = None, data: bytes | None = None
) -> Reply:
    check_url(url)
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310  # nosec B310
            return Reply(response.status, response.read(1024 * 1024))
    except urllib.error.HTTPError as exc:
        return Reply(exc.code, exc.read(64 * 1024))
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise PlatformError(f"{url} unreachable: {exc}") from exc


def fetch_jwks(url: str) -> dict[str, Any]:
    reply = _call("GET", url, headers={"Accept": "application/json"})
    if reply.status != 200:
        raise PlatformError(f"JWKS {url} answered HTTP {reply.status}")
    body = reply.json()
    if not isinstance(body, dict) or not isinstance(body.get("keys"), list):
        raise PlatformError(f"JWKS {url} has no keys list")
    return body


def access_token(registration: Registration, scopes: list[str]) -> str:
    """An access token from the platform for `scopes` (IMS Security Framework §4.1)."""
    if not registration.access_token_url:
        raise PlatformError("the registration has no access token URL")
    assertion = keys.sign(
        {
            "iss": registration.client_id,
            "sub": registration.client_id,
            "aud": registration.access_token_url,
        },
        lifetime=300,
    )
    form = urllib.parse.urlencode(
        {
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion,
            "scope": " ".join(scopes),
        }
    ).encode("ascii")
    reply = _call(
        "POST",
        registration.access_token_url,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        data=form,
    )
    if reply.status != 200:
        raise PlatformError(f"access token refused: HTTP {reply.status}")
    token = reply.json().get("access_token") if isinstance(reply.json(), dict) else None
    if not token:
        raise PlatformError("the token response has no access_token")
    return str(token)


def scores_url(lineitem_url: str) -> str:
    """`{lineitem}/scores`, keeping the line item's query string (AGS §3.4)."""
    parts = urllib.parse.urlsplit(lineitem_url)
    path = parts.path.rstrip("/") + "/scores"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def publish_score(registration: Registration, *, lineitem_url: str, score: dict[str, Any]) -> int:
    token = access_token(registration, [SCORE_SCOPE])
    reply = _call(
        "POST",
        scores_url(lineitem_url),
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/vnd.ims.lis.v1.score+json",
        },
        data=json.dumps(score).encode("utf-8"),
    )
    if reply.status not in (200, 201, 202, 204):
        raise PlatformError(f"score refused: HTTP {reply.status}")
    return reply.status


def memberships(registration: Registration, memberships_url: str) -> list[dict[str, Any]]:
    """The members of an LMS course (first page of the NRPS container)."""
    token = access_token(registration, [NRPS_SCOPE])
    reply = _call(
        "GET",
        memberships_url,
        headers={
            "Authorization": f"Bearer {token}",
            "Accept": "application/vnd.ims.lti-nrps.v2.membershipcontainer+json",
        },
    )
    if reply.status != 200:
        raise PlatformError(f"roster refused: HTTP {reply.status}")
    body = reply.json()
    if not isinstance(body, dict):
        raise PlatformError("the roster is not a membership container")
    return [m for m in body.get("members", []) if isinstance(m, dict)]
