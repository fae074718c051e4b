"""The one way Ancrage reads a zip archive someone else made (content packs, SCORM, cmi5).

`open_checked(source)` inspects the central directory *before* anything is read or written
and raises `UnsafeArchive` (its message names the entry and the reason) for:

* names that escape the destination: `../` segments, absolute paths (`/etc`, `\\\\server`),
  Windows drive letters (`C:`), backslashes, NUL or control characters, empty names;
* symbolic links and other non-regular files (Unix mode in `external_attr`);
* zip bombs: too many entries, too much uncompressed data in total, one entry whose
  compression ratio is implausible, or an entry that inflates beyond its declared size;
* duplicate names (also after case folding: they overwrite each other on macOS/Windows);
* encrypted entries (we could not inspect them);
* something that is not a zip at all.

`extract_to(source, dest)` then writes the regular files under `dest` only, reading each
entry through a counting stream so a lying header cannot write more than the limits.
Nothing else in the code base may call `ZipFile.extract`/`extractall` (a semgrep rule in
`.semgrep/` enforces it).
"""

import stat
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from django.utils.translation import gettext as _

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_entries: int = 2_000
    max_total_bytes: int = 300 * MB
    max_entry_bytes: int = 60 * MB
    max_ratio: int = 100  # uncompressed / compressed, for entries above `ratio_floor` bytes
    ratio_floor: int = 64 * 1024


DEFAULT_LIMITS = Limits()
_CHUNK = 64 * 1024


class UnsafeArchive(Exception):
    """An archive refused before extraction; `str(error)` says which entry and why."""


def _refuse(name: str, reason: str) -> UnsafeArchive:
    return UnsafeArchive(
        _("Archive entry “%(name)s” is refused: %(reason)s.") % {"name": name, "reason": reason}
    )


def check_name(raw: str) -> str:
    """The entry's safe relative POSIX path, or UnsafeArchive."""
    shown = raw.encode("unicode_escape").decode("ascii")
    if not raw or raw in {".", "/"}:
        raise _refuse(shown, _("it has an empty name"))
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in raw):
        raise _refuse(shown, _("its name contains control characters"))
    if "\\" in raw:
        raise _refuse(shown, _("its name contains a backslash (a Windows path)"))
    if raw.startswith("/"):
        raise _refuse(shown, _("it has an absolute path"))
    if len(raw) >= 2 and raw[1] == ":" and raw[0].isalpha():
        raise _refuse(shown, _("it names a Windows drive letter"))
    parts = PurePosixPath(raw).parts
    if any(part == ".." for part in parts):
        raise _refuse(shown, _("it climbs out of the archive folder (“..”)"))
    if any(":" in part for part in parts):
        raise _refuse(shown, _("its name contains a colon"))
    return "/".join(part for part in parts if part != ".")


def _unix_mode(info: zipfile.ZipInfo) -> int:
    return (info.external_attr >> 16) & 0xFFFF


def _check_entry(info: zipfile.ZipInfo, limits: Limits) -> None:
    name = info.filename
    if info.flag_bits & 0x1:
        raise _refuse(name, _("it is encrypted"))
    mode = _unix_mode(info)
    if mode and stat.S_IFMT(mode) and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        kind = _("a symbolic link") if stat.S_ISLNK(mode) else _("a special file")
        raise _refuse(name, _("it is %(kind)s, not a regular file") % {"kind": kind})
    if info.file_size > limits.max_entry_bytes:
        raise _refuse(
            name,
            _("it expands to %(size)d bytes (limit %(limit)d)")
            % {"size": info.file_size, "limit": limits.max_entry_bytes},
        )
    if info.file_size > limits.ratio_floor:
        compressed = max(info.compress_size, 1)
        if info.file_size / compressed > limits.max_ratio:
            raise _refuse(
                name,
                _("its compression ratio is %(ratio)d:1 (limit %(limit)d:1), a zip bomb")
                % {"ratio": info.file_size // compressed, "limit": limits.max_ratio},
            )


@dataclass(frozen=True)
class CheckedEntry:
    info: zipfile.ZipInfo
    path: str  # safe relative POSIX path
    is_dir: bool


def inspect(archive: zipfile.ZipFile, limits: Limits = DEFAULT_LIMITS) -> list[CheckedEntry]:
    """Check every entry of an open archive; return them, or raise UnsafeArchive."""
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise UnsafeArchive(
            _("The archive has %(count)d entries (limit %(limit)d).")
            % {"count": len(infos), "limit": limits.max_entries}
        )
    total = 0
    seen: dict[str, str] = {}
    entries: list[CheckedEntry] = []
    for info in infos:
        path = check_name(info.filename)
        _check_entry(info, limits)
        folded = unicodedata.normalize("NFC", path.rstrip("/")).casefold()
        if folded in seen:
            raise _refuse(
                info.filename,
                _("another entry has the same name (“%(other)s”)") % {"other": seen[folded]},
            )
        seen[folded] = info.filename
        total += info.file_size
        if total > limits.max_total_bytes:
            raise UnsafeArchive(
                _("The archive expands to more than %(limit)d bytes.")
                % {"limit": limits.max_total_bytes}
            )
        entries.append(CheckedEntry(info, path.rstrip("/"), info.is_dir()))
    # A file "a" and a folder "a/…" cannot both exist on disk.
    files = {e.path.casefold() for e in entries if not e.is_dir}
    for entry in entries:
        parents = PurePosixPath(entry.path).parents
        for parent in list(parents)[:-1]:
            if str(parent).casefold() in files:
                raise _refuse(entry.info.filename, _("its folder is also a file in the archive"))
    return entries


def open_checked(
    source: str | Path | IO[bytes], limits: Limits = DEFAULT_LIMITS
) -> tuple[zipfile.ZipFile, list[CheckedEntry]]:
    """Open and check an archive; the caller closes the returned ZipFile."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnsafeArchive(
            _("This file is not a readable zip archive (%(error)s).") % {"error": exc}
        ) from exc
    try:
        return archive, inspect(archive, limits)
    except BaseException:
        archive.close()
        raise


def read_entry(
    archive: zipfile.ZipFile, entry: CheckedEntry, limits: Limits = DEFAULT_LIMITS
) -> bytes:
    """An entry's bytes, refusing one that inflates beyond its declared size."""
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(entry.info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > entry.info.file_size or size > limits.max_entry_bytes:
                    raise _refuse(entry.info.filename, _("it inflates beyond its declared size"))
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
        raise _refuse(
            entry.info.filename, _("it cannot be read (%(error)s)") % {"error": exc}
        ) from exc
    return b"".join(chunks)


def extract_to(
    source: str | Path | IO[bytes], dest: Path, limits: Limits = DEFAULT_LIMITS
) -> list[Path]:
    """Check the whole archive, then write its regular files under `dest` (which must exist).

    Returns the files written. On any refusal nothing is written: every entry is checked
    first, then each file is written; a file failing while being inflated is removed with
    everything written before it.
    """
    root = dest.resolve()
    archive, entries = open_checked(source, limits)
    written: list[Path] = []
    try:
        with archive:
            for entry in entries:
                target = (root / entry.path).resolve()
                if target != root and root not in target.parents:
                    raise _refuse(entry.info.filename, _("it would be written outside the folder"))
                if entry.is_dir:
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                data = read_entry(archive, entry, limits)
                target.parent.mkdir(parents=True, exist_ok=True)
                # "x": never follow or overwrite something already there (a symlink planted
                # by an earlier entry cannot exist: links are refused, but be strict anyway).
                with target.open("xb") as out:
                    out.write(data)
                written.append(target)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return written
