"""What the Teams schema does not check but Teams needs, run before a package is offered.

- `settings_problems()`: our settings that would break every package (SITE_URL not https).
  The admin page shows them and the download is refused with the same message.
- `manifest_problems(manifest)`: any http URL, a scheme/path/port in `validDomains`.
- `icon_problems(color, outline)`: sizes 192×192 and 32×32, outline transparent and white.
"""

import io
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image


def settings_problems() -> list[str]:
    site = urlsplit(str(settings.SITE_URL))
    if site.scheme != "https" or not site.hostname:
        return [
            _(
                "The site address (SITE_URL, now “%(url)s”) must start with https://: Teams "
                "loads tabs over https only. Set SITE_URL to the public https address of "
                "Ancrage, then download the package again."
            )
            % {"url": settings.SITE_URL}
        ]
    return []


def _strings(value: Any, where: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [
            pair
            for key, item in value.items()
            if key != "$schema"
            for pair in _strings(item, f"{where}.{key}" if where else key)
        ]
    if isinstance(value, list):
        return [pair for i, item in enumerate(value) for pair in _strings(item, f"{where}[{i}]")]
    return [(where, value)] if isinstance(value, str) else []


def manifest_problems(manifest: dict[str, Any]) -> list[str]:
    problems = []
    for where, text in _strings(manifest):
        if text.lower().startswith("http://"):
            problems.append(f"{where}: {text} is not https")
    for domain in manifest.get("validDomains", []):
        if "://" in domain or "/" in domain or ":" in domain or not domain:
            problems.append(f"validDomains: {domain!r} must be a host name only")
    return problems


def icon_problems(color: bytes, outline: bytes) -> list[str]:
    problems = []
    color_image = Image.open(io.BytesIO(color))
    if color_image.size != (192, 192):
        problems.append(f"color.png is {color_image.size}, not 192×192")
    outline_image = Image.open(io.BytesIO(outline)).convert("RGBA")
    if outline_image.size != (32, 32):
        problems.append(f"outline.png is {outline_image.size}, not 32×32")
    pixels = [
        (int(p[0]), int(p[1]), int(p[2]), int(p[3]))  # type: ignore[index]
        for p in outline_image.get_flattened_data()
    ]
    if pixels and pixels[0][3] != 0:
        problems.append("outline.png must have a transparent background")
    if any(a and (r, g, b) != (255, 255, 255) for r, g, b, a in pixels):
        problems.append("outline.png must be white on transparent")
    return problems
