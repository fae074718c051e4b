"""The card endpoint's lane (config/wsgi.py → player.fastpath) answers exactly like the full
stack: the same status, headers and body when it serves a card itself, and every other
request — each refusal — handed to the full stack. Its one SQL statement settles the
entitlement only when check_entitlement says yes, and nothing is remembered that would
outlive a suspended licence, a released seat or a password change."""

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, close_old_connections
from django.test import Client
from django.utils import timezone

from ancrage.catalog.actions import retire_version
from ancrage.catalog.models import PathVersion, VersionStatus
from ancrage.common.ratelimit import RULES
from ancrage.licensing.actions import suspend_licence
from ancrage.licensing.entitlements import check_entitlement
from ancrage.licensing.models import Licence, LicenceStatus, Offer, OfferKind, Seat
from ancrage.microsoft365.embedding.middleware import (
    FRAMED_CSRF_COOKIE,
    FRAMED_SESSION_COOKIE,
    POPUP_COOKIE,
)
from ancrage.player import queries
from ancrage.player.bundle import Bundle
from ancrage.player.fastpath import CARD_PATH, CardLane, with_card_lane
from ancrage.player.models import Enrolment
from ancrage.player.tests.conftest import CODE
from ancrage.tenancy.models import MembershipStatus


@dataclass
class Answer:
    status: str
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


def _environ(path: str, cookies: dict[str, str], **extra: str) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "testserver",
        "HTTP_COOKIE": "; ".join(f"{name}={value}" for name, value in cookies.items()),
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        **extra,
    }


def _run(application: Any, environ: dict[str, Any]) -> Answer:
    started: list[tuple[str, list[tuple[str, str]]]] = []
    # Like django.test.Client: keep the test's database connection open across the request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        result = application(dict(environ), lambda s, h, e=None: started.append((s, h)))
        body = b"".join(result)
        getattr(result, "close", lambda: None)()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    status, headers = started[0]
    return Answer(status, sorted((k.lower(), v) for k, v in headers), body)


class Lane:
    """A fresh lane over a fresh full stack (both read the test's settings), counting what
    the lane hands over."""

    def __init__(self) -> None:
        self.full = WSGIHandler()
        self.handed_over = 0
        self.lane = CardLane(self._full)

    def _full(self, environ: dict[str, Any], start_response: Any) -> Any:
        self.handed_over += 1
        return self.full(environ, start_response)

    def get(self, path: str, cookies: dict[str, str], **extra: str) -> Answer:
        self.handed_over = 0
        return _run(self.lane, _environ(path, cookies, **extra))

    def full_stack(self, path: str, cookies: dict[str, str], **extra: str) -> Answer:
        return _run(self.full, _environ(path, cookies, **extra))


def _session(client: Client) -> dict[str, str]:
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


def _card(bundle: Bundle, index: int = 1) -> str:
    return f"/play/{CODE}/cards/{bundle.order[index]}"


def test_only_plain_card_reads_take_the_lane() -> None:
    assert CARD_PATH.match(f"/play/{CODE}/cards/module-1.1")
    assert not CARD_PATH.match(f"/play/{CODE}/events")
    assert not CARD_PATH.match(f"/play/{CODE}/")
    assert not CARD_PATH.match(f"/play/{CODE}/cards/a%2Fb")
    assert not CARD_PATH.match(f"/play/{CODE}/cards/é")


def test_the_project_s_wsgi_application_serves_cards_through_the_lane(
    owner_client: Client, enrolment: Enrolment, bundle: Bundle, monkeypatch: Any
) -> None:
    from config.wsgi import application

    served: list[str] = []
    serve = CardLane.serve

    def spy(self: CardLane, environ: Any, *args: Any) -> Any:
        body = serve(self, environ, *args)
        served.append(environ["PATH_INFO"])
        return body

    monkeypatch.setattr(CardLane, "serve", spy)
    answer = _run(application, _environ(_card(bundle), _session(owner_client)))
    assert (answer.status, served) == ("200 OK", [_card(bundle)])


