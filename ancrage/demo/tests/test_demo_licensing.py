"""The demo's licences, programme and assignments load, tell the DEMO.md story, and loading
them again duplicates nothing."""

from pathlib import Path

import pytest

from ancrage.demo.catalogue import load_catalogue
from ancrage.demo.licensing import load_licensing
from ancrage.demo.people import load_people
from ancrage.licensing.models import (
    Assignment,
    Licence,
    LicenceStatus,
    OfferKind,
    Programme,
    ProgrammeItem,
    Seat,
)
from ancrage.licensing.queries import learner_dashboard
from ancrage.player.models import Enrolment
from ancrage.tenancy.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Licence, Programme, ProgrammeItem, Assignment, Seat, Enrolment)
    )


def test_demo_licensing_tells_the_story_and_is_idempotent() -> None:
    load_people()
    load_catalogue()
    load_licensing()
    first = counts()
    load_licensing()
    assert counts() == first

    verdane = Licence.objects.get(organisation__slug="verdane")
    assert (verdane.offer.kind, verdane.seats, verdane.status) == (
        OfferKind.INTEGRALE,
        450,
        LicenceStatus.ACTIVE,
    )
    belle_rive = Licence.objects.get(organisation__slug="belle-rive")
    assert (belle_rive.offer.kind, belle_rive.seats) == (OfferKind.A_LA_CARTE, 40)
    assert set(belle_rive.items.values_list("path__code", flat=True)) == {
        "ECOUTE-ACTIVE",
        "CNV",
        "FEEDBACK",
    }
    assert Seat.objects.filter(licence=verdane).exists()
    assert Seat.objects.filter(licence=belle_rive).exists()

    karim = Membership.objects.get(user__email="karim@verdane.fr")
    assert [p.programme.title for p in learner_dashboard(karim).programmes] == ["Managers 2027"]
    lea = Membership.objects.get(user__email="lea@verdane.fr")
    lea_home = learner_dashboard(lea)
    assert {e.path.code for e in lea_home.completed} >= {"ECOUTE-ACTIVE"}
    assert {e.path.code for e in lea_home.in_progress} >= {"CNV"}  # on her phone, this week
    assert all(e.due_on for e in [*lea_home.assigned, *lea_home.in_progress])
