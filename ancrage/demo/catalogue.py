"""The demo catalogue: import and publish the French demo pack (ancrage/demo/pack/).

Idempotent: a path whose content did not change keeps its version (same content hash);
a path whose pack files changed gets a new published version, and the previous one is
retired (demo learners pinned to it keep it).
"""

from pathlib import Path

from ancrage.catalog.packs.importer import ImportReport, import_pack

DEMO_PACK = Path(__file__).resolve().parent / "pack"


def load_catalogue(pack_dir: Path = DEMO_PACK) -> ImportReport:
    """Import and publish the demo pack; raises PackInvalid if the pack has problems."""
    return import_pack(pack_dir, publish=True)