def test_no_rate_limit_names_the_card_endpoint() -> None:
    # The lane answers before RateLimitMiddleware: a rule for it would have to move there.
    assert "player_card" not in RULES
    assert "player:*" not in RULES


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param({}, id="plain"),
        pytest.param({"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.8"}, id="english"),
        pytest.param({"wsgi.url_scheme": "https"}, id="https"),
        pytest.param({"QUERY_STRING": "x=1"}, id="query-string"),
    ],
)
def test_the_lane_serves_a_card_exactly_like_the_full_stack(
    owner_client: Client, enrolment: Enrolment, bundle: Bundle, settings: Any, extra: Any
) -> None:
    settings.SECURE_HSTS_SECONDS = 3600
    lane = Lane()
    cookies = {**_session(owner_client), settings.CSRF_COOKIE_NAME: "a" * 32}
    for index in (0, 1, 2, len(bundle.order) - 1):  # first, last: "previous"/"next" are null
        served = lane.get(_card(bundle, index), cookies, **extra)
        assert lane.handed_over == 0
        assert served == lane.full_stack(_card(bundle, index), cookies, **extra)
        assert served.status == "200 OK"
        assert served.json["card"]["key"] == bundle.order[index]
    names = {name for name, _value in served.headers}
    assert {"content-security-policy", "x-frame-options", "x-content-type-options"} <= names
    assert {"referrer-policy", "cross-origin-opener-policy", "vary", "content-language"} <= names
    assert ("strict-transport-security" in names) == (extra.get("wsgi.url_scheme") == "https")


def test_the_lane_serves_the_progress_recorded_on_the_card(
    owner_client: Client, enrolment: Enrolment, bundle: Bundle, post_events: Any
) -> None:
    from ancrage.player.tests.conftest import event

    quiz = next(k for k in bundle.order if bundle.cards[k].type == "quiz")
    post_events(owner_client, [event("answered", quiz, response={"choices": [0]})])
    lane = Lane()
    path = f"/play/{CODE}/cards/{quiz}"
    served = lane.get(path, _session(owner_client))
    assert lane.handed_over == 0
    assert served == lane.full_stack(path, _session(owner_client))
    assert served.json["progress"]["attempts"] == 1


def test_a_framed_page_s_partitioned_session_is_served_like_the_full_stack(
    owner_client: Client, enrolment: Enrolment, bundle: Bundle
) -> None:
    lane = Lane()
    framed = {
        FRAMED_SESSION_COOKIE: owner_client.cookies[settings.SESSION_COOKIE_NAME].value,
        FRAMED_CSRF_COOKIE: "b" * 32,
    }
    served = lane.get(_card(bundle), framed)
    assert lane.handed_over == 0
    assert served == lane.full_stack(_card(bundle), framed)
    # The sign-in popup changes Cross-Origin-Opener-Policy: the full stack answers it.
    lane.get(_card(bundle), {**framed, POPUP_COOKIE: "1"})
    assert lane.handed_over == 1


def test_sessions_in_the_cache_and_the_database_are_served_too(
    tenancy: Any, enrolment: Enrolment, bundle: Bundle, settings: Any
) -> None:
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client = tenancy.client_for(tenancy.owner)
    lane = Lane()
    served = lane.get(_card(bundle), _session(client))
    assert lane.handed_over == 0
    assert served == lane.full_stack(_card(bundle), _session(client))


def test_https_behind_a_proxy_and_the_redirect_to_https_are_django_s(
    owner_client: Client, enrolment: Enrolment, bundle: Bundle, settings: Any
) -> None:
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    lane = Lane()
    proxied = {"HTTP_X_FORWARDED_PROTO": "https"}
    served = lane.get(_card(bundle), _session(owner_client), **proxied)
    assert lane.handed_over == 0
    assert served == lane.full_stack(_card(bundle), _session(owner_client), **proxied)
    assert "strict-transport-security" in dict(served.headers)
    plain = lane.get(_card(bundle), _session(owner_client))
    assert (plain.status, lane.handed_over) == ("301 Moved Permanently", 1)


@pytest.mark.parametrize(
    ("cookies", "extra", "status"),
    [
        pytest.param({}, {}, "401", id="no-session"),
        pytest.param({"sessionid": "not-a-session-key"}, {}, "401", id="unknown-session"),
        pytest.param(None, {"HTTP_HOST": "evil.example"}, "400", id="host-not-allowed"),
        pytest.param(None, {"REQUEST_METHOD": "HEAD"}, "405", id="head"),
        pytest.param({"csrftoken": "bad!"}, {}, "200", id="malformed-csrf-cookie"),
    ],
)
def test_unusual_requests_are_answered_by_the_full_stack(
    owner_client: Client,
    enrolment: Enrolment,
    bundle: Bundle,
    cookies: Any,
    extra: Any,
    status: str,
) -> None:
    lane = Lane()
    sent = _session(owner_client) if cookies is None else cookies
    if "csrftoken" in sent:
        sent = {**_session(owner_client), **sent}
    answer = lane.get(_card(bundle), sent, **extra)
    assert lane.handed_over == 1
    assert answer.status.startswith(status)


