"""A small Microsoft Graph client for the Viva Learning provider API (stdlib HTTP only).

The base URL (`VIVA_GRAPH_URL`) and the token URL (`VIVA_TOKEN_URL`, `{tenant}` replaced)
are settings, so tests run the whole sync against a local fake Graph. The token comes from
the client-credentials flow of the provider's app registration (`VIVA_CLIENT_ID`,
`VIVA_CLIENT_SECRET`), asked once per sync.
"""

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings

TIMEOUT_SECONDS = 20
SCOPE = "https://graph.microsoft.com/.default"


class GraphError(Exception):
    """Graph (or the token endpoint) refused or could not be reached."""


def _quote_key(value: str) -> str:
    """An OData string key: single quotes doubled, then percent-encoded for the path."""
    return urllib.parse.quote(value.replace("'", "''"), safe="")


def _send(request: urllib.request.Request) -> tuple[int, Any]:
    scheme = urllib.parse.urlsplit(request.full_url).scheme
    if scheme not in ("https", "http"):
        raise GraphError(f"Unsupported URL scheme: {scheme}")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 — scheme checked  # nosec B310
            body = response.read()
            status: int = response.status
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")[:300]
        raise GraphError(f"HTTP {exc.code} {exc.reason}: {detail}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise GraphError(f"{type(exc).__name__}: {exc}") from exc
    return status, json.loads(body) if body else None


class VivaClient:
    def __init__(self, *, tenant_id: str, provider_id: str) -> None:
        self.provider_id = provider_id
        self.tenant_id = tenant_id
        self.base = (
            f"{settings.VIVA_GRAPH_URL}/employeeExperience/learningProviders/"
            f"{_quote_key(provider_id)}"
        )
        self._token = ""

    def token(self) -> str:
        if not self._token:
            data = urllib.parse.urlencode(
                {
                    "client_id": settings.VIVA_CLIENT_ID,
                    "client_secret": settings.VIVA_CLIENT_SECRET,
                    "scope": SCOPE,
                    "grant_type": "client_credentials",
                }
            ).encode()
            url = settings.VIVA_TOKEN_URL.replace("{tenant}", _quote_key(self.tenant_id))
            request = urllib.request.Request(url, data=data, method="POST")  # noqa: S310
            _status, body = _send(request)
            self._token = str((body or {}).get("access_token", ""))
            if not self._token:
                raise GraphError("The token endpoint returned no access_token.")
        return self._token

    def _call(self, method: str, url: str, body: dict[str, Any]) -> tuple[int, Any]:
        request = urllib.request.Request(  # noqa: S310 — scheme checked in _send
            url,
            data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
            method=method,
            headers={
                "Authorization": f"Bearer {self.token()}",
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "Ancrage-viva/1",
            },
        )
        return _send(request)

    def upsert_content(self, external_id: str, payload: dict[str, Any]) -> str:
        """PATCH learningContents(externalId='…'): creates or updates; returns Viva's id."""
        url = f"{self.base}/learningContents(externalId='{_quote_key(external_id)}')"
        _status, body = self._call("PATCH", url, payload)
        return str((body or {}).get("id", ""))

    def create_activity(self, payload: dict[str, Any]) -> str:
        _status, body = self._call("POST", f"{self.base}/learningCourseActivities", payload)
        return str((body or {}).get("id", ""))

    def update_activity(self, activity_id: str, payload: dict[str, Any]) -> None:
        url = f"{self.base}/learningCourseActivities/{_quote_key(activity_id)}"
        self._call("PATCH", url, payload)
