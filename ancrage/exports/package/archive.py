"""Zip archives of packages: written deterministically, read without ever trusting a name.

Writing: files in insertion order, a fixed timestamp (the same content gives the same bytes),
UTF-8 names, already-compressed media stored as is.

Reading (`read_archive`, `extract_archive`): every member name is checked before anything
is done with it — no absolute path, no drive letter, no backslash, no `..`, no symlink, no
more than `MAX_MEMBERS` members or `MAX_TOTAL_BYTES` uncompressed — and extraction resolves
each target and refuses anything outside the destination (zip-slip).
"""

import io
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

FIXED_TIME = (2020, 1, 1, 0, 0, 0)
STORED_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".mp4", ".webm", ".mp3", ".ogg"}
MAX_MEMBERS = 10_000
MAX_TOTAL_BYTES = 2 * 1024**3


class UnsafeArchive(ValueError):
    """A zip whose member names or sizes we refuse to handle; the message names the member."""


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


def check_member_name(name: str) -> None:
    """Refuse a name that could escape the package's folder or means nothing portable."""
    if not name or "\\" in name or "\x00" in name:
        raise UnsafeArchive(f"{name!r}: empty name, backslash or NUL")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise UnsafeArchive(f"{name!r}: absolute path")
    parts = PurePosixPath(name).parts
    if any(part in ("..", ".") for part in parts):
        raise UnsafeArchive(f"{name!r}: '.' or '..' in the path")


def _members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise UnsafeArchive(f"more than {MAX_MEMBERS} members")
    total = 0
    for info in infos:
        check_member_name(info.filename.rstrip("/") if info.is_dir() else info.filename)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UnsafeArchive(f"{info.filename!r}: symbolic link")
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise UnsafeArchive("uncompressed size over the limit")
    return infos


def read_archive(data: bytes) -> dict[str, bytes]:
    """Every file of a zip, by name, after the safety checks (directories left out)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UnsafeArchive(f"not a zip archive: {exc}") from exc
    with archive:
        return {
            info.filename: archive.read(info) for info in _members(archive) if not info.is_dir()
        }


def extract_archive(data: bytes, destination: Path) -> list[Path]:
    """Extract a zip under `destination` (which must exist); nothing is written outside it."""
    root = destination.resolve()
    written: list[Path] = []
    for name, content in read_archive(data).items():
        target = (root / name).resolve()
        if not target.is_relative_to(root):
            raise UnsafeArchive(f"{name!r}: outside the destination")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written.append(target)
    return written
