"""Our own deploy checks, beyond `manage.py check --deploy` (run by `make security` and CI).

* the production profile's cookies are Secure, HttpOnly where they can be, SameSite Lax/Strict;
* the CSP is strict (scripts only from us with a nonce, no inline, no eval, no plugins,
  no framing by default);
* the cookies really sent carry those flags;
* the semgrep rule against unscoped fetches lists every tenant model.
(The per-response CSP and frame-ancestors checks run over every route in the isolation
matrix, ancrage/common/tests/isolation/.)
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION_ENV = {
    "ANCRAGE_PROFILE": "production",
    "SECRET_KEY": "check-deploy-" + "x" * 64,
    "ALLOWED_HOSTS": "ancrage.example.org",
    "DATABASE_URL": "sqlite:////tmp/ancrage-security-gates-unused.sqlite3",
}
READ_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
names = ["SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE", "LANGUAGE_COOKIE_SAMESITE",
         "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "LANGUAGE_COOKIE_SECURE",
         "SESSION_COOKIE_HTTPONLY", "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT",
         "X_FRAME_OPTIONS", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "DEBUG"]
out = {n: getattr(s, n) for n in names}
out["SECURE_CSP"] = {k: [str(v) for v in vs] for k, vs in s.SECURE_CSP.items()}
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def production() -> dict[str, object]:
    env = {**os.environ, **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(  # noqa: S603 — our own interpreter and code
        [sys.executable, "-c", READ_SETTINGS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    settings: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return settings


def test_production_cookies_are_secure_httponly_and_same_site(production) -> None:  # type: ignore[no-untyped-def]
    assert production["DEBUG"] is False
    for cookie in ("SESSION", "CSRF", "LANGUAGE"):
        assert production[f"{cookie}_COOKIE_SECURE"] is True, cookie
        assert production[f"{cookie}_COOKIE_SAMESITE"] in {"Lax", "Strict"}, cookie
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert int(production["SECURE_HSTS_SECONDS"]) >= 31_536_000  # type: ignore[call-overload]
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert production["SECURE_REFERRER_POLICY"] in {"same-origin", "strict-origin", "no-referrer"}


def test_production_csp_is_strict_and_refuses_framing_by_default(production) -> None:  # type: ignore[no-untyped-def]
    csp: dict[str, list[str]] = production["SECURE_CSP"]  # type: ignore[assignment]
    assert csp["default-src"] == ["'self'"]
    scripts = csp["script-src"]
    for loose in ("'unsafe-inline'", "'unsafe-eval'", "*", "https:", "data:"):
        assert loose not in scripts
    assert any("nonce" in s.lower() for s in scripts)
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in csp.get("style-src", [])
    assert production["X_FRAME_OPTIONS"] == "DENY"


def _cookie_flags(response, name: str) -> str:  # type: ignore[no-untyped-def]
    return response.cookies[name].output()


@pytest.mark.django_db
def test_the_cookies_really_sent_are_same_site_and_http_only(tenancy, password) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    page = client.get(reverse("account_login"))
    assert "SameSite=Lax" in _cookie_flags(page, "csrftoken")
    signed_in = client.post(
        reverse("account_login"), {"login": "owner@alpha.test", "password": password}
    )
    assert signed_in.status_code == 302
    session = _cookie_flags(signed_in, "sessionid")
    assert "SameSite=Lax" in session
    assert "HttpOnly" in session


def test_every_response_of_a_plain_page_refuses_framing(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("account_login"))
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_the_semgrep_tenant_rule_lists_every_tenant_model() -> None:
    rule = (ROOT / ".semgrep" / "tenant-scoping.yaml").read_text(encoding="utf-8")
    listed = set(re.findall(r"\b([A-Z][A-Za-z0-9]+)\b", rule.split("regex:", 1)[1]))
    tenant = {
        model.__name__
        for model in apps.get_models()
        if model.__module__.startswith("ancrage.")
        and "organisation" in {f.name for f in model._meta.get_fields()}
    }
    missing = sorted(tenant - listed)
    assert not missing, (
        "These tenant models (they have an `organisation` field) are missing from the regex of "
        f".semgrep/tenant-scoping.yaml: {', '.join(missing)}. Add them to the list."
    )
