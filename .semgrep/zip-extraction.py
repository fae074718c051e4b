# Fixture for `semgrep --test`.
import shutil
import tarfile
import xml.etree.ElementTree as ET
import zipfile
from xml.dom import minidom

from defusedxml import ElementTree as DefusedET
from lxml import etree

from ancrage.common.safezip import extract_to


def unpack(upload, dest):
    archive = zipfile.ZipFile(upload)
    # ruleid: ancrage-unsafe-archive-extraction
    archive.extractall(dest)
    # ruleid: ancrage-unsafe-archive-extraction
    archive.extract("imsmanifest.xml", dest)
    # ruleid: ancrage-unsafe-archive-extraction
    shutil.unpack_archive(upload, dest)
    # ruleid: ancrage-unsafe-archive-extraction
    tarfile.open(upload)
    # ok: ancrage-unsafe-archive-extraction
    extract_to(upload, dest)


def parse(data):
    # ruleid: ancrage-unsafe-xml-parser
    ET.fromstring(data)
    # ruleid: ancrage-unsafe-xml-parser
    minidom.parseString(data)
    # ruleid: ancrage-unsafe-xml-parser
    etree.fromstring(data)
    # ruleid: ancrage-unsafe-xml-parser
    parser = etree.XMLParser(no_network=True)
    # ok: ancrage-unsafe-xml-parser
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    # ok: ancrage-unsafe-xml-parser
    etree.fromstring(data, parser)
    # ok: ancrage-unsafe-xml-parser
    DefusedET.fromstring(data, forbid_dtd=True)
