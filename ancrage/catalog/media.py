"""Media checks shared by content packs and uploads: what a file really is, and is it safe.

The type is detected from the content (magic bytes), never trusted from the name; the
file name's extension must then agree with it, so `photo.png` holding a JPEG or an HTML page
is refused. Accepted:

| kind     | formats                        | limit  |
|----------|--------------------------------|--------|
| image    | PNG, JPEG, WebP, GIF, SVG      | 2 MB   |
| video    | MP4, WebM                      | 50 MB  |
| captions | WebVTT (UTF-8 text)            | 200 KB |

SVG is *rejected*, not rewritten, when it holds anything active or foreign: scripts, event
handler attributes (`onload=`…), `<foreignObject>`, embedded frames, animations that set a
link, a DOCTYPE or entity declaration, a stylesheet processing instruction, a link (`href`)
that is not a `#fragment` inside the file, or CSS that loads a URL. Rewriting would change
what the author sees without telling them; a clear refusal lets them export a clean file.
"""

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from defusedxml import ElementTree as DefusedET
from django.utils.translation import gettext as _

from ancrage.catalog.errors import MediaError
from ancrage.catalog.models import MediaKind

MB = 1024 * 1024
SIZE_LIMITS: dict[str, int] = {
    MediaKind.IMAGE: 2 * MB,
    MediaKind.VIDEO: 50 * MB,
    MediaKind.CAPTIONS: 200 * 1024,
}
MAX_SIZE = max(SIZE_LIMITS.values())


@dataclass(frozen=True)
class Format:
    name: str
    kind: str
    content_type: str
    extensions: tuple[str, ...]  # the first one is used when storing


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("png", MediaKind.IMAGE, "image/png", ("png",)),
        Format("jpeg", MediaKind.IMAGE, "image/jpeg", ("jpg", "jpeg")),
        Format("webp", MediaKind.IMAGE, "image/webp", ("webp",)),
        Format("gif", MediaKind.IMAGE, "image/gif", ("gif",)),
        Format("svg", MediaKind.IMAGE, "image/svg+xml", ("svg",)),
        Format("mp4", MediaKind.VIDEO, "video/mp4", ("mp4", "m4v")),
        Format("webm", MediaKind.VIDEO, "video/webm", ("webm",)),
        Format("vtt", MediaKind.CAPTIONS, "text/vtt", ("vtt",)),
    )
}


@dataclass(frozen=True)
class MediaInfo:
    format: Format
    size: int
    sha256: str

    @property
    def kind(self) -> str:
        return self.format.kind


def _kind_label(kind: str) -> str:
    return str(MediaKind(kind).label).lower()


def detect_format(head: bytes) -> Format | None:
    """The format the first bytes announce (at least 4 KB of them), or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FORMATS["png"]
    if head.startswith(b"\xff\xd8\xff"):
        return FORMATS["jpeg"]
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FORMATS["webp"]
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return FORMATS["gif"]
    if head[4:8] == b"ftyp":
        return FORMATS["mp4"]
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head[:4096]:
        return FORMATS["webm"]
    text = head.removeprefix(b"\xef\xbb\xbf")
    if re.match(rb"WEBVTT(?:[ \t\r\n]|$)", text):
        return FORMATS["vtt"]
    if _looks_like_svg(text):
        return FORMATS["svg"]
    return None


def _looks_like_svg(text: bytes) -> bool:
    # An XML prolog, comments, a DOCTYPE (refused later, with its own reason) or whitespace
    # may come before the <svg> root.
    stripped = re.sub(
        rb"^(?:\s|<\?xml[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*",
        b"",
        text[:4096],
        flags=re.S | re.I,
    )
    return stripped.startswith(b"<svg") and stripped[4:5] in (b" ", b">", b"\n", b"\t", b"\r")


def inspect_bytes(data: bytes, filename: str, *, kinds: frozenset[str] | None = None) -> MediaInfo:
    """Check `data` (named `filename`) and describe it; raises MediaError with the reason."""
    fmt = detect_format(data[:8192])
    if fmt is None:
        raise MediaError(
            _(
                "“%(name)s” is not a supported media file (PNG, JPEG, WebP, GIF, SVG, MP4, WebM or WebVTT)"
            )
            % {"name": filename}
        )
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in fmt.extensions:
        raise MediaError(
            _("“%(name)s” contains %(format)s data; its name must end in .%(ext)s")
            % {"name": filename, "format": fmt.name.upper(), "ext": fmt.extensions[0]}
        )
    if kinds is not None and fmt.kind not in kinds:
        raise MediaError(
            _("“%(name)s” is of kind “%(kind)s”; expected: %(expected)s")
            % {
                "name": filename,
                "kind": _kind_label(fmt.kind),
                "expected": ", ".join(_kind_label(k) for k in sorted(kinds)),
            }
        )
    limit = SIZE_LIMITS[fmt.kind]
    if len(data) > limit:
        raise MediaError(_too_big(fmt.kind, filename, len(data), limit))
    if fmt.name == "vtt":
        _check_vtt(data, filename)
    elif fmt.name == "svg":
        check_svg(data, filename)
    return MediaInfo(format=fmt, size=len(data), sha256=hashlib.sha256(data).hexdigest())


def read_checked(path: Path, *, kinds: frozenset[str] | None = None) -> tuple[MediaInfo, bytes]:
    """Read a file from disk after checking its size, so a huge file is never loaded."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        return _read_limited(handle, size, path.name, kinds)


