"""Licensing fixtures on top of the tenancy matrix: org A (Alpha) on the whole catalogue,
org B (Bêta, Belle-Rive-like) on an à la carte licence of two paths."""

from dataclasses import dataclass

import pytest

from ancrage.catalog.models import Path
from ancrage.licensing.models import Licence, OfferKind
from ancrage.licensing.tests.factories import make_licence, make_path


@dataclass
class Catalogue:
    ecoute: Path
    cnv: Path
    feedback: Path


@pytest.fixture
def catalogue(db: None) -> Catalogue:
    return Catalogue(
        ecoute=make_path("ECOUTE-ACTIVE", title="Écouter pour de vrai"),
        cnv=make_path("CNV", title="Communication non violente"),
        feedback=make_path("FEEDBACK", title="Le feedback qui aide"),
    )


@dataclass
class Licences:
    a: Licence
    b: Licence


@pytest.fixture
def licences(tenancy, catalogue) -> Licences:  # type: ignore[no-untyped-def]
    return Licences(
        a=make_licence(tenancy.org_a, kind=OfferKind.INTEGRALE, seats=10),
        b=make_licence(
            tenancy.org_b,
            kind=OfferKind.A_LA_CARTE,
            seats=2,
            paths=(catalogue.ecoute, catalogue.cnv),
        ),
    )
