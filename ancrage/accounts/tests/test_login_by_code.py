"""Signing in with a code emailed through real SMTP; an invited person joins by doing so."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache, caches
from django.urls import reverse
from django.utils import timezone

from ancrage.accounts.models import Invitation
from ancrage.accounts.tests.helpers import invite_nina, link_path
from ancrage.audit.models import Action, AuditEntry
from ancrage.common.ratelimit import forget_counts
from ancrage.tenancy.models import Membership, MembershipStatus

pytestmark = pytest.mark.django_db

CODE = re.compile(r"^\s*([0-9]{6})\s*$", re.MULTILINE)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth counts code requests per IP in the cache; ours (this fixture replaces the root
    # one of the same name) live in the "ratelimit" cache.
    cache.clear()
    caches["ratelimit"].clear()
    forget_counts()
    yield
    cache.clear()


def _sign_in_by_code(client, smtp_server, email):
    response = client.post(reverse("account_request_login_code"), {"email": email})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("account_confirm_login_code")
    message = smtp_server.wait_for(to=email)
    match = CODE.search(smtp_server.text_body(message))
    assert match, smtp_server.text_body(message)
    return client.post(reverse("account_confirm_login_code"), {"code": match.group(1)})


def test_member_signs_in_with_a_code_received_by_smtp(client, tenancy, smtp_server):
    response = _sign_in_by_code(client, smtp_server, "owner@alpha.test")

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).wsgi_request.user == tenancy.owner.user


def test_wrong_code_does_not_sign_in(client, tenancy, smtp_server):
    client.post(reverse("account_request_login_code"), {"email": "owner@alpha.test"})
    smtp_server.wait_for(to="owner@alpha.test")

    response = client.post(reverse("account_confirm_login_code"), {"code": "WRONG1"})

    assert response.status_code != 302
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_invited_person_who_signs_in_by_code_becomes_active(
    client, tenancy, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite_nina(tenancy.ld_lead)
    path = link_path(smtp_server.wait_for(to="nina@alpha.test"))
    smtp_server.clear()

    response = _sign_in_by_code(client, smtp_server, "nina@alpha.test")

    assert response.status_code == 302
    membership = Membership.objects.get(pk=invitation.membership_id)
    assert membership.status == MembershipStatus.ACTIVE
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is not None
    home = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert home.wsgi_request.membership == membership
    client.logout()
    assert client.get(path).status_code == 410


def test_revoked_person_signing_in_by_code_stays_out(client, tenancy, smtp_server):
    invitation = invite_nina(tenancy.ld_lead)
    tenancy.client_for(tenancy.ld_lead).post(reverse("invitation_revoke", args=[invitation.pk]))

    _sign_in_by_code(client, smtp_server, "nina@alpha.test")

    membership = Membership.objects.get(pk=invitation.membership_id)
    assert membership.status == MembershipStatus.DEACTIVATED
    assert client.get(reverse("home")).wsgi_request.membership is None


# --- Refused codes are audited like wrong passwords, and still rate-limited -----------------


def _ask_for_code(client, smtp_server, email):
    client.post(reverse("account_request_login_code"), {"email": email})
    match = CODE.search(smtp_server.text_body(smtp_server.wait_for(to=email)))
    assert match
    return match.group(1)


def _failed_sign_ins():
    return list(AuditEntry.objects.filter(action=Action.SIGN_IN_FAILED).order_by("id"))


def _log_text():
    return json.dumps(list(AuditEntry.objects.values()), default=str)


def test_a_wrong_code_is_audited_without_any_code(client, tenancy, smtp_server):
    code = _ask_for_code(client, smtp_server, "owner@alpha.test")
    wrong = "999999" if code != "999999" else "888888"

    response = client.post(reverse("account_confirm_login_code"), {"code": wrong})

    assert response.status_code == 200
    (entry,) = _failed_sign_ins()
    assert entry.target_id == str(tenancy.owner.user_id)
    assert entry.organisation_id == tenancy.org_a.pk
    assert entry.details == {"known_account": True, "method": "code", "reason": "wrong_code"}
    assert code not in _log_text()
    assert wrong not in _log_text()
    assert "owner@alpha.test" not in _log_text()


def test_an_expired_code_is_audited(client, tenancy, smtp_server):
    code = _ask_for_code(client, smtp_server, "owner@alpha.test")

    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        response = client.post(reverse("account_confirm_login_code"), {"code": code})

    assert response.status_code == 302
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated
    (entry,) = _failed_sign_ins()
    assert entry.details["reason"] == "expired_code"
    assert entry.target_id == str(tenancy.owner.user_id)
    assert code not in _log_text()


def test_a_used_code_typed_again_is_audited(client, tenancy, smtp_server):
    code = _ask_for_code(client, smtp_server, "owner@alpha.test")
    assert client.post(reverse("account_confirm_login_code"), {"code": code}).status_code == 302
    client.logout()

    response = client.post(reverse("account_confirm_login_code"), {"code": code})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_request_login_code")
    (entry,) = _failed_sign_ins()
    assert entry.details == {"known_account": False, "method": "code", "reason": "no_pending_code"}
    assert code not in _log_text()


def test_a_code_for_an_unknown_address_is_audited_without_the_address(client, tenancy):
    client.post(reverse("account_request_login_code"), {"email": "nobody@alpha.test"})

    response = client.post(reverse("account_confirm_login_code"), {"code": "123456"})

    assert response.status_code == 200
    (entry,) = _failed_sign_ins()
    assert entry.details["known_account"] is False
    assert entry.organisation_id is None
    assert "nobody@alpha.test" not in _log_text()


def test_refused_codes_are_still_rate_limited_and_each_one_is_audited(
    client, tenancy, smtp_server, settings
):
    settings.ACCOUNT_RATE_LIMITS = False  # our own table (ancrage.common.ratelimit) alone
    refused = 0
    for email in ("owner@alpha.test", "teammate@alpha.test", "outsider@alpha.test"):
        client.post(reverse("account_request_login_code"), {"email": email})
        for _ in range(3):
            response = client.post(reverse("account_confirm_login_code"), {"code": "000000"})
            assert response.status_code in {200, 302}
            refused += 1
    client.post(reverse("account_request_login_code"), {"email": "ld@alpha.test"})
    response = client.post(reverse("account_confirm_login_code"), {"code": "000000"})
    refused += 1
    assert refused == 10

    assert client.post(reverse("account_confirm_login_code"), {"code": "000000"}).status_code == 429
    assert len(_failed_sign_ins()) == 10