def read_upload(
    handle: IO[bytes], size: int, filename: str, *, kinds: frozenset[str] | None = None
) -> tuple[MediaInfo, bytes]:
    """Same checks for an uploaded file (Django's UploadedFile: `.file`, `.size`, `.name`);
    the declared size is checked before the rest is read."""
    return _read_limited(handle, size, filename, kinds)


def _read_limited(
    handle: IO[bytes], size: int, filename: str, kinds: frozenset[str] | None
) -> tuple[MediaInfo, bytes]:
    head = handle.read(8192)
    fmt = detect_format(head)
    limit = SIZE_LIMITS[fmt.kind] if fmt else MAX_SIZE
    if size > limit:
        raise MediaError(_too_big(fmt.kind if fmt else "", filename, size, limit))
    data = head + handle.read(limit + 1 - len(head))
    return inspect_bytes(data, filename, kinds=kinds), data


def _too_big(kind: str, filename: str, size: int, limit: int) -> str:
    """The size refusal, one whole sentence per kind (« une image », « une vidéo »: the
    article agrees with the noun, so the kind is not a word slotted into one sentence)."""
    params = {"name": filename, "size": human_size(size), "limit": human_size(limit)}
    if kind == MediaKind.IMAGE:
        return _("“%(name)s” is %(size)s; an image may be at most %(limit)s") % params
    if kind == MediaKind.VIDEO:
        return _("“%(name)s” is %(size)s; a video may be at most %(limit)s") % params
    if kind == MediaKind.CAPTIONS:
        return _("“%(name)s” is %(size)s; a captions file may be at most %(limit)s") % params
    return _("“%(name)s” is %(size)s; a media file may be at most %(limit)s") % params


def human_size(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def _check_vtt(data: bytes, filename: str) -> None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MediaError(_("“%(name)s” must be UTF-8 text") % {"name": filename}) from exc
    if b"\x00" in data:
        raise MediaError(_("“%(name)s” must be UTF-8 text") % {"name": filename})


SVG_NS = "{http://www.w3.org/2000/svg}"
_FORBIDDEN_ELEMENTS = {
    "script",
    "foreignobject",
    "iframe",
    "embed",
    "object",
    "handler",
    "listener",
}
_LINK_ATTRIBUTES = {"href", "src"}
_CSS_DANGER = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)|@import|expression\s*\(|javascript:", re.I)


def check_svg(data: bytes, filename: str) -> None:
    """Refuse an SVG that could run code or load anything from outside the file."""

    def refuse(reason: str) -> MediaError:
        return MediaError(
            _("“%(name)s” is refused: %(reason)s. Export a plain SVG without it.")
            % {"name": filename, "reason": reason}
        )

    lowered = data.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise refuse(_("it declares a DOCTYPE or entities"))
    if b"<?xml-stylesheet" in lowered:
        raise refuse(_("it loads a stylesheet"))
    try:
        # defusedxml as well as the DOCTYPE refusal above: no entity, DTD or external fetch.
        root = DefusedET.fromstring(data, forbid_dtd=True)
    except (DefusedET.ParseError, DefusedXmlException) as exc:
        raise refuse(_("it is not well-formed XML (%(error)s)") % {"error": exc}) from exc
    if root.tag != f"{SVG_NS}svg":
        raise refuse(_("its root element is not <svg> in the SVG namespace"))
    for element in root.iter():
        tag = str(element.tag).rsplit("}", 1)[-1].lower()
        if tag in _FORBIDDEN_ELEMENTS:
            raise refuse(_("it contains a <%(tag)s> element") % {"tag": tag})
        if tag in {"set", "animate"} and "href" in element.get("attributeName", "").lower():
            raise refuse(_("it animates a link"))
        if tag == "style" and _CSS_DANGER.search(element.text or ""):
            raise refuse(_("its CSS loads a URL"))
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                raise refuse(_("it has an event handler attribute (%(attr)s)") % {"attr": local})
            if local in _LINK_ATTRIBUTES and not value.strip().startswith("#"):
                raise refuse(
                    _("it links to something outside the file (%(attr)s)") % {"attr": local}
                )
            if _CSS_DANGER.search(value):
                raise refuse(_("a style loads a URL or runs code"))
