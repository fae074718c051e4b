"""A thin Common Cartridge 1.3: one LTI link (`imsbasiclti_xmlv1p0`) per path.

Each link launches `{SITE_URL}/lti/launch/` with the custom parameter `path_code` (and
`module` for a module), which the LTI 1.3 tool (`ancrage.exports.lti13`) reads from the
custom claim. No content is copied: the learner plays on our site, under the licence.
There is no CC 1.3 XSD available offline, so `validate.py` checks the structure itself.
"""

from lxml import etree

from ancrage.exports.package.content import PackageSpec, Unit, site_url
from ancrage.exports.package.xml import XSI, sub, to_bytes, xml_id

CP = "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1"
LOMIMSCC = "http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest"
LTICC = "http://www.imsglobal.org/xsd/imslticc_v1p0"
BLTI = "http://www.imsglobal.org/xsd/imsbasiclti_v1p0"
LTICM = "http://www.imsglobal.org/xsd/imslticm_v1p0"
LTICP = "http://www.imsglobal.org/xsd/imslticp_v1p0"
LINK_TYPE = "imsbasiclti_xmlv1p0"


def _q(tag: str) -> str:
    return f"{{{CP}}}{tag}"


def launch_url() -> str:
    return f"{site_url()}/lti/launch/"


def link_file(unit: Unit) -> str:
    return f"{unit.ident}.xml"


def build_link(unit: Unit) -> bytes:
    root = etree.Element(
        f"{{{LTICC}}}cartridge_basiclti_link",
        {
            f"{{{XSI}}}schemaLocation": (
                f"{LTICC} http://www.imsglobal.org/xsd/lti/ltiv1p0/imslticc_v1p0.xsd "
                f"{BLTI} http://www.imsglobal.org/xsd/lti/ltiv1p0/imsbasiclti_v1p0p1.xsd"
            )
        },
        nsmap={None: LTICC, "blti": BLTI, "lticm": LTICM, "lticp": LTICP, "xsi": XSI},
    )
    sub(root, f"{{{BLTI}}}title", unit.title)
    sub(root, f"{{{BLTI}}}description", unit.description or unit.title)
    custom = sub(root, f"{{{BLTI}}}custom")
    sub(custom, f"{{{LTICM}}}property", unit.path_code, name="path_code")
    if unit.module_slug:
        sub(custom, f"{{{LTICM}}}property", unit.module_slug, name="module")
    sub(root, f"{{{BLTI}}}launch_url", launch_url())
    sub(root, f"{{{BLTI}}}secure_launch_url", launch_url())
    vendor = sub(root, f"{{{BLTI}}}vendor")
    sub(vendor, f"{{{LTICP}}}code", "ancrage")
    sub(vendor, f"{{{LTICP}}}name", "Ancrage")
    return to_bytes(root)


def build_manifest(spec: PackageSpec) -> bytes:
    root = etree.Element(
        _q("manifest"),
        {"identifier": xml_id(spec.identifier)},
        nsmap={None: CP, "lomimscc": LOMIMSCC, "xsi": XSI},
    )
    metadata = sub(root, _q("metadata"))
    sub(metadata, _q("schema"), "IMS Common Cartridge")
    sub(metadata, _q("schemaversion"), "1.3.0")
    lom = sub(metadata, f"{{{LOMIMSCC}}}lom")
    general = sub(lom, f"{{{LOMIMSCC}}}general")
    title = sub(general, f"{{{LOMIMSCC}}}title")
    sub(title, f"{{{LOMIMSCC}}}string", spec.title, language=spec.language)
    organizations = sub(root, _q("organizations"))
    organization = sub(
        organizations, _q("organization"), identifier="ORG-1", structure="rooted-hierarchy"
    )
    top = sub(organization, _q("item"), identifier="ROOT")
    for unit in spec.units:
        item = sub(
            top, _q("item"), identifier=f"ITEM-{unit.ident}", identifierref=f"RES-{unit.ident}"
        )
        sub(item, _q("title"), unit.title)
    resources = sub(root, _q("resources"))
    for unit in spec.units:
        resource = sub(resources, _q("resource"), identifier=f"RES-{unit.ident}", type=LINK_TYPE)
        sub(resource, _q("file"), href=link_file(unit))
    return to_bytes(root)