def test_a_database_error_in_the_lane_is_answered_by_the_full_stack(
    owner_client: Client, enrolment: Enrolment, bundle: Bundle, monkeypatch: Any
) -> None:
    def dropped(self: CardLane, session_key: str) -> Any:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(CardLane, "load", dropped)
    lane = Lane()
    answer = lane.get(_card(bundle), _session(owner_client))
    assert (answer.status, lane.handed_over) == ("200 OK", 1)
    assert answer == lane.full_stack(_card(bundle), _session(owner_client))


def test_refusals_come_from_the_full_stack_with_their_reason(
    tenancy: Any, owner_client: Client, enrolment: Enrolment, bundle: Bundle
) -> None:
    lane = Lane()
    not_in_version = lane.get(f"/play/{CODE}/cards/no-such-module.1", _session(owner_client))
    assert (not_in_version.status, lane.handed_over) == ("404 Not Found", 1)
    assert not_in_version.json["reason"] == "card_not_in_version"
    for stranger in (tenancy.teammate, tenancy.other):  # same organisation, another one
        answer = lane.get(_card(bundle), _session(tenancy.client_for(stranger)))
        assert (answer.status, lane.handed_over) == ("404 Not Found", 1)
        assert answer.json["reason"] == "not_found"
    unknown = lane.get(f"/play/NO-SUCH-PATH/cards/{bundle.order[0]}", _session(owner_client))
    assert unknown.status == "404 Not Found"


def test_a_password_change_signs_the_other_sessions_out_at_once(
    tenancy: Any, owner_client: Client, enrolment: Enrolment, bundle: Bundle
) -> None:
    lane = Lane()
    assert lane.get(_card(bundle), _session(owner_client)).status == "200 OK"
    user = tenancy.owner.user
    user.set_password("a-brand-new-password-42")
    user.save()
    answer = lane.get(_card(bundle), _session(owner_client))
    assert (answer.status, lane.handed_over) == ("401 Unauthorized", 1)
    assert answer.json["reason"] == "not_signed_in"


def test_a_session_s_hash_is_checked_even_for_an_empty_password_field(
    tenancy: Any, owner_client: Client, enrolment: Enrolment, bundle: Bundle
) -> None:
    type(tenancy.owner.user).objects.filter(pk=tenancy.owner.user.pk).update(password="")
    lane = Lane()  # first sight of this session, after the change
    answer = lane.get(_card(bundle), _session(owner_client))
    assert (answer.status, lane.handed_over) == ("401 Unauthorized", 1)


def test_an_inactive_user_and_a_signed_out_session_are_refused_at_once(
    tenancy: Any, owner_client: Client, enrolment: Enrolment, bundle: Bundle
) -> None:
    lane = Lane()
    assert lane.get(_card(bundle), _session(owner_client)).status == "200 OK"
    tenancy.owner.user.is_active = False
    tenancy.owner.user.save()
    assert lane.get(_card(bundle), _session(owner_client)).status == "401 Unauthorized"
    tenancy.owner.user.is_active = True
    tenancy.owner.user.save()
    assert lane.get(_card(bundle), _session(owner_client)).status == "200 OK"
    cookies = _session(owner_client)
    owner_client.logout()
    assert not Session.objects.exists()
    assert lane.get(_card(bundle), cookies).status == "401 Unauthorized"


def test_an_expired_session_is_refused(
    owner_client: Client, enrolment: Enrolment, bundle: Bundle
) -> None:
    lane = Lane()
    assert lane.get(_card(bundle), _session(owner_client)).status == "200 OK"
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    answer = lane.get(_card(bundle), _session(owner_client))
    assert (answer.status, lane.handed_over) == ("401 Unauthorized", 1)


def _suspend(licence: Licence) -> None:
    suspend_licence(by=None, licence=licence, reason="unpaid")


def _expire(licence: Licence) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    Licence.objects.filter(pk=licence.pk).update(
        starts_on=yesterday - timedelta(days=30), ends_on=yesterday
    )


