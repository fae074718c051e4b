"""Zip archives of packages: written deterministically, read through `common.safezip`.

Writing: files in insertion order, a fixed timestamp (the same content gives the same bytes),
UTF-8 names, already-compressed media stored as is; every name is checked by the same rule
that reading applies.

Reading (`read_archive`, `extract_archive`): `ancrage.common.safezip` checks every entry
(names, links, sizes, ratios) before anything is read or written.
"""

import io
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from ancrage.common.safezip import UnsafeArchive, check_name, extract_to, open_checked, read_entry

__all__ = ["PackageFiles", "UnsafeArchive", "extract_archive", "read_archive"]

FIXED_TIME = (2020, 1, 1, 0, 0, 0)
STORED_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".mp4", ".webm", ".mp3", ".ogg"}


def check_member_name(name: str) -> None:
    """Refuse a name that could escape the package's folder (or that reading would rewrite)."""
    if check_name(name) != name:
        raise UnsafeArchive(f"{name!r}: '.' in the path")


class PackageFiles:
    """The files of a package being built: relative POSIX path → bytes, in order."""

    def __init__(self) -> None:
        self._files: dict[str, bytes] = {}

    def add(self, name: str, data: bytes | str) -> None:
        check_member_name(name)
        self._files[name] = data.encode() if isinstance(data, str) else data

    def __contains__(self, name: object) -> bool:
        return name in self._files

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def get(self, name: str) -> bytes:
        return self._files[name]

    def names(self) -> list[str]:
        return list(self._files)

    def to_zip(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, data in self._files.items():
                info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
                info.external_attr = (stat.S_IFREG | 0o644) << 16
                stored = PurePosixPath(name).suffix.lower() in STORED_SUFFIXES
                info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
                archive.writestr(info, data, compresslevel=None if stored else 9)
        return buffer.getvalue()


def read_archive(data: bytes) -> dict[str, bytes]:
    """Every file of a zip, by name, after the safety checks (directories left out)."""
    archive, entries = open_checked(io.BytesIO(data))
    with archive:
        return {e.path: read_entry(archive, e) for e in entries if not e.is_dir}


def extract_archive(data: bytes, destination: Path) -> list[Path]:
    """Extract a zip under `destination` (which must exist); nothing is written outside it."""
    return extract_to(io.BytesIO(data), destination)
