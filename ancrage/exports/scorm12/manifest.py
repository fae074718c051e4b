"""The SCORM 1.2 `imsmanifest.xml` (IMS CP 1.1.2 + ADL CP 1.2): one SCO per unit.

Every unit is an item pointing at its SCO resource (its launch page, bundle and media) which
depends on one shared asset resource (the player files). Units with quizzes carry
`adlcp:masteryscore` (80, the player's mastery) so the LMS can tell passed from failed.
"""

from lxml import etree

from ancrage.exports.package.content import ADAPTERS, PackageSpec
from ancrage.exports.package.xml import (
    XSI,
    add_scorm_organization,
    add_scorm_resources,
    sub,
    to_bytes,
    xml_id,
)

CP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
SCHEMA_LOCATION = (
    f"{CP} imscp_rootv1p1p2.xsd "
    "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd "
    f"{ADLCP} adlcp_rootv1p2.xsd"
)


def build_manifest(spec: PackageSpec) -> bytes:
    root = etree.Element(
        f"{{{CP}}}manifest",
        {
            "identifier": xml_id(spec.identifier),
            "version": "1.0",
            f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION,
        },
        nsmap={None: CP, "adlcp": ADLCP, "xsi": XSI},
    )
    _organization, items = add_scorm_organization(root, spec, cp=CP, schema_version="1.2")
    for unit, item in items:
        if unit.has_quiz:
            sub(item, f"{{{ADLCP}}}masteryscore", str(round(unit.data["mastery"] * 100)))
    add_scorm_resources(
        root, spec, cp=CP, scorm_type=f"{{{ADLCP}}}scormtype", adapter=ADAPTERS["scorm12"]
    )
    return to_bytes(root)
