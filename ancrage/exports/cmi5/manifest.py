"""The cmi5 course structure (`cmi5.xml`, cmi5 profile v1 CourseStructure.xsd).

One AU per unit, its URL the unit's launch page (relative to the package). A unit with
quizzes moves on when *CompletedAndPassed* with `masteryScore` = the player's mastery; a unit
without quizzes when *Completed*. Identifiers are IRIs under our site, stable per
organisation, scope and version, so a re-import updates the course rather than adding one.
"""

from urllib.parse import quote

from lxml import etree

from ancrage.exports.package.content import PackageSpec, Unit, site_url
from ancrage.exports.package.xml import sub, to_bytes

NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def course_id(spec: PackageSpec) -> str:
    return f"{site_url()}/xapi/activities/export/{quote(spec.identifier)}"


def au_id(spec: PackageSpec, unit: Unit) -> str:
    return f"{course_id(spec)}/{unit.ident}"


def move_on(unit: Unit) -> str:
    return "CompletedAndPassed" if unit.has_quiz else "Completed"


def _text(parent: etree._Element, tag: str, text: str, language: str) -> None:
    sub(sub(parent, _q(tag)), _q("langstring"), text, lang=language)


def build_manifest(spec: PackageSpec) -> bytes:
    root = etree.Element(_q("courseStructure"), nsmap={None: NS})
    course = sub(root, _q("course"), id=course_id(spec))
    _text(course, "title", spec.title, spec.language)
    _text(course, "description", spec.title, spec.language)
    for unit in spec.units:
        au = sub(
            root,
            _q("au"),
            id=au_id(spec, unit),
            moveOn=move_on(unit),
            launchMethod="AnyWindow",
        )
        if unit.has_quiz:
            au.set("masteryScore", str(unit.data["mastery"]))
        _text(au, "title", unit.title, unit.language)
        _text(au, "description", unit.description or unit.title, unit.language)
        sub(au, _q("url"), unit.launch)
    return to_bytes(root)
