"""Bench: package size per format for every demo path, and the time to export the whole demo
catalogue in every format (then to validate it).

Runs on a throw-away database (SQLite in a temporary folder unless DATABASE_URL names a
PostgreSQL one): the demo catalogue imported and published, one organisation with the
intégrale. Baseline measured in the same run: zipping the same files with plain `zipfile`
(what any packager pays), so the ratio shows our overhead (bundles, templates, manifests).

    .venv/bin/python bench/exports/export_bench.py
"""

import io
import os
import sys
import tempfile
import time
import zipfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
_tmp = tempfile.mkdtemp(prefix="ancrage-bench-exports-")
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from ancrage.catalog.models import PathVersion, VersionStatus  # noqa: E402
from ancrage.catalog.packs.importer import import_pack  # noqa: E402
from ancrage.demo.catalogue import DEMO_PACK  # noqa: E402
from ancrage.exports.actions import export_package  # noqa: E402
from ancrage.exports.models import ExportFormat  # noqa: E402
from ancrage.exports.package.archive import read_archive  # noqa: E402
from ancrage.exports.validate import validate_package  # noqa: E402
from ancrage.licensing.actions import create_licence  # noqa: E402
from ancrage.licensing.models import Offer, OfferKind  # noqa: E402
from ancrage.tenancy.models import Organisation  # noqa: E402


def main() -> None:
    settings.MEDIA_ROOT = Path(_tmp) / "media"
    call_command("migrate", verbosity=0)
    import_pack(DEMO_PACK, publish=True)
    organisation = Organisation.objects.create(name="Bench", slug="bench")
    offer, _ = Offer.objects.get_or_create(
        code="integrale", defaults={"name": "Intégrale", "kind": OfferKind.INTEGRALE}
    )
    today = timezone.localdate()
    create_licence(
        by=None,
        organisation=organisation,
        offer=offer,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=30),
        seats=10,
        activate=True,
    )
    codes = list(
        PathVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .order_by("path__code")
        .values_list("path__code", flat=True)
    )
    formats = list(ExportFormat.values)
    sizes: dict[tuple[str, str], int] = {}
    packages: list[tuple[str, bytes]] = []
    started = time.perf_counter()
    for code in codes:
        for fmt in formats:
            exported = export_package(
                by=None, organisation=organisation, format=fmt, path_code=code
            )
            sizes[(code, fmt)] = len(exported.data)
            packages.append((fmt, exported.data))
    export_seconds = time.perf_counter() - started
    started = time.perf_counter()
    problems = sum(len(validate_package(data, fmt).problems) for fmt, data in packages)
    validate_seconds = time.perf_counter() - started
    # Baseline: re-zip the same member files with plain zipfile (deflate).
    started = time.perf_counter()
    for _fmt, data in packages:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in read_archive(data).items():
                archive.writestr(name, content)
    baseline_seconds = time.perf_counter() - started

    width = max(len(c) for c in codes)
    print(f"Package size (KB) per demo path and format — {settings.DATABASES['default']['ENGINE']}")
    print(f"{'path':<{width}}  " + "  ".join(f"{f:>9}" for f in formats))
    for code in codes:
        print(f"{code:<{width}}  " + "  ".join(f"{sizes[(code, f)] / 1024:9.1f}" for f in formats))
    total = len(packages)
    print(
        f"\nExport of the whole demo catalogue: {len(codes)} paths × {len(formats)} formats = "
        f"{total} packages in {export_seconds:.2f} s ({export_seconds / total * 1000:.0f} ms each)"
    )
    print(
        f"Validation of all {total} packages (XSD + own checks): {validate_seconds:.2f} s, {problems} problem(s)"
    )
    print(
        f"Baseline (plain zipfile of the same files): {baseline_seconds:.2f} s — "
        f"ratio export/baseline {export_seconds / baseline_seconds:.1f}×"
    )


if __name__ == "__main__":
    main()
