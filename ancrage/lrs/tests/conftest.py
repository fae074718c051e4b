"""LRS test helpers: credentials for the tenancy matrix's two organisations and an xAPI client."""

import base64
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import orjson
import pytest
from django.test import Client

from ancrage.lrs.actions import issue_credential
from ancrage.lrs.models import LrsCredential


@dataclass
class Xapi:
    client: Client
    credential: LrsCredential
    secret: str
    version: str = "2.0.0"

    def headers(self, **extra: str) -> dict[str, str]:
        token = base64.b64encode(f"{self.credential.key}:{self.secret}".encode()).decode()
        headers = {"Authorization": f"Basic {token}", "X-Experience-API-Version": self.version}
        headers.update(extra)
        return headers

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        params: dict[str, Any] | None = None,
        content_type: str = "application/json",
        **headers: str,
    ) -> Any:
        data: bytes | str = b""
        if body is not None:
            data = body if isinstance(body, bytes | str) else orjson.dumps(body)
        query = ""
        if params:
            query = "?" + urlencode(
                {
                    k: orjson.dumps(v).decode() if isinstance(v, dict) else v
                    for k, v in params.items()
                }
            )
        return self.client.generic(
            method,
            f"/xapi/{path}{query}",
            data,
            content_type=content_type,
            headers=self.headers(**headers),
        )

    def post(self, statements: Any, **kw: Any) -> Any:
        return self.request("POST", "statements", statements, **kw)

    def get(self, path: str = "statements", **params: Any) -> Any:
        return self.request("GET", path, params=params)


def make_xapi(organisation: Any, scopes: list[str] | None = None, **kw: Any) -> Xapi:
    issued = issue_credential(
        organisation=organisation, label="test", scopes=scopes or ["all"], **kw
    )
    return Xapi(Client(), issued.credential, issued.secret)


@pytest.fixture
def xapi(tenancy: Any) -> Xapi:
    return make_xapi(tenancy.org_a)


@pytest.fixture
def xapi_b(tenancy: Any) -> Xapi:
    return make_xapi(tenancy.org_b)


def statement(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "actor": {"objectType": "Agent", "name": "Léa", "mbox": "mailto:lea@alpha.test"},
        "verb": {
            "id": "http://adlnet.gov/expapi/verbs/completed",
            "display": {"en-US": "completed"},
        },
        "object": {
            "id": "https://ancrage.test/paths/ecoute",
            "definition": {"name": {"fr": "Écoute"}},
        },
    }
    data.update(overrides)
    return data


def new_id() -> str:
    return str(uuid.uuid4())
