"""Credentials: organisation isolation, scopes, revocation, rotation and rate limits."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from ancrage.common import ratelimit
from ancrage.lrs.actions import revoke_credential, rotate_credential
from ancrage.lrs.models import LrsCredential, Statement
from ancrage.lrs.tests.conftest import Xapi, make_xapi, new_id, statement

pytestmark = pytest.mark.django_db


def test_a_key_of_organisation_b_cannot_read_organisation_a_statements(xapi, xapi_b):
    sid = new_id()
    xapi.post(statement(id=sid))
    assert xapi_b.get(statementId=sid).status_code == 404
    assert xapi_b.get().json()["statements"] == []
    assert xapi_b.get(verb="http://adlnet.gov/expapi/verbs/completed").json()["statements"] == []


def test_the_same_statement_id_in_two_organisations_never_conflicts(xapi, xapi_b):
    sid = new_id()
    xapi.post(statement(id=sid))
    different = statement(id=sid, verb={"id": "http://adlnet.gov/expapi/verbs/failed"})
    assert xapi_b.post(different).status_code == 200
    assert xapi.get(statementId=sid).json()["verb"]["id"].endswith("completed")
    assert xapi_b.get(statementId=sid).json()["verb"]["id"].endswith("failed")


def test_organisation_b_cannot_void_organisation_a_statement(xapi, xapi_b):
    sid = new_id()
    xapi.post(statement(id=sid))
    void = statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": sid},
    )
    assert xapi_b.post(void).status_code == 200
    assert xapi.get(statementId=sid).status_code == 200


def test_documents_are_per_organisation(xapi, xapi_b):
    params = {
        "activityId": "https://a.test/x",
        "agent": {"mbox": "mailto:a@a.test"},
        "stateId": "s",
    }
    xapi.request("PUT", "activities/state", {"secret": 1}, params=params)
    assert xapi_b.request("GET", "activities/state", params=params).status_code == 404


def test_wrong_secret_is_401_with_challenge(xapi):
    xapi.secret = "wrong"
    response = xapi.get()
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")


def test_no_credentials_is_401(client):
    response = client.get("/xapi/statements", headers={"X-Experience-API-Version": "2.0.0"})
    assert response.status_code == 401


def test_revoked_key_is_refused(xapi):
    revoke_credential(credential=xapi.credential)
    assert xapi.get().status_code == 401


def test_rotation_keeps_the_old_key_working_during_the_overlap_only(xapi):
    successor = rotate_credential(credential=xapi.credential, overlap=timedelta(hours=1))
    new = Xapi(xapi.client, successor.credential, successor.secret)
    assert xapi.get().status_code == 200
    assert new.get().status_code == 200
    revoke_credential(credential=xapi.credential, at=timezone.now() - timedelta(seconds=1))
    assert xapi.get().status_code == 401
    assert new.get().status_code == 200


def test_secret_is_stored_only_as_sha256(xapi):
    stored = LrsCredential.objects.get(pk=xapi.credential.pk)
    assert xapi.secret not in stored.secret_hash
    assert len(stored.secret_hash) == 64
    assert len(xapi.secret) >= 22  # ≥ 128 random bits, base64url


def test_write_only_key_cannot_read(tenancy):
    writer = make_xapi(tenancy.org_a, ["statements/write"])
    assert writer.post(statement()).status_code == 200
    assert writer.get().status_code == 403


def test_read_only_key_cannot_write(tenancy):
    reader = make_xapi(tenancy.org_a, ["statements/read"])
    assert reader.post(statement()).status_code == 403


def test_read_mine_sees_only_statements_from_its_authority(tenancy):
    mine = make_xapi(tenancy.org_a, ["statements/write", "statements/read/mine"])
    other = make_xapi(tenancy.org_a, ["statements/write"])
    own_id, their_id = new_id(), new_id()
    mine.post(statement(id=own_id))
    other.post(statement(id=their_id))
    assert [s["id"] for s in mine.get().json()["statements"]] == [own_id]
    assert mine.get(statementId=their_id).status_code == 404


def test_state_scope_does_not_grant_statements(tenancy):
    state_only = make_xapi(tenancy.org_a, ["state"])
    assert state_only.post(statement()).status_code == 403


def test_rate_limit_answers_429_with_retry_after(tenancy):
    cache.clear()
    limited = make_xapi(tenancy.org_a, ["all"], rate_limit_per_minute=3)
    codes = [limited.get().status_code for _ in range(4)]
    assert codes[:3] == [200, 200, 200]
    assert codes[3] == 429
    response = limited.get()
    assert int(response["Retry-After"]) >= 1


def test_a_keys_rate_limit_holds_across_workers(tenancy, monkeypatch):
    limited = make_xapi(tenancy.org_a, ["all"], rate_limit_per_minute=3)
    start = (int(timezone.now().timestamp()) // 60 + 1) * 60 + 1
    worker_a: dict = {}  # each process's own knowledge of the counters
    worker_b: dict = {}
    with time_machine.travel(start, tick=False):
        monkeypatch.setattr(ratelimit, "_SEEN", worker_a)
        assert [limited.get().status_code for _ in range(2)] == [200, 200]
        monkeypatch.setattr(ratelimit, "_SEEN", worker_b)
        assert limited.get().status_code == 200
        refused = limited.get()
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) == 59
        monkeypatch.setattr(ratelimit, "_SEEN", worker_a)
        assert limited.get().status_code == 429


BY_ADMIN = ("--by", "admin@alpha.test")


def test_management_command_creates_a_working_credential(tenancy, capsys):
    call_command(
        "lrs_credential", "create", "--organisation", "alpha", "--scopes", "all", *BY_ADMIN
    )
    out = capsys.readouterr().out
    key = out.split("key=")[1].split()[0]
    secret = out.split("secret=")[1].split()[0]
    credential = LrsCredential.objects.get(key=key)
    assert credential.organisation == tenancy.org_a
    xapi = Xapi(Client(), credential, secret)
    assert xapi.post(statement()).status_code == 200
    assert Statement.objects.filter(organisation=tenancy.org_a).count() == 1


def test_management_command_rejects_unknown_organisation_with_exit_2(tenancy):
    with pytest.raises(CommandError) as exc:
        call_command("lrs_credential", "create", "--organisation", "nope", *BY_ADMIN)
    assert exc.value.returncode == 2
    assert "--organisation" in str(exc.value)
