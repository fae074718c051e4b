"""The cmi5 zip: `cmi5.xml` at the root, the player with the cmi5 adapter, the units."""

from ancrage.exports.cmi5.manifest import build_manifest
from ancrage.exports.package.archive import PackageFiles
from ancrage.exports.package.content import PackageSpec, add_player_content

FORMAT = "cmi5"
MANIFEST = "cmi5.xml"


def build_package(spec: PackageSpec) -> PackageFiles:
    files = PackageFiles()
    files.add(MANIFEST, build_manifest(spec))
    add_player_content(files, spec, FORMAT)
    return files
