"""Small helpers to write manifests with lxml (UTF-8, XML declaration, pretty printed)."""

from lxml import etree

from ancrage.exports.package.content import PLAYER_FILES, PackageSpec

XSI = "http://www.w3.org/2001/XMLSchema-instance"


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def to_bytes(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def xml_id(text: str) -> str:
    """An xsd:ID (NCName) from any text: letters, digits, '-', '_' and '.'; starts with a letter."""
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in text)
    return cleaned if cleaned[:1].isalpha() else f"A{cleaned}"


def add_scorm_resources(
    root: etree._Element, spec: PackageSpec, *, cp: str, scorm_type: str, adapter: str
) -> None:
    """The `<resources>` of a SCORM manifest: one SCO per unit (launch page, bundle, media)
    depending on one shared asset (the player and its host `adapter`). `cp` is the content
    packaging namespace, `scorm_type` the ADL attribute (`adlcp:scormtype` in 1.2,
    `adlcp:scormType` in 2004) in Clark notation."""
    resources = sub(root, f"{{{cp}}}resources")
    for unit in spec.units:
        resource = sub(
            resources,
            f"{{{cp}}}resource",
            identifier=f"RES-{unit.ident}",
            type="webcontent",
            href=unit.launch,
        )
        resource.set(scorm_type, "sco")
        for name in unit.files():
            sub(resource, f"{{{cp}}}file", href=name)
        sub(resource, f"{{{cp}}}dependency", identifierref="RES-player")
    player = sub(resources, f"{{{cp}}}resource", identifier="RES-player", type="webcontent")
    player.set(scorm_type, "asset")
    for name in (*PLAYER_FILES, adapter):
        sub(player, f"{{{cp}}}file", href=name)
