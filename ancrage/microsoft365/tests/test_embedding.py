"""Framing: the tab pages, the player and the path page may be framed by Microsoft 365 and
the organisation's own hosts; every other page still refuses framing. Framing hosts are
validated. The popup sign-in token is one-time, short-lived, and its session cookie is
partitioned."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ancrage.licensing.tests.factories import make_licence, make_path
from ancrage.microsoft365.actions import ensure_microsoft365_settings, save_embed_hosts
from ancrage.microsoft365.embedding.actions import (
    FramedSignInError,
    redeem_framed_sign_in,
    start_framed_sign_in,
)
from ancrage.microsoft365.embedding.hosts import MICROSOFT_365_FRAME_ANCESTORS
from ancrage.microsoft365.embedding.middleware import FRAMED_SESSION_COOKIE

pytestmark = pytest.mark.django_db


def _ancestors(response) -> list[str]:
    policy = response["Content-Security-Policy"]
    [directive] = [d.strip() for d in policy.split(";") if d.strip().startswith("frame-ancestors")]
    return directive.split()[1:]


@pytest.fixture
def config(tenancy):
    config = ensure_microsoft365_settings(organisation=tenancy.org_a)
    save_embed_hosts(config=config, hosts=["lms.alpha.example", "*.intranet.alpha.example"])
    return config


def test_the_personal_tab_may_be_framed_by_microsoft_365_and_the_org_hosts(config):
    response = Client().get(reverse("microsoft365_personal_tab", args=[config.teams_app_id]))

    assert response.status_code == 200
    ancestors = _ancestors(response)
    for host in MICROSOFT_365_FRAME_ANCESTORS:
        assert host in ancestors
    assert "https://lms.alpha.example" in ancestors
    assert "https://*.intranet.alpha.example" in ancestors
    assert "https://teams.microsoft.com" in ancestors
    assert "https://*.cloud.microsoft" in ancestors
    assert "X-Frame-Options" not in response


def test_another_organisations_hosts_are_not_allowed(config, tenancy):
    other = ensure_microsoft365_settings(organisation=tenancy.org_b)
    response = Client().get(reverse("microsoft365_personal_tab", args=[other.teams_app_id]))
    assert "https://lms.alpha.example" not in _ancestors(response)


def test_the_player_and_path_page_are_frameable_for_the_members_organisation(config, tenancy):
    client = tenancy.client_for(tenancy.owner)
    response = client.get(reverse("player", args=["unknown-path"]))
    assert "https://lms.alpha.example" in _ancestors(response)
    assert "X-Frame-Options" not in response
    make_path("ecoute-active")
    make_licence(tenancy.org_a)
    response = client.get(reverse("licensing_path", args=["ecoute-active"]))
    assert response.status_code == 200
    assert "https://teams.microsoft.com" in _ancestors(response)


@pytest.mark.parametrize("name", ["home", "microsoft365_settings", "notify_teams_channels"])
def test_every_other_page_still_refuses_framing(config, tenancy, name):
    response = tenancy.client_for(tenancy.admin).get(reverse(name))
    assert _ancestors(response) == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


def test_an_unknown_app_id_is_a_404():
    assert Client().get("/microsoft365/tabs/not-a-uuid/personal/").status_code == 404
    assert (
        Client()
        .get(reverse("microsoft365_personal_tab", args=["00000000-0000-0000-0000-000000000000"]))
        .status_code
        == 404
    )


@pytest.mark.parametrize(
    "bad",
    [
        "https://lms.example.com",
        "lms.example.com/path",
        "lms.example.com:8443",
        "*",
        "*.com",
        "exa mple.com",
        "-bad.example.com",
    ],
)
def test_bad_embed_hosts_are_refused_with_a_reason(config, bad):
    with pytest.raises(ValidationError) as error:
        save_embed_hosts(config=config, hosts=[bad])
    assert bad.strip() in " ".join(error.value.messages)


def test_the_admin_page_explains_a_bad_host_and_keeps_the_good_ones(config, tenancy):
    client = tenancy.client_for(tenancy.admin)
    response = client.post(
        reverse("microsoft365_settings"), {"embed_hosts": "ok.example.com\nhttps://bad.example"}
    )
    assert response.status_code == 400
    assert "https://" in response.content.decode()
    config.refresh_from_db()
    assert config.embed_hosts == ["lms.alpha.example", "*.intranet.alpha.example"]

    response = client.post(
        reverse("microsoft365_settings"), {"embed_hosts": "LMS.Example.com\n\nÉcole.example"}
    )
    assert response.status_code == 302
    config.refresh_from_db()
    assert config.embed_hosts == ["lms.example.com", "xn--cole-9oa.example"]


def test_a_sign_in_token_works_once(tenancy):
    token = start_framed_sign_in(user=tenancy.owner.user)
    assert redeem_framed_sign_in(token=token) == tenancy.owner.user
    with pytest.raises(FramedSignInError):
        redeem_framed_sign_in(token=token)


def test_a_sign_in_token_expires(tenancy, settings):
    token = start_framed_sign_in(user=tenancy.owner.user)
    later = timezone.now() + timedelta(seconds=settings.EMBED_SIGN_IN_SECONDS + 1)
    with pytest.raises(FramedSignInError):
        redeem_framed_sign_in(token=token, now=later)


def test_a_forged_token_is_refused(tenancy):
    token = start_framed_sign_in(user=tenancy.owner.user)
    response = Client().post(reverse("microsoft365_exchange"), {"token": token[:-2] + "xx"})
    assert response.status_code == 400


def test_the_popup_hands_a_token_to_our_origin_only(tenancy):
    client = tenancy.client_for(tenancy.owner)
    response = client.get(reverse("microsoft365_sign_in_popup"))
    page = response.content.decode()
    assert 'data-embed-origin="http://testserver"' in page
    assert response["Cross-Origin-Opener-Policy"] == "unsafe-none"


def test_the_popup_sends_a_stranger_to_sign_in_first():
    response = Client().get(reverse("microsoft365_sign_in_popup"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert response["Cross-Origin-Opener-Policy"] == "unsafe-none"


def test_the_exchange_opens_a_partitioned_session(config, tenancy):
    token = start_framed_sign_in(user=tenancy.owner.user)
    framed = Client()
    response = framed.post(
        reverse("microsoft365_exchange"), {"token": token}, HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 200
    cookie_header = response.cookies[FRAMED_SESSION_COOKIE].output()
    assert "SameSite=None; Partitioned" in cookie_header
    assert "Secure" in cookie_header
    assert "sessionid" not in response.cookies

    tab = framed.get(reverse("microsoft365_personal_tab", args=[config.teams_app_id]))
    assert "Léa" in tab.content.decode()


def test_the_exchange_refuses_another_origin(tenancy):
    token = start_framed_sign_in(user=tenancy.owner.user)
    response = Client().post(
        reverse("microsoft365_exchange"), {"token": token}, HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 403
