"""A licence moves draft → active ⇄ suspended, active → expired, and renewal extends it."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import gettext

from ancrage.licensing import actions
from ancrage.licensing.expiry import expire_licences
from ancrage.licensing.models import Licence, LicenceRenewal, LicenceStatus, OfferKind
from ancrage.licensing.tests.factories import make_licence, offer

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def test_a_new_licence_is_a_draft_that_grants_nothing_until_activated(tenancy):
    licence = actions.create_licence(
        by=None,
        organisation=tenancy.org_a,
        offer=offer(OfferKind.INTEGRALE),
        starts_on=today(),
        ends_on=today() + timedelta(days=365),
        seats=450,
    )
    assert licence.status == LicenceStatus.DRAFT
    assert not licence.is_effective(today())
    actions.activate_licence(by=None, licence=licence)
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.ACTIVE
    assert licence.is_effective(today())


def test_a_la_carte_needs_paths_and_integrale_refuses_them(tenancy, catalogue):
    with pytest.raises(actions.LicenceError) as no_paths:
        actions.create_licence(
            by=None,
            organisation=tenancy.org_b,
            offer=offer(OfferKind.A_LA_CARTE),
            starts_on=today(),
            ends_on=today() + timedelta(days=30),
            seats=40,
        )
    assert no_paths.value.field == "paths"
    with pytest.raises(actions.LicenceError) as listed:
        actions.create_licence(
            by=None,
            organisation=tenancy.org_a,
            offer=offer(OfferKind.INTEGRALE),
            starts_on=today(),
            ends_on=today() + timedelta(days=30),
            seats=40,
            paths=[catalogue.cnv],
        )
    assert listed.value.field == "paths"
    assert not Licence.objects.exists()


def test_period_and_seats_are_checked(tenancy):
    with pytest.raises(actions.LicenceError) as backwards:
        actions.create_licence(
            by=None,
            organisation=tenancy.org_a,
            offer=offer(),
            starts_on=today(),
            ends_on=today() - timedelta(days=1),
            seats=10,
        )
    assert backwards.value.field == "ends_on"
    with pytest.raises(actions.LicenceError) as no_seat:
        actions.create_licence(
            by=None,
            organisation=tenancy.org_a,
            offer=offer(),
            starts_on=today(),
            ends_on=today(),
            seats=0,
        )
    assert no_seat.value.field == "seats"


def test_activating_twice_is_refused_with_a_reason(tenancy):
    licence = make_licence(tenancy.org_a)
    with pytest.raises(actions.LicenceError) as error:
        actions.activate_licence(by=None, licence=licence)
    sentence = gettext("This licence cannot be activated: its status is “%(status)s”.")
    assert error.value.message == sentence % {"status": gettext("Active")}


def test_suspend_then_resume(tenancy):
    licence = make_licence(tenancy.org_a)
    actions.suspend_licence(by=None, licence=licence, reason="Facture impayée")
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.SUSPENDED
    assert licence.suspension_reason == "Facture impayée"
    assert not licence.is_effective(today())
    actions.resume_licence(by=None, licence=licence)
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.ACTIVE
    assert licence.suspension_reason == ""
    assert licence.is_effective(today())


@pytest.mark.parametrize(
    ("status", "move"),
    [
        (LicenceStatus.DRAFT, "suspend"),
        (LicenceStatus.SUSPENDED, "suspend"),
        (LicenceStatus.EXPIRED, "suspend"),
        (LicenceStatus.ACTIVE, "resume"),
        (LicenceStatus.DRAFT, "resume"),
        (LicenceStatus.EXPIRED, "resume"),
        (LicenceStatus.EXPIRED, "activate"),
        (LicenceStatus.SUSPENDED, "activate"),
        (LicenceStatus.DRAFT, "renew"),
        (LicenceStatus.SUSPENDED, "renew"),
    ],
)
def test_moves_outside_the_life_cycle_are_refused_and_change_nothing(tenancy, status, move):
    licence = make_licence(tenancy.org_a, status=status)
    calls = {
        "suspend": lambda: actions.suspend_licence(by=None, licence=licence),
        "resume": lambda: actions.resume_licence(by=None, licence=licence),
        "activate": lambda: actions.activate_licence(by=None, licence=licence),
        "renew": lambda: actions.renew_licence(
            by=None, licence=licence, ends_on=licence.ends_on + timedelta(days=365), seats=5
        ),
    }
    with pytest.raises(actions.LicenceError):
        calls[move]()
    licence.refresh_from_db()
    assert licence.status == status


def test_renewing_a_suspended_licence_says_to_resume_it_first(tenancy):
    licence = make_licence(tenancy.org_a, status=LicenceStatus.SUSPENDED)
    with pytest.raises(actions.LicenceError) as error:
        actions.renew_licence(
            by=None, licence=licence, ends_on=licence.ends_on + timedelta(days=1), seats=5
        )
    assert error.value.message == gettext("Resume this licence before renewing it.")


def test_renewal_extends_the_same_licence_and_keeps_its_history(tenancy):
    licence = make_licence(tenancy.org_a, seats=10)
    old_end = licence.ends_on
    actions.renew_licence(by=None, licence=licence, ends_on=old_end + timedelta(days=365), seats=12)
    licence.refresh_from_db()
    assert licence.ends_on == old_end + timedelta(days=365)
    assert licence.seats == 12
    renewal = LicenceRenewal.objects.get(licence=licence)
    assert (renewal.previous_ends_on, renewal.previous_seats) == (old_end, 10)
    assert Licence.objects.filter(organisation=tenancy.org_a).count() == 1


def test_renewing_an_expired_licence_makes_it_active_again(tenancy):
    licence = make_licence(
        tenancy.org_a,
        starts_on=today() - timedelta(days=400),
        ends_on=today() - timedelta(days=5),
    )
    assert expire_licences() == 1
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.EXPIRED
    actions.renew_licence(by=None, licence=licence, ends_on=today() + timedelta(days=360), seats=10)
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.ACTIVE
    assert licence.is_effective(today())


def test_renewal_must_move_the_end_date_forward(tenancy):
    licence = make_licence(tenancy.org_a)
    with pytest.raises(actions.LicenceError) as error:
        actions.renew_licence(by=None, licence=licence, ends_on=licence.ends_on, seats=10)
    assert error.value.field == "ends_on"


def test_daily_expiry_marks_only_licences_past_their_last_day_and_is_idempotent(tenancy):
    past = make_licence(
        tenancy.org_a, starts_on=today() - timedelta(days=40), ends_on=today() - timedelta(days=1)
    )
    last_day = make_licence(tenancy.org_b, starts_on=today() - timedelta(days=40), ends_on=today())
    suspended = make_licence(
        tenancy.org_b,
        status=LicenceStatus.SUSPENDED,
        starts_on=today() - timedelta(days=40),
        ends_on=today() - timedelta(days=1),
    )
    call_command("expire_licences")
    assert expire_licences() == 0
    for licence in (past, last_day, suspended):
        licence.refresh_from_db()
    assert past.status == LicenceStatus.EXPIRED
    assert last_day.status == LicenceStatus.ACTIVE
    assert suspended.status == LicenceStatus.SUSPENDED


def test_state_on_tells_expired_and_scheduled_from_the_dates(tenancy):
    licence = make_licence(
        tenancy.org_a, starts_on=today() + timedelta(days=2), ends_on=today() + timedelta(days=9)
    )
    assert licence.state_on(today()) == "scheduled"
    assert licence.state_on(today() + timedelta(days=5)) == LicenceStatus.ACTIVE
    assert licence.state_on(today() + timedelta(days=10)) == LicenceStatus.EXPIRED


def test_paths_of_an_a_la_carte_licence_can_change(tenancy, catalogue):
    licence = make_licence(tenancy.org_b, kind=OfferKind.A_LA_CARTE, paths=(catalogue.cnv,))
    actions.set_licence_paths(
        by=None, licence=licence, paths=[catalogue.feedback, catalogue.ecoute]
    )
    assert set(licence.items.values_list("path__code", flat=True)) == {"FEEDBACK", "ECOUTE-ACTIVE"}
    with pytest.raises(actions.LicenceError):
        actions.set_licence_paths(by=None, licence=licence, paths=[])
    integrale = make_licence(tenancy.org_a)
    with pytest.raises(actions.LicenceError):
        actions.set_licence_paths(by=None, licence=integrale, paths=[catalogue.cnv])
