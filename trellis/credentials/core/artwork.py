"""Badge artwork drawn on the server, with no external assets: an accessible SVG and a PNG.

Used (and baked) when a micro-credential has no image of its own. The same inputs always give
the same bytes: the colours come from a hash of `colour_seed`."""

from __future__ import annotations

import colorsys
import hashlib
import io
import math
import textwrap
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

from trellis.credentials.core.errors import CredentialError

MAX_TITLE = 120
MAX_SUBTITLE = 120


def palette(colour_seed: str) -> tuple[str, str, str]:
    """(fill, ring, text) colours as #rrggbb, derived from the seed. The fill is dark enough
    for white text to pass WCAG AA contrast."""
    digest = hashlib.sha256(colour_seed.encode("utf-8")).digest()
    hue = digest[0] / 255
    saturation = 0.45 + digest[1] / 255 * 0.3
    fill = colorsys.hls_to_rgb(hue, 0.28, saturation)
    ring = colorsys.hls_to_rgb(hue, 0.55, saturation)
    return _hex(fill), _hex(ring), "#ffffff"


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(channel * 255):02x}" for channel in rgb)


def _clean(value: str, label: str, limit: int, *, required: bool) -> str:
    if not isinstance(value, str):
        raise CredentialError(f"The badge {label} must be text.")
    text = " ".join(value.split())
    if required and not text:
        raise CredentialError(f"The badge {label} must not be empty.")
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def _lines(title: str, width: int, max_lines: int) -> list[str]:
    lines = textwrap.wrap(title, width=width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last[: width - 1].rstrip() if len(last) >= width else last) + "…"
    return lines


def _hexagon(cx: float, cy: float, radius: float) -> list[tuple[float, float]]:
    return [
        (
            round(cx + radius * math.cos(math.radians(60 * i - 90)), 2),
            round(cy + radius * math.sin(math.radians(60 * i - 90)), 2),
        )
        for i in range(6)
    ]


def badge_svg(title: str, subtitle: str, colour_seed: str) -> str:
    """An accessible 400×400 SVG badge: role="img", a <title> and <desc>, a hexagon and the
    wrapped title text (all text escaped)."""
    title = _clean(title, "title", MAX_TITLE, required=True)
    subtitle = _clean(subtitle, "subtitle", MAX_SUBTITLE, required=False)
    fill, ring, ink = palette(colour_seed)
    label = f"{title} — {subtitle}" if subtitle else title
    outer = " ".join(f"{x},{y}" for x, y in _hexagon(200, 200, 190))
    inner = " ".join(f"{x},{y}" for x, y in _hexagon(200, 200, 168))
    lines = _lines(title, 16, 4)
    sub_lines = _lines(subtitle, 26, 2) if subtitle else []
    line_height = 30
    block = len(lines) * line_height + (8 + len(sub_lines) * 22 if sub_lines else 0)
    # SVG text sits on its baseline: about a third of a line below the line's middle.
    first_y = 200 - block / 2 + line_height / 2 + 9
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" '
        'viewBox="0 0 400 400" role="img" aria-labelledby="badge-title badge-desc">',
        f'<title id="badge-title">{escape(label)}</title>',
        f'<desc id="badge-desc">{escape(_description(title, subtitle))}</desc>',
        f'<polygon points="{outer}" fill="{ring}"/>',
        f'<polygon points="{inner}" fill="{fill}"/>',
        f'<g fill="{ink}" font-family="DejaVu Sans, Verdana, Arial, sans-serif" '
        'text-anchor="middle" aria-hidden="true">',
    ]
    for index, line in enumerate(lines):
        y = round(first_y + index * line_height, 1)
        parts.append(
            f'<text x="200" y="{y}" font-size="26" font-weight="bold">{escape(line)}</text>'
        )
    sub_y = first_y + (len(lines) - 1) * line_height + 8 + 22
    for index, line in enumerate(sub_lines):
        parts.append(
            f'<text x="200" y="{round(sub_y + index * 22, 1)}" font-size="17">{escape(line)}</text>'
        )
    parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _description(title: str, subtitle: str) -> str:
    if subtitle:
        return f"A badge for {title}, {subtitle}."
    return f"A badge for {title}."


def badge_png(title: str, subtitle: str, colour_seed: str, size: int = 400) -> bytes:
    """The same badge as a PNG of size×size pixels, drawn with Pillow's bundled font."""
    if isinstance(size, bool) or not isinstance(size, int) or not 64 <= size <= 2048:
        raise CredentialError("The badge size must be a whole number of pixels from 64 to 2048.")
    title = _clean(title, "title", MAX_TITLE, required=True)
    subtitle = _clean(subtitle, "subtitle", MAX_SUBTITLE, required=False)
    fill, ring, ink = palette(colour_seed)
    scale = size / 400
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre = size / 2
    draw.polygon(_hexagon(centre, centre, 190 * scale), fill=ring)
    draw.polygon(_hexagon(centre, centre, 168 * scale), fill=fill)
    title_font = ImageFont.load_default(size=max(8, round(26 * scale)))
    sub_font = ImageFont.load_default(size=max(8, round(17 * scale)))
    lines = _lines(title, 16, 4)
    sub_lines = _lines(subtitle, 26, 2) if subtitle else []
    line_height = 30 * scale
    sub_height = 22 * scale
    block = len(lines) * line_height + (8 * scale + len(sub_lines) * sub_height if sub_lines else 0)
    y = centre - block / 2 + line_height / 2
    for line in lines:
        draw.text((centre, y), line, fill=ink, font=title_font, anchor="mm")
        y += line_height
    if sub_lines:
        y += 8 * scale - line_height / 2 + sub_height / 2
        for line in sub_lines:
            draw.text((centre, y), line, fill=ink, font=sub_font, anchor="mm")
            y += sub_height
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


__all__ = ["badge_png", "badge_svg", "palette"]
