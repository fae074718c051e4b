"""Hostile archives, XML and YAML are refused with a clear reason, and nothing leaks to disk."""

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation

from ancrage.catalog.errors import MediaError
from ancrage.catalog.media import check_svg
from ancrage.catalog.packs.reader import read_yaml
from ancrage.common.safezip import UnsafeArchive, extract_to
from ancrage.common.tests.hostile import (
    ARCHIVES,
    ESCAPE,
    XML_DOCUMENTS,
    YAML_DOCUMENTS,
    Hostile,
)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _files_under(root: Path) -> set[Path]:
    return set(root.rglob("*"))


def test_the_corpus_has_at_least_twenty_hostile_archives() -> None:
    assert len(ARCHIVES) >= 20
    assert len(ARCHIVES) + len(XML_DOCUMENTS) + len(YAML_DOCUMENTS) >= 30


@pytest.mark.parametrize("case", ARCHIVES, ids=lambda c: c.name)
def test_hostile_archive_is_refused_and_nothing_is_written(case: Hostile, tmp_path: Path) -> None:
    archive = tmp_path / "upload.zip"
    archive.write_bytes(case.data)
    dest = tmp_path / "work" / "dest"
    dest.mkdir(parents=True)
    before = _files_under(tmp_path)

    with pytest.raises(UnsafeArchive) as refused:
        extract_to(archive, dest, case.limits)

    assert case.expect in str(refused.value)
    assert _files_under(tmp_path) == before
    for where in (tmp_path, tmp_path / "work", Path("/tmp"), Path("/tmp/work")):
        assert not (where / ESCAPE).exists()


@pytest.mark.parametrize("case", ARCHIVES[:5], ids=lambda c: c.name)
def test_hostile_archive_is_refused_from_a_stream_too(case: Hostile, tmp_path: Path) -> None:
    with pytest.raises(UnsafeArchive):
        extract_to(io.BytesIO(case.data), tmp_path, case.limits)
    assert list(tmp_path.iterdir()) == []


def test_a_clean_archive_is_extracted_inside_the_folder(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("pack/pack.yaml", "publisher: x\n")
        archive.writestr("pack/./media/a.txt", "bonjour")
        archive.writestr("pack/media/", "")
    written = extract_to(io.BytesIO(buffer.getvalue()), tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        "pack/media/a.txt",
        "pack/pack.yaml",
    ]
    assert (tmp_path / "pack/media/a.txt").read_text() == "bonjour"


def test_the_refusal_names_the_entry_and_the_reason() -> None:
    case = ARCHIVES[0]
    with pytest.raises(UnsafeArchive) as refused:
        extract_to(io.BytesIO(case.data), Path("/nonexistent-never-created"))
    assert str(refused.value) == (
        f"Archive entry “../{ESCAPE}” is refused: it climbs out of the archive folder (“..”)."
    )


@pytest.mark.parametrize("case", XML_DOCUMENTS, ids=lambda c: c.name)
def test_hostile_xml_is_refused(case: Hostile) -> None:
    with pytest.raises(MediaError) as refused:
        check_svg(case.data, "cover.svg")
    assert case.expect in str(refused.value)


def test_xml_entities_are_refused_by_defusedxml_even_without_the_doctype_prefilter() -> None:
    """The prefilter looks for `<!doctype`; the parser itself must refuse DTDs too."""
    from defusedxml import DTDForbidden
    from defusedxml import ElementTree as DefusedET

    with pytest.raises(DTDForbidden):
        DefusedET.fromstring(XML_DOCUMENTS[1].data, forbid_dtd=True)


@pytest.mark.parametrize("case", YAML_DOCUMENTS, ids=lambda c: c.name)
def test_hostile_yaml_is_refused(case: Hostile, tmp_path: Path) -> None:
    path = tmp_path / "pack.yaml"
    path.write_bytes(case.data)
    doc, problems = read_yaml(path, "pack.yaml")
    assert doc is None
    assert case.expect in str(problems[0])
