"""Small server-side SVG charts: the same markup in the web report and in the PDF.

No colour carries information alone: every bar has its value written beside it, the target
line is labelled, and hidden groups say "< 5" in words. Each chart is an `<svg role="img">`
with a `<title>`; the report also gives the figures in a table.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BRAND = "#0b5563"
BRAND_LIGHT = "#9cc7cf"
TRACK = "#e3eaec"
TARGET = "#b4461b"
INK = "#1b2a33"
MUTED = "#4a5a64"
FONT = "DejaVu Sans, Segoe UI, Arial, sans-serif"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # None: hidden (fewer than 5 people)
    text: str = ""  # what is written beside the bar (defaults to "value %")


def _svg(width: int, height: int, title: str, body: str) -> SafeString:
    # nosemgrep: ancrage-mark-safe-user-data — every text below goes through escape()
    return mark_safe(  # noqa: S308 — every text below goes through escape()  # nosec B308, B703
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" class="chart" role="img" '
        f'aria-label="{escape(title)}" font-family="{FONT}">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def _point(cx: float, cy: float, radius: float, share: float) -> tuple[float, float]:
    angle = math.pi * (1 - share)
    return cx + radius * math.cos(angle), cy - radius * math.sin(angle)


def gauge(value: int, *, target: int | None, title: str, caption: str) -> SafeString:
    """A half-ring from 0 to 100 %, filled to `value`, with the target marked and labelled."""
    width, height, cx, cy, radius, thick = 280, 170, 140, 150, 100, 22
    share = max(0.0, min(value, 100)) / 100
    x0, y0 = _point(cx, cy, radius, 0)
    x1, y1 = _point(cx, cy, radius, 1)
    body = (
        f'<path d="M {x0:.1f} {y0:.1f} A {radius} {radius} 0 0 1 {x1:.1f} {y1:.1f}" '
        f'fill="none" stroke="{TRACK}" stroke-width="{thick}"/>'
    )
    if share > 0:
        xv, yv = _point(cx, cy, radius, share)
        body += (
            f'<path d="M {x0:.1f} {y0:.1f} A {radius} {radius} 0 0 1 {xv:.1f} {yv:.1f}" '
            f'fill="none" stroke="{BRAND}" stroke-width="{thick}"/>'
        )
    if target is not None:
        t = max(0, min(target, 100)) / 100
        xa, ya = _point(cx, cy, radius - thick / 2 - 4, t)
        xb, yb = _point(cx, cy, radius + thick / 2 + 4, t)
        xl, yl = _point(cx, cy, radius + thick / 2 + 14, t)
        anchor = "end" if t < 0.45 else ("start" if t > 0.55 else "middle")
        body += (
            f'<line x1="{xa:.1f}" y1="{ya:.1f}" x2="{xb:.1f}" y2="{yb:.1f}" '
            f'stroke="{TARGET}" stroke-width="3"/>'
            f'<text x="{xl:.1f}" y="{yl:.1f}" font-size="11" fill="{TARGET}" '
            f'text-anchor="{anchor}">{escape(caption)}</text>'
        )
    body += (
        f'<text x="{cx}" y="{cy - 8}" font-size="38" font-weight="bold" fill="{INK}" '
        f'text-anchor="middle">{value} %</text>'
        f'<text x="{cx - radius}" y="{cy + 18}" font-size="11" fill="{MUTED}" '
        f'text-anchor="middle">0</text>'
        f'<text x="{cx + radius}" y="{cy + 18}" font-size="11" fill="{MUTED}" '
        f'text-anchor="middle">100</text>'
    )
    return _svg(width, height, title, body)


def bars(
    rows: Sequence[Bar],
    *,
    title: str,
    target: int | None = None,
    target_caption: str = "",
    hidden_text: str = "< 5",
    label_width: int = 250,
) -> SafeString:
    """Horizontal bars on a 0–100 scale, one per row, value written at the end of each bar."""
    bar_width, row_height, top = 300, 30, 26 if target is not None else 8
    width = label_width + bar_width + 70
    height = top + row_height * len(rows) + 8
    body = ""
    for index, row in enumerate(rows):
        y = top + index * row_height
        fits = max((label_width - 14) // 7, 8)  # about 7 px per character at 12 px
        label = row.label if len(row.label) <= fits else row.label[: fits - 1] + "…"
        body += (
            f'<text x="{label_width - 10}" y="{y + 19}" font-size="12" fill="{INK}" '
            f'text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y + 5}" width="{bar_width}" height="18" rx="3" '
            f'fill="{TRACK}"/>'
        )
        if row.value is None:
            body += (
                f'<text x="{label_width + 8}" y="{y + 19}" font-size="11" fill="{MUTED}" '
                f'font-style="italic">{escape(hidden_text)}</text>'
            )
            continue
        length = bar_width * max(0, min(row.value, 100)) / 100
        body += (
            f'<rect x="{label_width}" y="{y + 5}" width="{length:.1f}" height="18" rx="3" '
            f'fill="{BRAND}"/>'
            f'<text x="{label_width + bar_width + 8}" y="{y + 19}" font-size="12" '
            f'font-weight="bold" fill="{INK}">{escape(row.text or f"{row.value} %")}</text>'
        )
    if target is not None:
        x = label_width + bar_width * max(0, min(target, 100)) / 100
        body += (
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 4}" '
            f'stroke="{TARGET}" stroke-width="2" stroke-dasharray="5 3"/>'
            f'<text x="{x:.1f}" y="{top - 9}" font-size="11" fill="{TARGET}" '
            f'text-anchor="middle">{escape(target_caption)}</text>'
        )
    return _svg(width, height, title, body)


def columns(
    points: Sequence[tuple[str, int, int]], *, title: str, new_caption: str, total_caption: str
) -> SafeString:
    """Columns of people reached so far (cumulative), the new ones of each day on top."""
    count = max(len(points), 1)
    width, height, left, bottom, top = 540, 200, 36, 34, 44
    step = (width - left - 10) / count
    column = min(44.0, step * 0.7)
    peak = max([total for _label, _new, total in points] + [1])
    scale = (height - bottom - top) / peak
    body = (
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 6}" y2="{height - bottom}" '
        f'stroke="{MUTED}" stroke-width="1"/>'
    )
    label_every = max(1, math.ceil(count / 12))
    for index, (label, new, total) in enumerate(points):
        x = left + index * step + (step - column) / 2
        base = height - bottom
        old_height = (total - new) * scale
        new_height = new * scale
        body += (
            f'<rect x="{x:.1f}" y="{base - old_height:.1f}" width="{column:.1f}" '
            f'height="{old_height:.1f}" fill="{BRAND_LIGHT}"/>'
            f'<rect x="{x:.1f}" y="{base - old_height - new_height:.1f}" width="{column:.1f}" '
            f'height="{new_height:.1f}" fill="{BRAND}"/>'
        )
        if count <= 16 or index == count - 1:
            body += (
                f'<text x="{x + column / 2:.1f}" y="{base - old_height - new_height - 5:.1f}" '
                f'font-size="11" font-weight="bold" fill="{INK}" text-anchor="middle">{total}</text>'
            )
        if index % label_every == 0:
            body += (
                f'<text x="{x + column / 2:.1f}" y="{base + 15}" font-size="10" fill="{MUTED}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    body += (
        f'<rect x="{left}" y="4" width="12" height="12" fill="{BRAND}"/>'
        f'<text x="{left + 17}" y="14" font-size="11" fill="{INK}">{escape(new_caption)}</text>'
        f'<rect x="{left + 190}" y="4" width="12" height="12" fill="{BRAND_LIGHT}"/>'
        f'<text x="{left + 207}" y="14" font-size="11" fill="{INK}">{escape(total_caption)}</text>'
    )
    return _svg(width, height, title, body)