@pytest.mark.parametrize(
    ("change", "reason"), [(_suspend, "licence_suspended"), (_expire, "licence_expired")]
)
def test_a_licence_no_longer_in_effect_refuses_the_next_card(
    owner_client: Client,
    enrolment: Enrolment,
    bundle: Bundle,
    licensed: Licence,
    change: Callable[[Licence], None],
    reason: str,
) -> None:
    lane = Lane()
    assert lane.get(_card(bundle), _session(owner_client)).status == "200 OK"
    change(licensed)
    answer = lane.get(_card(bundle), _session(owner_client))
    assert (answer.status, lane.handed_over) == ("403 Forbidden", 1)
    assert answer.json["reason"] == reason


def test_a_deactivated_membership_is_refused_at_once(
    tenancy: Any, owner_client: Client, enrolment: Enrolment, bundle: Bundle
) -> None:
    lane = Lane()
    assert lane.get(_card(bundle), _session(owner_client)).status == "200 OK"
    tenancy.owner.status = MembershipStatus.DEACTIVATED
    tenancy.owner.save()
    answer = lane.get(_card(bundle), _session(owner_client))
    assert (answer.status, lane.handed_over) == ("404 Not Found", 1)


def test_a_released_seat_hands_the_card_to_the_entitlement(
    tenancy: Any, owner_client: Client, enrolment: Enrolment, bundle: Bundle
) -> None:
    lane = Lane()
    held = lane.get(_card(bundle), _session(owner_client))
    Seat.objects.filter(membership=tenancy.owner).update(released_at=timezone.now())
    again = lane.get(_card(bundle), _session(owner_client))
    # Seats are left: check_entitlement says yes (opening would take one) — same card.
    assert (again, lane.handed_over) == (held, 1)


def _retire(enrolment: Enrolment) -> None:
    retire_version(version=PathVersion.objects.get(pk=enrolment.path_version_id), by=None)


def _draft(enrolment: Enrolment) -> None:
    # Not a move the catalogue allows; the SQL must still refuse it.
    PathVersion._base_manager.filter(pk=enrolment.path_version_id).update(
        status=VersionStatus.DRAFT
    )


def _not_started(licence: Licence) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    Licence.objects.filter(pk=licence.pk).update(
        starts_on=tomorrow, ends_on=tomorrow + timedelta(days=30)
    )


def _a_la_carte_without_the_path(licence: Licence) -> None:
    offer = Offer.objects.create(code="alc", name="À la carte", kind=OfferKind.A_LA_CARTE)
    Licence.objects.filter(pk=licence.pk).update(offer=offer)


SCENARIOS = {
    "holding-a-seat": (lambda e, lic, m: None, True),
    "retired-version": (lambda e, lic, m: _retire(e), True),
    "draft-version": (lambda e, lic, m: _draft(e), False),
    "suspended": (
        lambda e, lic, m: Licence.objects.filter(pk=lic.pk).update(status="suspended"),
        False,
    ),
    "marked-expired": (
        lambda e, lic, m: Licence.objects.filter(pk=lic.pk).update(status=LicenceStatus.EXPIRED),
        False,
    ),
    "not-started": (lambda e, lic, m: _not_started(lic), False),
    "a-la-carte-without-the-path": (lambda e, lic, m: _a_la_carte_without_the_path(lic), False),
    "seat-released": (
        lambda e, lic, m: Seat.objects.filter(membership=m).update(released_at=timezone.now()),
        False,
    ),
    "licence-of-another-organisation": (
        lambda e, lic, m: Seat.objects.filter(membership=m).update(
            licence=Licence.objects.exclude(pk=lic.pk).get()
        ),
        False,
    ),
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_seat_shortcut_says_yes_only_when_the_entitlement_does(
    tenancy: Any, enrolment: Enrolment, bundle: Bundle, licensed: Licence, scenario: str
) -> None:
    change, seated = SCENARIOS[scenario]
    change(enrolment, licensed, tenancy.owner)
    row = queries.card_row(user_id=tenancy.owner.user_id, code=CODE, key=bundle.order[0])
    assert row is not None
    assert row.seated is seated
    enrolment = Enrolment.objects.select_related("path_version", "membership").get(pk=enrolment.pk)
    answer = check_entitlement(membership=enrolment.membership, path_version=enrolment.path_version)
    assert answer.allowed or not row.seated


def test_the_lane_stands_aside_when_its_answers_could_differ(settings: Any) -> None:
    def full(environ: Any, start_response: Any) -> Any:
        return []

    assert isinstance(with_card_lane(full), CardLane)
    settings.SESSION_SAVE_EVERY_REQUEST = True
    assert with_card_lane(full) is full
    settings.SESSION_SAVE_EVERY_REQUEST = False
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    assert with_card_lane(full) is full
