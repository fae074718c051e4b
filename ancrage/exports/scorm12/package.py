"""The SCORM 1.2 zip: the player with the SCORM 1.2 adapter, the units, the manifest."""

from ancrage.exports.package.archive import PackageFiles
from ancrage.exports.package.content import PackageSpec, add_player_content
from ancrage.exports.scorm12.manifest import build_manifest

FORMAT = "scorm12"
MANIFEST = "imsmanifest.xml"


def build_package(spec: PackageSpec) -> PackageFiles:
    files = PackageFiles()
    files.add(MANIFEST, build_manifest(spec))
    add_player_content(files, spec, FORMAT)
    return files
