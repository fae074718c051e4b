"""Catalogue paths, offers and licences for licensing tests, built through the real models."""

from datetime import date, timedelta

from django.utils import timezone

from ancrage.catalog.models import Module, Path, PathVersion, Theme, VersionStatus
from ancrage.licensing.actions import create_licence
from ancrage.licensing.models import Licence, LicenceStatus, Offer, OfferKind
from ancrage.tenancy.models import Organisation


def offer(kind: str = OfferKind.INTEGRALE) -> Offer:
    code = "integrale" if kind == OfferKind.INTEGRALE else "a-la-carte"
    name = "Offre intégrale" if kind == OfferKind.INTEGRALE else "Offre à la carte"
    found, _ = Offer.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
    return found


def publish(version: PathVersion) -> PathVersion:
    version.status = VersionStatus.IN_REVIEW
    version.save()
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save()
    return version


def retire(version: PathVersion) -> PathVersion:
    version.status = VersionStatus.RETIRED
    version.retired_at = timezone.now()
    version.save()
    return version


def make_version(
    path: Path,
    *,
    number: int = 1,
    title: str | None = None,
    modules: tuple[str, ...] = ("premier-pas", "en-pratique"),
    published: bool = True,
) -> PathVersion:
    version = PathVersion.objects.create(
        path=path, number=number, title=title or f"Parcours {path.code} v{number}"
    )
    for order, slug in enumerate(modules):
        Module.objects.create(
            version=version, order=order, slug=slug, title=f"Module {slug}", est_minutes=5
        )
    return publish(version) if published else version


def make_path(
    code: str,
    *,
    title: str | None = None,
    published: bool = True,
    modules: tuple[str, ...] = ("premier-pas", "en-pratique"),
) -> Path:
    theme, _ = Theme.objects.get_or_create(code="relations", defaults={"title": "Relations"})
    path = Path.objects.create(code=code, theme=theme, language="fr", publisher="Éditions Test")
    make_version(path, title=title or f"Parcours {code}", published=published, modules=modules)
    return path


def make_licence(
    organisation: Organisation,
    *,
    kind: str = OfferKind.INTEGRALE,
    seats: int = 10,
    paths: tuple[Path, ...] = (),
    status: str = LicenceStatus.ACTIVE,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> Licence:
    today = timezone.localdate()
    licence = create_licence(
        by=None,
        organisation=organisation,
        offer=offer(kind),
        starts_on=starts_on or today - timedelta(days=30),
        ends_on=ends_on or today + timedelta(days=335),
        seats=seats,
        paths=paths,
        activate=status != LicenceStatus.DRAFT,
    )
    if status not in (LicenceStatus.DRAFT, LicenceStatus.ACTIVE):
        Licence.objects.filter(pk=licence.pk).update(status=status)
        licence.refresh_from_db()
    return licence
