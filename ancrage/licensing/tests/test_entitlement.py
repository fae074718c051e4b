"""check_entitlement answers "may this person open this path version now?" — every answer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ancrage.catalog.models import PathVersion, VersionStatus
from ancrage.licensing.actions import take_seat
from ancrage.licensing.entitlements import Refusal, check_entitlement
from ancrage.licensing.models import LicenceStatus, OfferKind
from ancrage.licensing.tests.factories import make_licence, make_path, make_version, retire
from ancrage.player.actions import start_path
from ancrage.player.models import EnrolmentOrigin
from ancrage.tenancy.models import MembershipStatus

pytestmark = pytest.mark.django_db


def published(path):
    return PathVersion.objects.get(path=path, status=VersionStatus.PUBLISHED)


def test_integrale_allows_any_published_path_and_asks_for_a_seat_at_first_start(
    tenancy, catalogue, licences
):
    answer = check_entitlement(membership=tenancy.owner, path_version=published(catalogue.cnv))
    assert answer.allowed
    assert answer.reason is None
    assert answer.licence == licences.a
    assert answer.needs_seat is True


def test_integrale_covers_a_path_published_after_the_licence_started(tenancy, licences):
    later = make_path("IA-GENERATIVE")
    answer = check_entitlement(membership=tenancy.owner, path_version=published(later))
    assert answer.allowed


def test_a_person_holding_a_seat_needs_no_other(tenancy, catalogue, licences):
    take_seat(membership=tenancy.owner, licence=licences.a)
    answer = check_entitlement(membership=tenancy.owner, path_version=published(catalogue.cnv))
    assert answer.allowed
    assert answer.needs_seat is False


def test_no_licence_at_all_is_refused_as_no_licence(tenancy, catalogue):
    answer = check_entitlement(membership=tenancy.owner, path_version=published(catalogue.cnv))
    assert not answer.allowed
    assert answer.reason == Refusal.NO_LICENCE


def test_a_draft_licence_grants_nothing(tenancy, catalogue):
    make_licence(tenancy.org_a, status=LicenceStatus.DRAFT)
    answer = check_entitlement(membership=tenancy.owner, path_version=published(catalogue.cnv))
    assert answer.reason == Refusal.NO_LICENCE


def test_a_la_carte_covers_only_its_listed_paths(tenancy, catalogue, licences):
    assert check_entitlement(membership=tenancy.other, path_version=published(catalogue.cnv))
    answer = check_entitlement(membership=tenancy.other, path_version=published(catalogue.feedback))
    assert answer.reason == Refusal.NOT_IN_OFFER


def test_suspended_licence_refuses_as_suspended(tenancy, catalogue):
    make_licence(tenancy.org_a, status=LicenceStatus.SUSPENDED)
    answer = check_entitlement(membership=tenancy.owner, path_version=published(catalogue.cnv))
    assert answer.reason == Refusal.LICENCE_SUSPENDED


def test_licence_past_its_last_day_is_expired_even_before_the_daily_task(tenancy, catalogue):
    today = timezone.localdate()
    make_licence(
        tenancy.org_a, starts_on=today - timedelta(days=400), ends_on=today - timedelta(days=1)
    )
    answer = check_entitlement(membership=tenancy.owner, path_version=published(catalogue.cnv))
    assert answer.reason == Refusal.LICENCE_EXPIRED


def test_licence_marked_expired_refuses_as_expired(tenancy, catalogue):
    make_licence(tenancy.org_a, status=LicenceStatus.EXPIRED)
    answer = check_entitlement(membership=tenancy.owner, path_version=published(catalogue.cnv))
    assert answer.reason == Refusal.LICENCE_EXPIRED


def test_licence_not_started_yet_refuses_as_not_started(tenancy, catalogue):
    today = timezone.localdate()
    make_licence(
        tenancy.org_a, starts_on=today + timedelta(days=3), ends_on=today + timedelta(days=300)
    )
    answer = check_entitlement(membership=tenancy.owner, path_version=published(catalogue.cnv))
    assert answer.reason == Refusal.LICENCE_NOT_STARTED


def test_the_last_day_of_a_licence_still_grants_access(tenancy, catalogue):
    today = timezone.localdate()
    make_licence(tenancy.org_a, starts_on=today - timedelta(days=10), ends_on=today)
    assert check_entitlement(membership=tenancy.owner, path_version=published(catalogue.cnv))
    tomorrow = today + timedelta(days=1)
    answer = check_entitlement(
        membership=tenancy.owner, path_version=published(catalogue.cnv), when=tomorrow
    )
    assert answer.reason == Refusal.LICENCE_EXPIRED


def test_any_effective_licence_suffices_when_several_apply(tenancy, catalogue):
    make_licence(tenancy.org_a, status=LicenceStatus.SUSPENDED)
    effective = make_licence(tenancy.org_a, kind=OfferKind.A_LA_CARTE, paths=(catalogue.cnv,))
    answer = check_entitlement(membership=tenancy.owner, path_version=published(catalogue.cnv))
    assert answer.allowed
    assert answer.licence == effective
    other = check_entitlement(membership=tenancy.owner, path_version=published(catalogue.feedback))
    assert other.reason == Refusal.LICENCE_SUSPENDED


def test_draft_version_is_never_opened(tenancy, licences):
    path = make_path("BROUILLON", published=False)
    draft = PathVersion.objects.get(path=path)
    answer = check_entitlement(membership=tenancy.owner, path_version=draft)
    assert answer.reason == Refusal.VERSION_NOT_PUBLISHED


def test_retired_version_refuses_new_starts_but_lets_enrolled_people_continue(
    tenancy, catalogue, licences
):
    v1 = published(catalogue.cnv)
    start_path(membership=tenancy.owner, path=catalogue.cnv, origin=EnrolmentOrigin.SELF)
    retire(v1)
    make_version(catalogue.cnv, number=2)

    continuing = check_entitlement(membership=tenancy.owner, path_version=v1)
    assert continuing.allowed
    assert continuing.continuing
    newcomer = check_entitlement(membership=tenancy.teammate, path_version=v1)
    assert newcomer.reason == Refusal.VERSION_RETIRED_FOR_NEW_STARTS


def test_no_seat_left_refuses_newcomers_not_seat_holders(tenancy, catalogue):
    licence = make_licence(tenancy.org_a, seats=1)
    take_seat(membership=tenancy.owner, licence=licence)
    assert check_entitlement(membership=tenancy.owner, path_version=published(catalogue.cnv))
    answer = check_entitlement(membership=tenancy.teammate, path_version=published(catalogue.cnv))
    assert answer.reason == Refusal.NO_SEAT_LEFT
    assert answer.licence == licence


def test_deactivated_member_is_refused(tenancy, catalogue, licences):
    tenancy.owner.status = MembershipStatus.DEACTIVATED
    tenancy.owner.save()
    answer = check_entitlement(membership=tenancy.owner, path_version=published(catalogue.cnv))
    assert answer.reason == Refusal.MEMBERSHIP_INACTIVE


def test_another_organisations_licence_grants_nothing(tenancy, catalogue, licences):
    """Org B's à la carte lists CNV; org A's licence does not make org B's people entitled."""
    answer = check_entitlement(membership=tenancy.other, path_version=published(catalogue.feedback))
    assert not answer.allowed


def test_check_entitlement_runs_a_handful_of_queries(
    tenancy, catalogue, licences, django_assert_max_num_queries
):
    version = published(catalogue.cnv)
    with django_assert_max_num_queries(5):
        check_entitlement(membership=tenancy.owner, path_version=version)
