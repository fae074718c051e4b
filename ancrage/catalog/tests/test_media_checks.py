"""Media are recognised by content, must be named accordingly, fit size limits, and SVG is safe."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ancrage.catalog.errors import MediaError
from ancrage.catalog.media import MB, inspect_bytes, read_upload
from ancrage.catalog.tests.packs import MP4, SVG, VTT, WEBM, png_bytes

GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32 + b"\xff\xd9"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32


pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.parametrize(
    ("data", "name", "kind", "content_type"),
    [
        (png_bytes(), "a.png", "image", "image/png"),
        (JPEG, "a.jpg", "image", "image/jpeg"),
        (JPEG, "a.JPEG", "image", "image/jpeg"),
        (WEBP, "a.webp", "image", "image/webp"),
        (GIF, "a.gif", "image", "image/gif"),
        (SVG, "a.svg", "image", "image/svg+xml"),
        (MP4, "a.mp4", "video", "video/mp4"),
        (WEBM, "a.webm", "video", "video/webm"),
        (VTT, "a.vtt", "captions", "text/vtt"),
        (b"\xef\xbb\xbf" + VTT, "bom.vtt", "captions", "text/vtt"),
    ],
)
def test_each_supported_format_is_recognised_from_its_content(
    data: bytes, name: str, kind: str, content_type: str
) -> None:
    info = inspect_bytes(data, name)
    assert (info.kind, info.format.content_type, info.size) == (kind, content_type, len(data))
    assert len(info.sha256) == 64


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"<html><body>hi</body></html>", "page.png", "is not a supported media file"),
        (b"MZ\x90\x00 windows executable", "setup.mp4", "is not a supported media file"),
        (b"%PDF-1.7", "doc.svg", "is not a supported media file"),
        (png_bytes(), "photo.jpg", "contains PNG data; its name must end in .png"),
        (png_bytes(), "photo", "contains PNG data; its name must end in .png"),
        (JPEG, "photo.png", "contains JPEG data; its name must end in .jpg"),
        (VTT, "captions.txt", "contains VTT data; its name must end in .vtt"),
        (
            b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska",
            "film.webm",
            "is not a supported media file",
        ),
        (b"WEBVTT\n\n\xff\xfe bad bytes", "bad.vtt", "must be UTF-8 text"),
    ],
)
def test_fake_typed_or_misnamed_files_are_refused(data: bytes, name: str, message: str) -> None:
    with pytest.raises(MediaError, match=message):
        inspect_bytes(data, name)


def test_the_expected_kind_is_enforced() -> None:
    with pytest.raises(MediaError, match="is of kind “image”; expected: captions"):
        inspect_bytes(png_bytes(), "a.png", kinds=frozenset({"captions"}))


@pytest.mark.parametrize(
    ("data", "name", "kind", "limit"),
    [
        (png_bytes(extra=2 * MB), "big.png", "an image", "2.0 MB"),
        (VTT + b"x" * 200 * 1024, "big.vtt", "a captions file", "200 KB"),
        (
            SVG.replace(b"</svg>", b"<!--" + b"x" * 2 * MB + b"--></svg>"),
            "big.svg",
            "an image",
            "2.0 MB",
        ),
    ],
)
def test_size_limits_per_kind(data: bytes, name: str, kind: str, limit: str) -> None:
    with pytest.raises(MediaError, match=re.escape(f"; {kind} may be at most {limit}")):
        inspect_bytes(data, name)


def test_an_oversized_upload_is_refused_before_it_is_read() -> None:
    handle = io.BytesIO(MP4)  # only the head exists: the declared size alone refuses it
    with pytest.raises(
        MediaError,
        match=re.escape("is 51.0 MB; a video may be at most 50.0 MB"),
    ):
        read_upload(handle, 51 * MB, "film.mp4")


def test_an_upload_is_checked_like_a_pack_file() -> None:
    upload = SimpleUploadedFile(
        "schema.png", png_bytes(), content_type="text/html"
    )  # the browser's word is ignored
    info, data = read_upload(upload.file, upload.size, upload.name)
    assert info.format.content_type == "image/png"
    assert data == png_bytes()
    fake = SimpleUploadedFile("schema.png", b"<script>alert(1)</script>", content_type="image/png")
    with pytest.raises(MediaError, match="not a supported media file"):
        read_upload(fake.file, fake.size, fake.name)


def svg(body: str, root_attrs: str = "") -> bytes:
    return f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"{root_attrs}>{body}</svg>'.encode()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (svg("<script>alert(1)</script>"), "contains a <script> element"),
        (svg("<rect/>", ' onload="alert(1)"'), "event handler attribute (onload)"),
        (svg('<rect onclick="alert(1)"/>'), "event handler attribute (onclick)"),
        (svg("<foreignObject><div>x</div></foreignObject>"), "contains a <foreignobject> element"),
        (
            svg('<a href="javascript:alert(1)"><text>x</text></a>'),
            "links to something outside the file (href)",
        ),
        (
            svg('<a xlink:href="https://evil.example"><text>x</text></a>'),
            "links to something outside the file (href)",
        ),
        (
            svg('<image href="data:image/png;base64,AAAA"/>'),
            "links to something outside the file (href)",
        ),
        (
            svg('<use href="https://evil.example/sprite.svg#x"/>'),
            "links to something outside the file (href)",
        ),
        (svg('<a><set attributeName="href" to="javascript:alert(1)"/></a>'), "animates a link"),
        (svg("<style>@import url(https://evil.example/x.css);</style>"), "its CSS loads a URL"),
        (
            svg('<rect style="fill:url(https://evil.example/x)"/>'),
            "a style loads a URL or runs code",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            + svg("<text>&b;</text>"),
            "DOCTYPE or entities",
        ),
        (
            b'<?xml-stylesheet href="https://evil.example/x.css"?>' + svg("<rect/>"),
            "it loads a stylesheet",
        ),
        (b"<svg><rect/></svg>", "not <svg> in the SVG namespace"),
        (svg("<rect>"), "not well-formed XML"),
    ],
)
def test_svg_with_active_or_foreign_content_is_refused(data: bytes, reason: str) -> None:
    with pytest.raises(MediaError, match=re.escape(reason)):
        inspect_bytes(data, "drawing.svg")


def test_svg_with_local_references_and_gradients_is_accepted() -> None:
    data = svg(
        '<defs><linearGradient id="g"/><symbol id="s"><rect/></symbol></defs>'
        '<rect fill="url(#g)" style="stroke:url(#g)"/><use xlink:href="#s"/><title>Schéma</title>'
    )
    assert inspect_bytes(data, "ok.svg").kind == "image"
