"""Player fixtures: the demo path ECOUTE-ACTIVE (every card type) imported and published,
an intégrale licence for organisation A (and B), and helpers to post events."""

import json
import shutil
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ancrage.catalog.models import Path as CatalogPath
from ancrage.catalog.packs.importer import import_pack
from ancrage.demo.catalogue import DEMO_PACK
from ancrage.licensing.actions import create_licence
from ancrage.licensing.models import Licence, Offer, OfferKind
from ancrage.player.actions import start_path
from ancrage.player.bundle import Bundle, bundle_for
from ancrage.player.models import Enrolment, EnrolmentOrigin
from ancrage.tenancy.models import Membership, Organisation

CODE = "ECOUTE-ACTIVE"


def copy_demo_path(root: Path, code: str = CODE) -> Path:
    (root / "paths").mkdir(parents=True)
    shutil.copy(DEMO_PACK / "pack.yaml", root / "pack.yaml")
    shutil.copytree(DEMO_PACK / "paths" / code, root / "paths" / code)
    return root


@pytest.fixture
def demo_path(db: None, tmp_path: Path, settings: Any) -> CatalogPath:
    settings.MEDIA_ROOT = tmp_path / "media"
    import_pack(copy_demo_path(tmp_path / "pack"), publish=True)
    return CatalogPath.objects.get(code=CODE)


def license_organisation(organisation: Organisation, seats: int = 20) -> Licence:
    offer, _ = Offer.objects.get_or_create(
        code="integrale", defaults={"name": "Intégrale", "kind": OfferKind.INTEGRALE}
    )
    today = timezone.localdate()
    return create_licence(
        by=None,
        organisation=organisation,
        offer=offer,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=365),
        seats=seats,
        activate=True,
    )


@pytest.fixture
def licensed(tenancy: Any, demo_path: CatalogPath) -> Licence:
    license_organisation(tenancy.org_b)
    return license_organisation(tenancy.org_a)


@pytest.fixture
def enrolment(tenancy: Any, licensed: Licence, demo_path: CatalogPath) -> Enrolment:
    return start_path(membership=tenancy.owner, path=demo_path, origin=EnrolmentOrigin.SELF)


def enrol(membership: Membership, path: CatalogPath) -> Enrolment:
    return start_path(membership=membership, path=path, origin=EnrolmentOrigin.SELF)


@pytest.fixture
def bundle(enrolment: Enrolment) -> Bundle:
    return bundle_for(enrolment.path_version_id, enrolment.path_version.content_hash)


def event(kind: str, card: str = "", **extra: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "kind": kind,
        "card": card,
        "at": timezone.now().isoformat(),
        **extra,
    }


@pytest.fixture
def owner_client(tenancy: Any) -> Client:
    client: Client = tenancy.client_for(tenancy.owner)
    return client


def post_json(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


PostEvents = Callable[[Client, list[dict[str, Any]]], Any]


@pytest.fixture
def post_events() -> PostEvents:
    def post(client: Client, events: list[dict[str, Any]]) -> Any:
        return post_json(client, f"/play/{CODE}/events", {"events": events})

    return post
