"""A corpus of hostile archives and documents, built in memory (no committed binaries).

Each `Hostile` carries the bytes, the words its refusal must contain, and, for archives,
the limits to check it with (small limits keep the bombs small and the tests fast; the
ratio bomb uses the default limits). Used by the safezip tests and the content-pack test.
"""

import io
import stat
import struct
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from ancrage.common.safezip import DEFAULT_LIMITS, Limits

ESCAPE = "ancrage-hostile-escape.txt"  # a traversal target: must never appear on disk


@dataclass(frozen=True)
class Hostile:
    name: str
    data: bytes
    expect: str  # a fragment of the English refusal
    limits: Limits = field(default=DEFAULT_LIMITS)


def _zip(entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with (
        warnings.catch_warnings(),  # duplicate names are on purpose
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        warnings.simplefilter("ignore", UserWarning)
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def _info(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # Unix, so external_attr carries the mode
    info.external_attr = mode << 16
    return info


def _patch(data: bytes, patcher: Callable[[bytearray, int, bool], None]) -> bytes:
    """Apply `patcher(buffer, offset, is_central)` to every local and central header."""
    buffer = bytearray(data)
    for signature, central in ((b"PK\x03\x04", False), (b"PK\x01\x02", True)):
        start = 0
        while (offset := buffer.find(signature, start)) >= 0:
            patcher(buffer, offset, central)
            start = offset + 4
    return bytes(buffer)


def _encrypted() -> bytes:
    def flag(buffer: bytearray, offset: int, central: bool) -> None:
        at = offset + (8 if central else 6)
        (bits,) = struct.unpack_from("<H", buffer, at)
        struct.pack_into("<H", buffer, at, bits | 0x1)

    return _patch(_zip([("secret.yaml", b"a: 1\n")]), flag)


def _lying_size() -> bytes:
    """An entry whose headers claim 10 bytes but which inflates to 100 000."""

    def shrink(buffer: bytearray, offset: int, central: bool) -> None:
        struct.pack_into("<I", buffer, offset + (24 if central else 22), 10)

    return _patch(_zip([("liar.txt", b"x" * 100_000)]), shrink)


def _many_entries(count: int) -> bytes:
    return _zip([(f"f{i}.txt", b"") for i in range(count)])


def _zeros(size: int) -> bytes:
    return bytes(size)


SMALL = Limits(max_entries=50, max_total_bytes=200_000, max_entry_bytes=100_000)

ARCHIVES: list[Hostile] = [
    Hostile("zip slip", _zip([(f"../{ESCAPE}", b"pwned")]), "climbs out"),
    Hostile("deep zip slip", _zip([(f"media/../../../{ESCAPE}", b"pwned")]), "climbs out"),
    Hostile(
        "slip after a valid file",
        _zip([("pack.yaml", b"a: 1"), (f"../{ESCAPE}", b"x")]),
        "climbs out",
    ),
    Hostile("absolute path", _zip([(f"/tmp/{ESCAPE}", b"pwned")]), "absolute path"),
    Hostile("backslash traversal", _zip([(f"..\\{ESCAPE}", b"pwned")]), "backslash"),
    Hostile("UNC path", _zip([(f"\\\\server\\share\\{ESCAPE}", b"pwned")]), "backslash"),
    Hostile("drive letter with slash", _zip([(f"C:/{ESCAPE}", b"pwned")]), "drive letter"),
    Hostile("drive-relative path", _zip([(f"c:{ESCAPE}", b"pwned")]), "drive letter"),
    Hostile("colon in a name (NTFS stream)", _zip([(f"media/{ESCAPE}:stream", b"x")]), "colon"),
    Hostile(
        "control character in a name", _zip([("media/a\x1b[31m.txt", b"x")]), "control characters"
    ),
    Hostile("empty name", _zip([(zipfile.ZipInfo("/"), b"")]), "empty name"),
    Hostile(
        "symlink to /etc/passwd",
        _zip([(_info("passwd", stat.S_IFLNK | 0o777), b"/etc/passwd")]),
        "symbolic link",
    ),
    Hostile(
        "symlink to the parent folder",
        _zip([(_info("up", stat.S_IFLNK | 0o777), b".."), (f"up/{ESCAPE}", b"x")]),
        "symbolic link",
    ),
    Hostile("character device", _zip([(_info("tty", stat.S_IFCHR | 0o666), b"")]), "special file"),
    Hostile("named pipe", _zip([(_info("fifo", stat.S_IFIFO | 0o666), b"")]), "special file"),
    Hostile("too many entries", _many_entries(51), "entries (limit 50)", SMALL),
    Hostile(
        "too many entries (defaults)",
        _many_entries(DEFAULT_LIMITS.max_entries + 1),
        "entries (limit 2000)",
    ),
    Hostile(
        "total size bomb",
        _zip([(f"part{i}.bin", _zeros(60_000)) for i in range(4)]),
        "expands to more than",
        Limits(max_entries=50, max_total_bytes=200_000, max_entry_bytes=100_000, max_ratio=10_000),
    ),
    Hostile(
        "one entry too large",
        _zip([("big.bin", _zeros(150_000))]),
        "expands to 150000 bytes",
        Limits(max_entries=50, max_total_bytes=10**9, max_entry_bytes=100_000, max_ratio=10_000),
    ),
    Hostile(
        "compression ratio bomb (defaults)",
        _zip([("bomb.bin", _zeros(20 * 1024 * 1024))]),
        "compression ratio",
    ),
    Hostile(
        "header lies about the size", _lying_size(), "cannot be read", Limits(ratio_floor=10**9)
    ),
    Hostile("duplicate names", _zip([("pack.yaml", b"a: 1"), ("pack.yaml", b"a: 2")]), "same name"),
    Hostile(
        "names equal after case folding",
        _zip([("Media/A.png", b"1"), ("media/a.PNG", b"2")]),
        "same name",
    ),
    Hostile(
        "file and folder with one name",
        _zip([("media", b"x"), ("media/a.png", b"y")]),
        "also a file",
    ),
    Hostile("encrypted entry", _encrypted(), "encrypted"),
    Hostile("not a zip at all", b"<html>this is not a zip</html>", "not a readable zip"),
    Hostile("truncated zip", _zip([("pack.yaml", b"a: 1" * 100)])[:-30], "not a readable zip"),
]

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<svg xmlns="http://www.w3.org/2000/svg">&lol3;</svg>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&xxe;</text></svg>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://127.0.0.1:9/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg"/>"""
PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> %remote;]>
<svg xmlns="http://www.w3.org/2000/svg"/>"""

XML_DOCUMENTS: list[Hostile] = [
    Hostile("billion laughs SVG", BILLION_LAUGHS, "DOCTYPE"),
    Hostile("XXE SVG (file:///etc/passwd)", XXE, "DOCTYPE"),
    Hostile("external DTD SVG", EXTERNAL_DTD, "DOCTYPE"),
    Hostile("parameter entity SVG", PARAMETER_ENTITY, "DOCTYPE"),
]

YAML_ALIAS_BOMB = b"""a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]
"""
YAML_PYTHON_TAG = b"publisher: !!python/object/apply:os.system ['echo pwned']\n"

YAML_DOCUMENTS: list[Hostile] = [
    Hostile("YAML alias bomb", YAML_ALIAS_BOMB, "aliases"),
    Hostile("YAML python object tag", YAML_PYTHON_TAG, "YAML tags"),
    Hostile("YAML that is not UTF-8", "publisher: é".encode("latin-1"), "not UTF-8"),
]
