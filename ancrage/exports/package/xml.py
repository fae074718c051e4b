"""Small helpers to write manifests with lxml (UTF-8, XML declaration, pretty printed)."""

from lxml import etree

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
