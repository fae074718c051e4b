"""Bad launches over real HTTP: each refused with a 4xx page naming its reason, and logged."""

import base64
import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from ancrage.exports.lti13.models import Identity, LoginAttempt
from ancrage.exports.lti13.tests.conftest import Browser
from ancrage.exports.lti13.tests.platform_server import Platform
from ancrage.licensing.models import Licence

pytestmark = pytest.mark.django_db(transaction=True)

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"


def _refused(response: Any, reason: str, caplog: Any, status: int = 403) -> None:
    assert response.status_code == status, response.text[:500]
    assert reason in response.text
    logged = [r.getMessage() for r in caplog.records if r.name == "ancrage.lti"]
    assert any(f"LTI launch refused: {reason}" in m for m in logged), logged
    assert not Identity.objects.exists()


def _tamper(token: str, **changes: Any) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_a_tampered_id_token_is_refused(
    platform: Platform, registration: Any, licence: Any, lms: Browser, caplog: Any
) -> None:
    form = lms.login_and_authenticate(platform)
    response = lms.submit(form, id_token=_tamper(form.id_token, sub="someone-else"))
    _refused(response, "bad_signature", caplog)


def test_a_replayed_launch_is_refused_the_second_time(
    platform: Platform, registration: Any, licence: Any, lms: Browser, caplog: Any
) -> None:
    form = lms.login_and_authenticate(platform)
    assert lms.submit(form).status_code == 200
    Identity.objects.all().delete()
    _refused(lms.submit(form), "nonce_replayed", caplog)


def test_a_wrong_deployment_id_is_refused(
    platform: Platform, registration: Any, licence: Any, lms: Browser, caplog: Any
) -> None:
    platform.claims = {CLAIM + "deployment_id": "another-deployment"}
    _refused(lms.launch(platform), "unknown_deployment", caplog)


def test_an_unknown_kid_is_refetched_once_then_refused(
    platform: Platform, registration: Any, licence: Any, lms: Browser, caplog: Any
) -> None:
    platform.rotate("rogue-key", publish=False)
    before = platform.jwks_hits
    _refused(lms.launch(platform), "unknown_kid", caplog)
    assert platform.jwks_hits == before + 1


def test_a_rotated_platform_key_is_fetched_and_accepted(
    platform: Platform, registration: Any, licence: Any, lms: Browser
) -> None:
    assert lms.launch(platform).status_code == 200
    hits = platform.jwks_hits
    platform.rotate("platform-key-2")
    assert Browser().launch(platform).status_code == 200
    assert platform.jwks_hits == hits + 1  # one refetch for the new kid
    assert Browser().launch(platform).status_code == 200
    assert platform.jwks_hits == hits + 1  # then served from the stored keyset


def test_a_token_for_another_audience_is_refused(
    platform: Platform, registration: Any, licence: Any, lms: Browser, caplog: Any
) -> None:
    platform.claims = {"aud": "another-tool"}
    _refused(lms.launch(platform), "wrong_audience", caplog)


def test_a_token_authorised_for_another_party_is_refused(
    platform: Platform, registration: Any, licence: Any, lms: Browser, caplog: Any
) -> None:
    platform.claims = {"aud": ["ancrage-tool", "another-tool"], "azp": "another-tool"}
    _refused(lms.launch(platform), "wrong_azp", caplog)


def test_an_expired_token_is_refused(
    platform: Platform, registration: Any, licence: Any, lms: Browser, caplog: Any
) -> None:
    platform.expiration = -300
    _refused(lms.launch(platform), "expired", caplog)


def test_a_token_from_another_issuer_is_refused(
    platform: Platform, registration: Any, licence: Any, lms: Browser, caplog: Any
) -> None:
    platform.claims = {"iss": "https://lms.elsewhere.example"}
    _refused(lms.launch(platform), "wrong_issuer", caplog)


def test_a_state_from_another_window_is_refused(
    platform: Platform, registration: Any, licence: Any, lms: Browser, caplog: Any
) -> None:
    first = lms.login_and_authenticate(platform)
    lms.login_and_authenticate(platform)  # our state cookie now names the second login
    _refused(lms.submit(first), "state_mismatch", caplog)


def test_an_unknown_state_and_an_expired_login_are_refused(
    platform: Platform, registration: Any, licence: Any, lms: Browser, caplog: Any
) -> None:
    form = lms.login_and_authenticate(platform)
    lms.session.cookies.clear()
    _refused(lms.submit(form, state="made-up"), "unknown_state", caplog)
    LoginAttempt.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    _refused(lms.submit(form), "login_expired", caplog)


def test_login_initiation_refuses_unknown_platforms_and_foreign_targets(
    platform: Platform, registration: Any, lms: Browser, live_server: Any, caplog: Any
) -> None:
    login = f"{live_server.url}/lti/login/"
    launch = f"{live_server.url}/lti/launch/"
    missing = lms.session.get(login, params={"iss": platform.url}, timeout=10)
    _refused(missing, "malformed_request", caplog, status=400)
    unknown = lms.session.post(
        login,
        data={"iss": "https://lms.unknown.example", "login_hint": "u", "target_link_uri": launch},
        timeout=10,
    )
    _refused(unknown, "unknown_registration", caplog)
    foreign = lms.session.get(
        login,
        params={
            "iss": platform.url,
            "client_id": "ancrage-tool",
            "login_hint": "u",
            "target_link_uri": "https://evil.example/lti/launch/",
        },
        allow_redirects=False,
        timeout=10,
    )
    _refused(foreign, "bad_target", caplog)
    posted = lms.session.post(
        login,
        data={
            "iss": platform.url,
            "client_id": "ancrage-tool",
            "login_hint": "u",
            "target_link_uri": launch,
        },
        allow_redirects=False,
        timeout=10,
    )
    assert posted.status_code == 302
    assert posted.headers["Location"].startswith(f"{platform.url}/auth?")


def test_an_expired_licence_shows_the_polite_licence_page_and_keeps_the_learner(
    platform: Platform, registration: Any, licence: Licence, lms: Browser
) -> None:
    today = timezone.localdate()
    Licence.objects.filter(pk=licence.pk).update(
        starts_on=today - timedelta(days=400), ends_on=today - timedelta(days=2)
    )
    response = lms.launch(platform)
    assert response.status_code == 403
    assert 'class="card unavailable"' in response.text
    assert "frame-ancestors" in response.headers["Content-Security-Policy"]
    assert platform.url in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers
    assert Identity.objects.filter(sub="moodle-user-42").exists()
