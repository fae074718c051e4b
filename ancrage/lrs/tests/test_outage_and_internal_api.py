"""Database outage answers 503 (real unreachable PostgreSQL, in a subprocess); the internal
`record_statements` action used by the player."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ancrage.lrs.actions import StatementConflict, record_statements
from ancrage.lrs.queries import StatementFilter, find_statements
from ancrage.lrs.tests.conftest import new_id, statement
from ancrage.lrs.validation import ValidationError

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = """
import django
django.setup()
from django.test import Client
response = Client().post(
    "/xapi/statements", b'{"actor":{"mbox":"mailto:a@a.test"},"verb":{"id":"http://x.test/v"},"object":{"id":"http://x.test/a"}}',
    content_type="application/json",
    headers={"Authorization": "Basic YWJjOmRlZg==", "X-Experience-API-Version": "2.0.0"},
)
print(response.status_code, response.get("Retry-After"))
"""


def test_database_outage_answers_503_with_retry_after_not_500():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_URL")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # a PostgreSQL URL on a closed loopback port: every connection attempt is refused
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/ancrage",
        "ALLOWED_HOSTS": "testserver",
        "LOG_LEVEL": "CRITICAL",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SCRIPT],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["503", "5"], result.stderr[-2000:]


@pytest.mark.django_db
def test_record_statements_stores_for_the_organisation_only(tenancy):
    authority = {
        "objectType": "Agent",
        "account": {"homePage": "https://ancrage.test", "name": "player"},
    }
    ids = record_statements(
        organisation=tenancy.org_a, statements=[statement(), statement()], authority=authority
    )
    assert len(ids) == 2
    page = find_statements(tenancy.org_a, StatementFilter(), limit=10)
    assert len(page.payloads) == 2
    assert find_statements(tenancy.org_b, StatementFilter(), limit=10).payloads == []


@pytest.mark.django_db
def test_record_statements_raises_conflict_and_validation_errors(tenancy):
    authority = {"objectType": "Agent", "mbox": "mailto:player@ancrage.test"}
    sid = new_id()
    record_statements(organisation=tenancy.org_a, statements=statement(id=sid), authority=authority)
    with pytest.raises(StatementConflict):
        record_statements(
            organisation=tenancy.org_a,
            statements=statement(id=sid, verb={"id": "http://x.test/other"}),
            authority=authority,
        )
    with pytest.raises(ValidationError):
        record_statements(organisation=tenancy.org_a, statements={"actor": {}}, authority=authority)
