"""Sign-in and public doors are rate-limited: 429, Retry-After and a sentence saying when."""

import base64
from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache, caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from ancrage.common import ratelimit
from ancrage.common.ratelimit import RULES, allauth_429

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_and_fresh_allauth_limits(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    # allauth's own limits (per minute) sit in the default cache: start each test clean, and
    # loosen them so that our table is what these tests see.
    settings.ACCOUNT_RATE_LIMITS = False
    settings.LANGUAGE_CODE = "en"
    cache.clear()
    with translation.override("en"):
        yield
    cache.clear()


def assert_429(response, *, api: bool = False) -> int:  # type: ignore[no-untyped-def]
    assert response.status_code == 429, response.content[:500]
    retry_after = int(response["Retry-After"])
    assert 1 <= retry_after <= 900
    body = response.content.decode()
    assert "Too many attempts. Please wait" in body
    if api:
        assert response["Content-Type"] == "application/json"
        assert response.json()["retry_after"] == retry_after
    return retry_after


def test_wrong_passwords_lock_the_account_then_429_even_with_the_right_one(
    tenancy, password
) -> None:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    url = reverse("account_login")
    # At the start of a counting window, so the wait announced is most of the window.
    window = RULES["account_login"].per_account.seconds  # type: ignore[union-attr]
    aligned = (int(timezone.now().timestamp()) // window + 1) * window + 1
    with time_machine.travel(aligned, tick=False):
        for _ in range(RULES["account_login"].per_account.count):  # type: ignore[union-attr]
            wrong = client.post(url, {"login": "owner@alpha.test", "password": "wrong-password"})
            assert wrong.status_code == 200
        right = client.post(url, {"login": "owner@alpha.test", "password": password})
        retry_after = assert_429(right)
    assert retry_after > 60
    assert not Client().get(reverse("home")).wsgi_request.user.is_authenticated
    # Another account from the same address is not locked by these five.
    other = client.post(url, {"login": "teammate@alpha.test", "password": password})
    assert other.status_code == 302


def test_the_lock_ends_when_the_window_ends(tenancy, password) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    url = reverse("account_login")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            client.post(url, {"login": "owner@alpha.test", "password": "nope-nope"})
        assert (
            client.post(url, {"login": "owner@alpha.test", "password": password}).status_code == 429
        )
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        response = client.post(url, {"login": "owner@alpha.test", "password": password})
    assert response.status_code == 302


def test_successful_sign_ins_do_not_count(tenancy, password) -> None:  # type: ignore[no-untyped-def]
    url = reverse("account_login")
    for _ in range(8):
        client = Client()
        assert (
            client.post(url, {"login": "owner@alpha.test", "password": password}).status_code == 302
        )


def test_asking_for_sign_in_codes_is_limited_per_account(tenancy, smtp_server) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    url = reverse("account_request_login_code")
    for _ in range(3):
        assert client.post(url, {"email": "owner@alpha.test"}).status_code == 302
    assert_429(client.post(url, {"email": "owner@alpha.test"}))


def test_typing_wrong_codes_is_limited(tenancy, smtp_server) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    confirm = reverse("account_confirm_login_code")
    failures = 0
    # allauth allows 3 attempts per code: ask for a code for another person every third try.
    for email in (
        "owner@alpha.test",
        "teammate@alpha.test",
        "outsider@alpha.test",
        "ld@alpha.test",
    ):
        client.post(reverse("account_request_login_code"), {"email": email})
        for _ in range(3):
            if failures == 10:
                break
            response = client.post(confirm, {"code": "000000"})
            assert response.status_code in {200, 302}
            failures += 1
    assert failures == 10
    assert_429(client.post(confirm, {"code": "000000"}))


def test_password_reset_requests_are_limited_per_account(tenancy) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    url = reverse("account_reset_password")
    for _ in range(3):
        assert client.post(url, {"email": "owner@alpha.test"}).status_code == 302
    assert_429(client.post(url, {"email": "owner@alpha.test"}))


def test_guessing_invitation_tokens_is_limited(db) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for n in range(20):
        response = client.get(reverse("accept_invitation", args=[f"guess-{n}"]))
        assert response.status_code in {404, 410}
    assert_429(client.get(reverse("accept_invitation", args=["guess-final"])))


def test_guessing_unsubscribe_tokens_is_limited(db) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for n in range(20):
        assert client.get(reverse("notify_unsubscribe", args=[f"bad-{n}"])).status_code == 404
    assert_429(client.get(reverse("notify_unsubscribe", args=["bad-final"])))


def test_wrong_lrs_credentials_are_limited_and_answered_in_json(db) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    token = base64.b64encode(b"nobody:wrong").decode()
    headers = {"Authorization": f"Basic {token}", "X-Experience-API-Version": "2.0.0"}
    for _ in range(30):
        assert client.get("/xapi/statements", headers=headers).status_code == 401
    assert_429(client.get("/xapi/statements", headers=headers), api=True)


def test_wrong_api_keys_are_limited_and_answered_in_json(db) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    headers = {"Authorization": "Bearer anc_nope_wrong"}
    for _ in range(30):
        assert client.get("/api/licences", headers=headers).status_code == 401
    assert_429(client.get("/api/licences", headers=headers), api=True)


def test_each_client_address_has_its_own_counter(db) -> None:  # type: ignore[no-untyped-def]
    for n in range(20):
        Client(REMOTE_ADDR="10.0.0.1").get(reverse("notify_unsubscribe", args=[f"x{n}"]))
    assert (
        Client(REMOTE_ADDR="10.0.0.1").get(reverse("notify_unsubscribe", args=["y"])).status_code
        == 429
    )
    assert (
        Client(REMOTE_ADDR="10.0.0.2").get(reverse("notify_unsubscribe", args=["y"])).status_code
        == 404
    )


def test_behind_a_trusted_proxy_the_forwarded_address_counts(db, settings) -> None:  # type: ignore[no-untyped-def]
    settings.RATELIMIT_TRUSTED_PROXIES = 1
    for n in range(20):
        Client(HTTP_X_FORWARDED_FOR="203.0.113.9").get(
            reverse("notify_unsubscribe", args=[f"x{n}"])
        )
    blocked = Client(HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert blocked.get(reverse("notify_unsubscribe", args=["y"])).status_code == 429
    other = Client(HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert other.get(reverse("notify_unsubscribe", args=["y"])).status_code == 404


def test_allauth_own_limits_answer_with_retry_after(rf) -> None:  # type: ignore[no-untyped-def]
    request = rf.get("/accounts/login/")
    response = allauth_429(request)
    assert_429(response)
    assert response["Retry-After"] == "60"


def test_the_429_page_is_french_by_default(db) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for n in range(20):
        client.get(reverse("notify_unsubscribe", args=[f"x{n}"]))
    with translation.override("fr"):
        response = Client(HTTP_ACCEPT_LANGUAGE="fr").get(reverse("notify_unsubscribe", args=["y"]))
    assert response.status_code == 429
    assert response["Retry-After"]


@pytest.mark.parametrize(
    ("name", "method", "allowed"),
    [
        ("habits_ritual_link", "get", 20),
        ("lti13_handover", "get", 20),
        ("exports_events", "post", 30),
        ("exports_licence", "get", 120),  # always answers 200: every request counts
    ],
)
def test_guessing_the_other_token_links_is_limited(db, name, method, allowed) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for n in range(allowed):
        getattr(client, method)(reverse(name, args=[f"bad-{n}"]))
    assert_429(getattr(client, method)(reverse(name, args=["bad-final"])))


def _as_worker(monkeypatch, seen: dict) -> None:  # type: ignore[no-untyped-def,type-arg]
    """Run what follows as another process: its own knowledge of the counters."""
    monkeypatch.setattr(ratelimit, "_SEEN", seen)


def test_failures_counted_by_one_worker_lock_the_others_within_a_second(db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    wrong = {"Authorization": "Basic " + base64.b64encode(b"nobody:wrong").decode()}
    headers = {"X-Experience-API-Version": "2.0.0"}
    worker_a: dict = {}  # type: ignore[type-arg]
    worker_b: dict = {}  # type: ignore[type-arg]
    start = (int(timezone.now().timestamp()) // 60 + 1) * 60 + 1
    with time_machine.travel(start, tick=False):
        _as_worker(monkeypatch, worker_b)
        assert Client().get("/xapi/about", headers=headers).status_code == 200
        _as_worker(monkeypatch, worker_a)
        for _ in range(30):
            assert Client().get("/xapi/about", headers=headers | wrong).status_code == 401
        assert_429(Client().get("/xapi/about", headers=headers), api=True)
    with time_machine.travel(start + 0.5, tick=False):
        # Worker B read the count half a second ago: it may still let a request through …
        _as_worker(monkeypatch, worker_b)
        assert Client().get("/xapi/about", headers=headers).status_code == 200
    with time_machine.travel(start + 1.5, tick=False):
        # … and refuses every request once its knowledge is a second old.
        retry_after = assert_429(Client().get("/xapi/about", headers=headers), api=True)
    assert 55 <= retry_after <= 59


def test_a_failure_is_added_at_once_and_locks_the_worker_that_saw_it(db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    wrong = {"Authorization": "Basic " + base64.b64encode(b"nobody:wrong").decode()}
    headers = {"X-Experience-API-Version": "2.0.0"}
    start = (int(timezone.now().timestamp()) // 60 + 1) * 60 + 1
    with time_machine.travel(start, tick=False):
        _as_worker(monkeypatch, {})
        for _ in range(29):
            Client().get("/xapi/about", headers=headers | wrong)
        _as_worker(monkeypatch, {})
        assert Client().get("/xapi/about", headers=headers).status_code == 200
        assert Client().get("/xapi/about", headers=headers | wrong).status_code == 401
        assert_429(Client().get("/xapi/about", headers=headers), api=True)


def test_requests_are_added_in_batches_and_every_worker_stops_near_the_limit(
    monkeypatch,
) -> None:  # type: ignore[no-untyped-def]
    counter = ratelimit.Counter("busy", ratelimit.Limit(4000, 60))  # batches of 20
    cache_ops = []
    real_incr = caches[ratelimit.CACHE_ALIAS].incr
    monkeypatch.setattr(
        caches[ratelimit.CACHE_ALIAS],
        "incr",
        lambda key, delta=1, version=None: cache_ops.append(delta) or real_incr(key, delta),
    )
    workers: list[dict] = [{}, {}]  # type: ignore[type-arg]
    start = (int(timezone.now().timestamp()) // 60 + 1) * 60 + 1
    passed = 0
    refused_by = set()
    with time_machine.travel(start, tick=False):
        for n in range(4200):
            worker = n % 2
            _as_worker(monkeypatch, workers[worker])
            count, _ = counter.add_request(ratelimit.time.time())
            if count > 4000:
                refused_by.add(worker)
            else:
                passed += 1
            if passed == 3900 and worker:
                far_from_the_limit = len(cache_ops)
    assert refused_by == {0, 1}
    assert 4000 <= passed < 4000 + 2 * 20  # over by less than a batch per worker
    assert far_from_the_limit <= 3900 / 20 + 2  # one cache addition per 20 requests
