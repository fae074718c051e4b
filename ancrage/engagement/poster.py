"""The printable A4 poster of a themed event: title, dates, featured paths and a QR code
that opens the event's page (segno draws it as inline SVG, so WeasyPrint needs nothing
from outside)."""

from typing import Any

import segno
from django.utils.safestring import SafeString, mark_safe

from ancrage.engagement.models import Campaign, EventTheme
from ancrage.engagement.queries import campaign_path_ids, path_titles
from ancrage.engagement.rendering import campaign_link


def qr_svg(url: str) -> SafeString:
    """A QR code (error correction M) as SVG rectangles, one per run of dark modules.

    Rows overlap by a hair so that no seam shows between them in a PDF viewer or a print.
    """
    code = segno.make(url, error="m")
    border = 4  # the quiet zone the QR specification asks for
    matrix = list(code.matrix)
    size = len(matrix) + 2 * border
    rects: list[str] = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                rects.append(
                    f'<rect x="{start + border}" y="{y + border}" width="{x - start}" height="1.04"/>'
                )
            else:
                x += 1
    # nosemgrep: ancrage-mark-safe-user-data — numbers only
    return mark_safe(  # noqa: S308 — numbers only  # nosec B308, B703
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" class="qr" '
        f'role="img" aria-label="QR code"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<g fill="#000">{"".join(rects)}</g></svg>'
    )


def poster_context(campaign: Campaign) -> dict[str, Any]:
    link = campaign_link(campaign)
    titles = path_titles(campaign_path_ids(campaign))
    event = campaign.event if campaign.is_event else None
    return {
        "campaign": campaign,
        "event": event,
        "theme": EventTheme(event.theme).label if event else "",
        "paths": [t for t in titles.values() if t],
        "link": link,
        "qr": qr_svg(link),
    }
