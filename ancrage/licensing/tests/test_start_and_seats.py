"""start_path: entitlement, one seat per person from the first start, the pinned version,
idempotence, refusals that are never silent, and progress that survives a licence pause."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ancrage.catalog.models import PathVersion, VersionStatus
from ancrage.licensing import actions
from ancrage.licensing.entitlements import EntitlementRefused, Refusal
from ancrage.licensing.models import Seat, SeatRequest
from ancrage.licensing.tests.factories import make_licence, make_version, retire
from ancrage.player.actions import start_path
from ancrage.player.models import Enrolment, EnrolmentOrigin, EnrolmentStatus

pytestmark = pytest.mark.django_db


def test_first_start_takes_a_seat_pins_the_published_version_and_enrols(
    tenancy, catalogue, licences
):
    enrolment = start_path(membership=tenancy.owner, path=catalogue.cnv, origin="self")
    assert enrolment.organisation == tenancy.org_a
    assert enrolment.path_version == PathVersion.objects.get(
        path=catalogue.cnv, status=VersionStatus.PUBLISHED
    )
    assert enrolment.status == EnrolmentStatus.STARTED
    assert enrolment.origin == EnrolmentOrigin.SELF
    assert Seat.objects.held().filter(licence=licences.a, membership=tenancy.owner).count() == 1


def test_starting_again_or_another_path_never_takes_a_second_seat(tenancy, catalogue, licences):
    first = start_path(membership=tenancy.owner, path=catalogue.cnv, origin="self")
    again = start_path(membership=tenancy.owner, path=catalogue.cnv, origin="self")
    start_path(membership=tenancy.owner, path=catalogue.feedback, origin="self")
    assert first.pk == again.pk
    assert Enrolment.objects.filter(membership=tenancy.owner).count() == 2
    assert Seat.objects.filter(licence=licences.a).count() == 1


def test_the_pinned_version_stays_when_a_new_one_is_published(tenancy, catalogue, licences):
    first = start_path(membership=tenancy.owner, path=catalogue.cnv, origin="self")
    v1 = first.path_version
    retire(v1)
    v2 = make_version(catalogue.cnv, number=2)

    again = start_path(membership=tenancy.owner, path=catalogue.cnv, origin="self")
    newcomer = start_path(membership=tenancy.teammate, path=catalogue.cnv, origin="self")
    assert again.path_version == v1
    assert newcomer.path_version == v2


def test_a_path_withdrawn_without_successor_refuses_new_starts(tenancy, catalogue, licences):
    retire(PathVersion.objects.get(path=catalogue.cnv, status=VersionStatus.PUBLISHED))
    with pytest.raises(EntitlementRefused) as refused:
        start_path(membership=tenancy.owner, path=catalogue.cnv, origin="self")
    assert refused.value.reason == Refusal.VERSION_RETIRED_FOR_NEW_STARTS
    assert not Enrolment.objects.exists()


def test_an_abandoned_path_restarted_is_started_again(tenancy, catalogue, licences):
    enrolment = start_path(membership=tenancy.owner, path=catalogue.cnv, origin="self")
    Enrolment.objects.filter(pk=enrolment.pk).update(status=EnrolmentStatus.ABANDONED)
    again = start_path(membership=tenancy.owner, path=catalogue.cnv, origin="self")
    assert again.status == EnrolmentStatus.STARTED


def test_over_the_seat_limit_the_start_is_refused_and_the_ld_leads_are_emailed_once(
    tenancy, catalogue, smtp_server, django_capture_on_commit_callbacks
):
    make_licence(tenancy.org_a, seats=1)
    start_path(membership=tenancy.owner, path=catalogue.cnv, origin="self")

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(EntitlementRefused) as refused:
            start_path(membership=tenancy.teammate, path=catalogue.cnv, origin="self")
    assert refused.value.reason == Refusal.NO_SEAT_LEFT
    assert not Enrolment.objects.filter(membership=tenancy.teammate).exists()
    request = SeatRequest.objects.get()
    assert (request.membership, request.path) == (tenancy.teammate, catalogue.cnv)

    message = smtp_server.wait_for(to="ld@alpha.test")
    body = smtp_server.text_body(message)
    assert "Tom Teammate" in body
    assert "Communication non violente" in body
    assert reverse("licensing_seat_requests") in body
    assert smtp_server.messages_to("admin@alpha.test") == []

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(EntitlementRefused):
            start_path(membership=tenancy.teammate, path=catalogue.cnv, origin="self")
    assert SeatRequest.objects.count() == 1
    assert len(smtp_server.messages_to("ld@alpha.test")) == 1


def test_releasing_a_seat_lets_the_next_person_start_and_keeps_the_leavers_progress(
    tenancy, catalogue
):
    licence = make_licence(tenancy.org_a, seats=1)
    kept = start_path(membership=tenancy.owner, path=catalogue.cnv, origin="self")
    seat = Seat.objects.get(membership=tenancy.owner)
    actions.release_seat(actor=tenancy.ld_lead, seat=seat)

    start_path(membership=tenancy.teammate, path=catalogue.cnv, origin="self")
    assert Seat.objects.held().filter(licence=licence).count() == 1
    assert Enrolment.objects.filter(pk=kept.pk).exists()
    with pytest.raises(EntitlementRefused) as refused:
        start_path(membership=tenancy.owner, path=catalogue.cnv, origin="self")
    assert refused.value.reason == Refusal.NO_SEAT_LEFT


def test_take_seat_never_exceeds_the_licence_and_reuses_a_released_row(tenancy):
    licence = make_licence(tenancy.org_a, seats=1)
    seat = actions.take_seat(membership=tenancy.owner, licence=licence)
    assert actions.take_seat(membership=tenancy.owner, licence=licence) == seat
    with pytest.raises(actions.NoSeatLeft):
        actions.take_seat(membership=tenancy.teammate, licence=licence)
    actions.release_seat(actor=tenancy.ld_lead, seat=seat)
    again = actions.take_seat(membership=tenancy.owner, licence=licence)
    assert again.pk == seat.pk
    assert again.released_at is None


def test_only_ld_of_the_same_organisation_release_seats(tenancy):
    licence = make_licence(tenancy.org_a, seats=3)
    seat = actions.take_seat(membership=tenancy.owner, licence=licence)
    for actor in (tenancy.teammate, tenancy.manager, tenancy.other_ld_lead):
        with pytest.raises(PermissionError):
            actions.release_seat(actor=actor, seat=seat)


def test_a_seat_is_taken_on_a_licence_of_the_persons_organisation_only(tenancy):
    licence = make_licence(tenancy.org_a)
    with pytest.raises(ValueError, match="own organisation"):
        actions.take_seat(membership=tenancy.other, licence=licence)


def test_suspension_refuses_keeps_progress_and_resuming_gives_it_back(tenancy, catalogue, licences):
    enrolment = start_path(membership=tenancy.owner, path=catalogue.cnv, origin="self")
    actions.suspend_licence(by=None, licence=licences.a)
    with pytest.raises(EntitlementRefused) as refused:
        start_path(membership=tenancy.owner, path=catalogue.cnv, origin="self")
    assert refused.value.reason == Refusal.LICENCE_SUSPENDED
    assert Enrolment.objects.filter(pk=enrolment.pk, status=EnrolmentStatus.STARTED).exists()

    actions.resume_licence(by=None, licence=licences.a)
    assert start_path(membership=tenancy.owner, path=catalogue.cnv, origin="self") == enrolment


def test_expiry_refuses_keeps_progress_and_renewal_gives_it_back(tenancy, catalogue):
    today = timezone.localdate()
    licence = make_licence(
        tenancy.org_a, starts_on=today - timedelta(days=300), ends_on=today + timedelta(days=1)
    )
    enrolment = start_path(membership=tenancy.owner, path=catalogue.cnv, origin="self")
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status=EnrolmentStatus.COMPLETED, completed_at=timezone.now()
    )
    later = timezone.now() + timedelta(days=3)
    with pytest.raises(EntitlementRefused) as refused:
        start_path(membership=tenancy.owner, path=catalogue.cnv, origin="self", when=later)
    assert refused.value.reason == Refusal.LICENCE_EXPIRED

    actions.renew_licence(by=None, licence=licence, ends_on=today + timedelta(days=365), seats=10)
    back = start_path(membership=tenancy.owner, path=catalogue.cnv, origin="self", when=later)
    assert back.pk == enrolment.pk
    assert back.status == EnrolmentStatus.COMPLETED
    assert Seat.objects.filter(membership=tenancy.owner).count() == 1


def test_self_enrolment_closed_refuses_self_starts_but_not_assignments(
    tenancy, catalogue, licences
):
    actions.set_self_enrolment(organisation=tenancy.org_a, allowed=False)
    with pytest.raises(EntitlementRefused) as refused:
        start_path(membership=tenancy.owner, path=catalogue.cnv, origin=EnrolmentOrigin.SELF)
    assert refused.value.reason == Refusal.SELF_ENROLMENT_CLOSED
    assert not Seat.objects.exists()
    enrolment = start_path(
        membership=tenancy.owner, path=catalogue.cnv, origin=EnrolmentOrigin.ASSIGNMENT
    )
    assert enrolment.origin == EnrolmentOrigin.ASSIGNMENT
