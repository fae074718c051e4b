"""Our key pair and its rotation (the JWKS publishes current + previous), and the one-time
new-window handover."""

from datetime import timedelta
from typing import Any

import jwt
import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from jwt.algorithms import RSAAlgorithm

from ancrage.exports.lti13 import keys
from ancrage.exports.lti13.actions import issue_handover, redeem_handover
from ancrage.exports.lti13.jobs import purge
from ancrage.exports.lti13.models import Handover

pytestmark = pytest.mark.django_db


def _kids(client: Any) -> list[str]:
    response = client.get("/lti/jwks/")
    assert response.status_code == 200
    return [key["kid"] for key in response.json()["keys"]]


def test_the_jwks_publishes_the_current_and_the_previous_key(client: Any) -> None:
    first = keys.current_key()
    assert _kids(client) == [first.kid]
    call_command("lti_rotate_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    second = keys.current_key()
    assert _kids(client) == [second.kid, first.kid]
    third = keys.rotate_keys()
    assert _kids(client) == [third.kid, second.kid]  # the first is retired


def test_our_signature_verifies_with_the_published_key(client: Any) -> None:
    token = keys.sign({"iss": "ancrage-tool", "aud": "https://lms.example"})
    kid = jwt.get_unverified_header(token)["kid"]
    published = next(k for k in client.get("/lti/jwks/").json()["keys"] if k["kid"] == kid)
    claims = jwt.decode(
        token,
        RSAAlgorithm.from_jwk(published),
        algorithms=["RS256"],
        audience="https://lms.example",
    )
    assert claims["iss"] == "ancrage-tool"


def test_a_handover_signs_in_once_and_not_after_it_expires(tenancy: Any, client: Any) -> None:
    token = issue_handover(membership=tenancy.owner, next_url="/play/")
    assert redeem_handover(token=token) is not None
    assert redeem_handover(token=token) is None
    late = issue_handover(membership=tenancy.owner, next_url="/play/")
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert redeem_handover(token=late) is None
    assert redeem_handover(token=late[:-2] + "xx") is None
    assert client.get(f"/lti/continue/{token}/").status_code == 400


def test_the_session_check_tells_whether_the_cookie_stuck(tenancy: Any, client: Any) -> None:
    assert client.get("/lti/session/").json() == {"signed_in": False, "member": ""}
    signed_in = tenancy.client_for(tenancy.owner).get("/lti/session/").json()
    assert signed_in == {"signed_in": True, "member": str(tenancy.owner.pk)}


def test_expired_one_time_rows_are_purged_a_day_later(tenancy: Any) -> None:
    issue_handover(membership=tenancy.owner, next_url="/play/")
    assert purge(timezone.now()) == "0 expired LTI row(s) removed"
    assert purge(timezone.now() + timedelta(days=2)) == "1 expired LTI row(s) removed"
    assert not Handover.objects.exists()
