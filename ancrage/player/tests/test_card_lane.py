"""The card endpoint's lean lane (config/wsgi.py → player.fastpath): the same answers as the
full stack, and Django's session rules (password change, inactive user) still hold."""

import io
import json
from typing import Any

from django.conf import settings
from django.core import signals
from django.db import close_old_connections
from django.test import Client

from ancrage.player.bundle import Bundle
from ancrage.player.fastpath import CARD_PATH
from ancrage.player.models import Enrolment
from ancrage.player.tests.conftest import CODE


def _call(path: str, cookie: str) -> tuple[str, Any]:
    from config.wsgi import application

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={cookie}",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
    }
    status: list[str] = []
    # Like django.test.Client: keep the test's database connection open across the request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        result = application(environ, lambda s, h, e=None: status.append(s))
        body = b"".join(result)
        result.close()  # type: ignore[attr-defined]
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return status[0], json.loads(body)


def _cookie(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_only_card_reads_take_the_lean_lane() -> None:
    assert CARD_PATH.match(f"/play/{CODE}/cards/module.1")
    assert not CARD_PATH.match(f"/play/{CODE}/events")
    assert not CARD_PATH.match(f"/play/{CODE}/")


def test_the_lean_lane_serves_the_card_like_the_full_stack(
    owner_client: Client, enrolment: Enrolment, bundle: Bundle
) -> None:
    path = f"/play/{CODE}/cards/{bundle.order[2]}"
    status, lean = _call(path, _cookie(owner_client))
    assert status.startswith("200")
    assert lean == owner_client.get(path).json()


def test_a_password_change_signs_other_sessions_out_of_the_lean_lane(
    tenancy: Any, owner_client: Client, enrolment: Enrolment, bundle: Bundle
) -> None:
    cookie = _cookie(owner_client)
    user = tenancy.owner.user
    user.set_password("a-brand-new-password-42")
    user.save()
    status, body = _call(f"/play/{CODE}/cards/{bundle.order[0]}", cookie)
    assert status.startswith("401")
    assert body["reason"] == "not_signed_in"


def test_an_inactive_user_is_refused_by_the_lean_lane(
    tenancy: Any, owner_client: Client, enrolment: Enrolment, bundle: Bundle
) -> None:
    cookie = _cookie(owner_client)
    tenancy.owner.user.is_active = False
    tenancy.owner.user.save()
    status, _body = _call(f"/play/{CODE}/cards/{bundle.order[0]}", cookie)
    assert status.startswith("401")


def test_a_card_of_a_path_i_did_not_start_is_not_found(
    tenancy: Any, enrolment: Enrolment, bundle: Bundle
) -> None:
    other = tenancy.client_for(tenancy.teammate)
    status, _body = _call(f"/play/{CODE}/cards/{bundle.order[0]}", _cookie(other))
    assert status.startswith("404")
