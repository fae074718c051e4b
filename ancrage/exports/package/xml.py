"""Small helpers to write manifests with lxml (UTF-8, XML declaration, pretty printed)."""

from lxml import etree

from ancrage.exports.package.content import PLAYER_FILES, PackageSpec, Unit

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


def add_scorm_organization(
    root: etree._Element, spec: PackageSpec, *, cp: str, schema_version: str
) -> tuple[etree._Element, list[tuple[Unit, etree._Element]]]:
    """The `<metadata>` and `<organizations>` of a SCORM manifest: one organization titled
    after the package, one visible item per unit pointing at its SCO resource. `cp` is the
    content packaging namespace, `schema_version` the ADL one ("1.2", "2004 4th Edition").
    Returns the organization and each unit with its item, for what the version adds."""
    metadata = sub(root, f"{{{cp}}}metadata")
    sub(metadata, f"{{{cp}}}schema", "ADL SCORM")
    sub(metadata, f"{{{cp}}}schemaversion", schema_version)
    organizations = sub(root, f"{{{cp}}}organizations", default="ORG-1")
    organization = sub(organizations, f"{{{cp}}}organization", identifier="ORG-1")
    sub(organization, f"{{{cp}}}title", spec.title)
    items = []
    for unit in spec.units:
        item = sub(
            organization,
            f"{{{cp}}}item",
            identifier=f"ITEM-{unit.ident}",
            identifierref=f"RES-{unit.ident}",
            isvisible="true",
        )
        sub(item, f"{{{cp}}}title", unit.title)
        items.append((unit, item))
    return organization, items


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
