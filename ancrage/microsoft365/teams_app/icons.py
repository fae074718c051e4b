"""The two icons of the Teams app package, drawn here with Pillow (no copied artwork).

Teams wants `color.png` 192×192 (full colour) and `outline.png` 32×32 (transparent
background, white strokes only). Both show Ancrage's anchor.
"""

import io

from PIL import Image, ImageDraw

ACCENT = "#1F5F8B"
COLOR_SIZE = 192
OUTLINE_SIZE = 32
WHITE = (255, 255, 255, 255)


def _anchor(draw: ImageDraw.ImageDraw, size: int, width: int) -> None:
    """An anchor: ring, shank, stock and the two curved arms, in white."""
    s = size / 32  # drawn on a 32-unit grid
    cx = 16 * s
    ring = 3 * s
    draw.ellipse((cx - ring, 3 * s, cx + ring, 3 * s + 2 * ring), outline=WHITE, width=width)
    draw.line((cx, 9 * s, cx, 27 * s), fill=WHITE, width=width)
    draw.line((10 * s, 12 * s, 22 * s, 12 * s), fill=WHITE, width=width)
    draw.arc((6 * s, 13 * s, 26 * s, 28 * s), start=20, end=160, fill=WHITE, width=width)
    draw.line((5 * s, 19 * s, 8 * s, 22 * s), fill=WHITE, width=width)
    draw.line((27 * s, 19 * s, 24 * s, 22 * s), fill=WHITE, width=width)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def color_icon() -> bytes:
    image = Image.new("RGBA", (COLOR_SIZE, COLOR_SIZE), ACCENT)
    draw = ImageDraw.Draw(image)
    # The anchor fills the middle ~70 %, as Teams crops colour icons to a rounded square.
    inner = Image.new("RGBA", (136, 136), (0, 0, 0, 0))
    _anchor(ImageDraw.Draw(inner), 136, 9)
    image.alpha_composite(inner, (28, 28))
    del draw
    return _png(image)


def outline_icon() -> bytes:
    image = Image.new("RGBA", (OUTLINE_SIZE, OUTLINE_SIZE), (0, 0, 0, 0))
    _anchor(ImageDraw.Draw(image), OUTLINE_SIZE, 2)
    # Anti-aliasing is off in ImageDraw, so every pixel is white or fully transparent.
    return _png(image)
