"""The SCORM 2004 4th edition `imsmanifest.xml` (IMS CP 1.1.4 + ADL CP/SEQ/NAV 1.3).

One SCO per unit, each depending on the shared player asset. Items let the content set
completion and success (`deliveryControls`); units with quizzes carry a primary objective
satisfied by measure with `minNormalizedMeasure` = the player's mastery (0.8), which the LMS
gives the SCO as `cmi.scaled_passing_score`.
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

CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
SCHEMA_LOCATION = (
    f"{CP} imscp_v1p1.xsd {ADLCP} adlcp_v1p3.xsd {ADLSEQ} adlseq_v1p3.xsd "
    f"{ADLNAV} adlnav_v1p3.xsd {IMSSS} imsss_v1p0.xsd"
)


def build_manifest(spec: PackageSpec) -> bytes:
    root = etree.Element(
        f"{{{CP}}}manifest",
        {
            "identifier": xml_id(spec.identifier),
            "version": "1",
            f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION,
        },
        nsmap={
            None: CP,
            "adlcp": ADLCP,
            "adlseq": ADLSEQ,
            "adlnav": ADLNAV,
            "imsss": IMSSS,
            "xsi": XSI,
        },
    )
    organization, items = add_scorm_organization(
        root, spec, cp=CP, schema_version="2004 4th Edition"
    )
    for unit, item in items:
        sequencing = sub(item, f"{{{IMSSS}}}sequencing")
        if unit.has_quiz:
            objectives = sub(sequencing, f"{{{IMSSS}}}objectives")
            primary = sub(
                objectives,
                f"{{{IMSSS}}}primaryObjective",
                objectiveID=f"{unit.ident}-mastery",
                satisfiedByMeasure="true",
            )
            sub(primary, f"{{{IMSSS}}}minNormalizedMeasure", str(unit.data["mastery"]))
        sub(
            sequencing,
            f"{{{IMSSS}}}deliveryControls",
            completionSetByContent="true",
            objectiveSetByContent="true",
        )
    org_sequencing = sub(organization, f"{{{IMSSS}}}sequencing")
    sub(org_sequencing, f"{{{IMSSS}}}controlMode", choice="true", flow="true")
    add_scorm_resources(
        root, spec, cp=CP, scorm_type=f"{{{ADLCP}}}scormType", adapter=ADAPTERS["scorm2004"]
    )
    return to_bytes(root)
