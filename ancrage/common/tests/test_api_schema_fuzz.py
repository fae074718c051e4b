"""Schemathesis over the API's OpenAPI schema, in-process: no operation answers 5xx.

Every operation gets generated inputs (valid and invalid) with a real API key holding every
scope, against data of two organisations; `not_a_server_error` is the check that must hold.
"""

from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from ancrage.api.actions import create_api_key
from ancrage.api.app import api
from ancrage.api.models import Scope

APP = get_wsgi_application()
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())


@pytest.fixture
def api_key(tenancy: Any) -> str:
    _row, key = create_api_key(
        organisation=tenancy.org_a, name="schemathesis", scopes=list(Scope.values)
    )
    return key


@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_api_operation_answers_a_server_error(case: Any, api_key: str) -> None:
    # As Django's test client does: keep the test's database connection open after the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = case.call(app=APP, headers={"Authorization": f"Bearer {api_key}"})
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    case.validate_response(response, checks=[schemathesis.checks.not_a_server_error])
