"""The xAPI envelope spares a reused PostgreSQL connection Django's `SELECT 1` health check
only while its socket is quiet: a connection the server ended still gets checked."""

import time

import pytest
from django.db import connection, connections

from ancrage.lrs.http import skip_health_check_when_quiet

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL connections"),
]


@pytest.fixture
def pooled():  # type: ignore[no-untyped-def]
    """A second connection to the test database, as a worker keeps one between requests."""
    other = connections.create_connection("default")
    other.connect()
    yield other
    other.close()


def test_a_quiet_connection_skips_the_health_check(pooled) -> None:  # type: ignore[no-untyped-def]
    pooled.health_check_done = False  # a new request
    skip_health_check_when_quiet(pooled)
    assert pooled.health_check_done is True
    with pooled.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_a_connection_the_server_ended_is_checked_and_replaced(pooled) -> None:  # type: ignore[no-untyped-def]
    with pooled.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    time.sleep(0.2)  # the server's FATAL message and FIN reach the socket
    pooled.health_check_done = False
    skip_health_check_when_quiet(pooled)
    assert pooled.health_check_done is False  # so Django runs its check …
    with pooled.cursor() as cursor:  # … which drops the dead connection and opens another
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
