"""People starting at the same moment never take more seats than the licence has
(PostgreSQL: real concurrent transactions; SQLite serialises writers anyway)."""

import threading

import pytest
from django.db import connection, connections

from ancrage.licensing.entitlements import EntitlementRefused, Refusal
from ancrage.licensing.models import Seat, SeatRequest
from ancrage.licensing.tests.factories import make_licence, make_path
from ancrage.player.actions import start_path
from ancrage.player.models import Enrolment
from ancrage.tenancy.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)"
)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_starts_never_exceed_the_seats():
    organisation = OrganisationFactory()
    licence = make_licence(organisation, seats=3)
    path = make_path("SIMULTANE")
    people = [MembershipFactory(organisation=organisation) for _ in range(8)]
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []

    def start(membership):
        try:
            barrier.wait(timeout=10)
            start_path(membership=membership, path=path, origin="self")
            outcomes.append("started")
        except EntitlementRefused as refused:
            outcomes.append(refused.reason)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == sorted(["started"] * 3 + [Refusal.NO_SEAT_LEFT] * 5)
    assert Seat.objects.held().filter(licence=licence).count() == 3
    assert Enrolment.objects.count() == 3
    assert SeatRequest.objects.count() == 5
