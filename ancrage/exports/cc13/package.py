"""The Common Cartridge 1.3 zip: the manifest and one LTI link file per unit (no player)."""

from ancrage.exports.cc13.manifest import build_link, build_manifest, link_file
from ancrage.exports.package.archive import PackageFiles
from ancrage.exports.package.content import PackageSpec

FORMAT = "cc13"
MANIFEST = "imsmanifest.xml"


def build_package(spec: PackageSpec) -> PackageFiles:
    files = PackageFiles()
    files.add(MANIFEST, build_manifest(spec))
    for unit in spec.units:
        files.add(link_file(unit), build_link(unit))
    return files
