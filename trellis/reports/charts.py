"""Dashboard charts as inline SVG, drawn on the server (no JavaScript, no CDN). Pure Python.

Each builder computes the geometry (exact numbers, tested) and the markup: an ``<svg role="img">``
named by its ``<title>`` and ``<desc>`` through ``aria-labelledby``. A chart is decoration for
sighted readers; the page always puts the same figures in a real table next to it. Labels are
escaped here, and the markup is marked safe for templates via ``__html__`` (no Django import).

Colours: bars use the house green and dark Okabe–Ito-derived hues (each at least 3:1 against
white, WCAG 1.4.11); the heatmap uses a single-hue blue ramp that varies in lightness (readable
with any colour vision) and writes every value in the cell in the text colour with the higher
contrast (at least 4.5:1, WCAG 1.4.3).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

TEXT_COLOUR = "#1d2330"
MUTED_COLOUR = "#4a5568"
GRID_COLOUR = "#d5dae3"
BAR_COLOUR = "#1f5f4a"
SERIES_COLOURS = ("#1f5f4a", "#0b5f8a", "#a6540c", "#6b3a8c", "#8a1c3b")
# Light to dark; the middle lightness band (where neither black nor white text reaches 4.5:1)
# is skipped on purpose.
HEAT_COLOURS = ("#eff3ff", "#bdd7e7", "#6baed6", "#2171b5", "#08306b")
MISSING_FILL = "#ffffff"
MAX_LABEL_CHARS = 30


class SvgMarkup(str):
    """Markup that is already escaped: Django templates print it as is (they honour __html__)."""

    def __html__(self) -> str:
        return str(self)


@dataclass(frozen=True)
class ChartItem:
    label: str
    value: float | None  # None: no figure (drawn as no bar, written as `text`)
    text: str  # the value as people read it, e.g. "12.5%"


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _num(value: float) -> str:
    """Coordinates written compactly: 12.0 → "12", 12.25 → "12.2"."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def short_label(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def safe_id(text: str) -> str:
    """An id usable in SVG/HTML and in aria-labelledby: lowercase letters, digits, hyphens."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return cleaned or "chart"


def _top(values: Sequence[float | None]) -> float:
    return max((value for value in values if value is not None and value > 0), default=0.0)


def _scaled(value: float | None, top: float, space: float) -> float:
    if value is None or value <= 0 or top <= 0:
        return 0.0
    return round(space * value / top, 1)


def _open_svg(chart_id: str, width: int, height: int, title: str, desc: str, css: str) -> str:
    return (
        f'<svg class="{css}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{_esc(title)}</title>'
        f'<desc id="{chart_id}-desc">{_esc(desc)}</desc>'
    )


def _label(x: float, y: float, text: str, *, anchor: str = "start", size: int = 12) -> str:
    shown = short_label(text)
    tooltip = f"<title>{_esc(text)}</title>" if shown != text else ""
    return (
        f'<text x="{_num(x)}" y="{_num(y)}" font-size="{size}" fill="{TEXT_COLOUR}" '
        f'text-anchor="{anchor}">{tooltip}{_esc(shown)}</text>'
    )


# --- horizontal bars: one row per label ------------------------------------------------------

HBAR_LABEL_WIDTH = 200
HBAR_SPACE = 300
HBAR_ROW = 28
HBAR_HEIGHT = 16
HBAR_TOP = 4
VALUE_GAP = 6


@dataclass(frozen=True)
class HBar:
    label: str
    text: str
    y: float  # top of the bar
    width: float
    text_x: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    svg: SvgMarkup


@dataclass(frozen=True)
class HBarChart(Chart):
    bars: list[HBar]


def horizontal_bars(
    items: Sequence[ChartItem], *, chart_id: str, title: str, desc: str
) -> HBarChart:
    """Bars from a common left edge, longest = the largest value; negatives and None draw none."""
    chart_id = safe_id(chart_id)
    top = _top([item.value for item in items])
    bars = []
    for index, item in enumerate(items):
        width = _scaled(item.value, top, HBAR_SPACE)
        bars.append(
            HBar(
                label=item.label,
                text=item.text,
                y=HBAR_TOP + index * HBAR_ROW + (HBAR_ROW - HBAR_HEIGHT) / 2,
                width=width,
                text_x=HBAR_LABEL_WIDTH + width + VALUE_GAP,
            )
        )
    width = HBAR_LABEL_WIDTH + HBAR_SPACE + 90
    height = HBAR_TOP * 2 + max(len(bars), 1) * HBAR_ROW
    parts = [_open_svg(chart_id, width, height, title, desc, "report-chart report-hbar")]
    for bar in bars:
        baseline = bar.y + HBAR_HEIGHT - 3
        parts.append(_label(HBAR_LABEL_WIDTH - 8, baseline, bar.label, anchor="end"))
        if bar.width:
            parts.append(
                f'<rect x="{HBAR_LABEL_WIDTH}" y="{_num(bar.y)}" width="{_num(bar.width)}" '
                f'height="{HBAR_HEIGHT}" fill="{BAR_COLOUR}" rx="2"></rect>'
            )
        parts.append(
            f'<text x="{_num(bar.text_x)}" y="{_num(baseline)}" font-size="12" '
            f'fill="{TEXT_COLOUR}">{_esc(bar.text)}</text>'
        )
    parts.append("</svg>")
    return HBarChart(width=width, height=height, svg=SvgMarkup("".join(parts)), bars=bars)


# --- vertical bars over time: one column per month ---------------------------------------------

COL_LEFT = 12
COL_SPACE = 52  # one month: the bar and the gap to the next
COL_WIDTH = 32
COL_TOP = 20  # room for the value written above the tallest bar
COL_PLOT = 160
COL_BOTTOM = 24  # month labels


@dataclass(frozen=True)
class ColumnBar:
    label: str
    text: str
    x: float
    y: float
    height: float


@dataclass(frozen=True)
class ColumnChart(Chart):
    columns: list[ColumnBar]
    baseline: int


def vertical_bars(
    items: Sequence[ChartItem], *, chart_id: str, title: str, desc: str
) -> ColumnChart:
    """Columns left to right in the given (time) order, on a shared baseline."""
    chart_id = safe_id(chart_id)
    top = _top([item.value for item in items])
    baseline = COL_TOP + COL_PLOT
    columns = []
    for index, item in enumerate(items):
        height = _scaled(item.value, top, COL_PLOT)
        columns.append(
            ColumnBar(
                label=item.label,
                text=item.text,
                x=COL_LEFT + index * COL_SPACE + (COL_SPACE - COL_WIDTH) / 2,
                y=round(baseline - height, 1),
                height=height,
            )
        )
    width = COL_LEFT * 2 + max(len(columns), 1) * COL_SPACE
    height = baseline + COL_BOTTOM
    parts = [_open_svg(chart_id, width, height, title, desc, "report-chart report-columns")]
    parts.append(
        f'<line x1="{COL_LEFT}" x2="{width - COL_LEFT}" y1="{baseline}" y2="{baseline}" '
        f'stroke="{MUTED_COLOUR}"></line>'
    )
    for column in columns:
        centre = column.x + COL_WIDTH / 2
        if column.height:
            parts.append(
                f'<rect x="{_num(column.x)}" y="{_num(column.y)}" width="{COL_WIDTH}" '
                f'height="{_num(column.height)}" fill="{BAR_COLOUR}"></rect>'
            )
        parts.append(
            f'<text x="{_num(centre)}" y="{_num(column.y - 5)}" font-size="11" '
            f'fill="{TEXT_COLOUR}" text-anchor="middle">{_esc(column.text)}</text>'
        )
        parts.append(_label(centre, baseline + 16, short_label(column.label, 8), anchor="middle"))
    parts.append("</svg>")
    return ColumnChart(
        width=width,
        height=height,
        svg=SvgMarkup("".join(parts)),
        columns=columns,
        baseline=baseline,
    )


# --- grouped bars: several series side by side per category -------------------------------------

GROUP_BAR = 18
GROUP_GAP = 20
LEGEND_HEIGHT = 24


@dataclass(frozen=True)
class Series:
    name: str
    items: Sequence[ChartItem]  # one per category, in category order


@dataclass(frozen=True)
class GroupBar:
    series: str
    category: str
    text: str
    x: float
    y: float
    height: float
    colour: str


@dataclass(frozen=True)
class GroupedChart(Chart):
    bars: list[GroupBar]
    legend: list[tuple[str, str]]  # (series name, colour)
    baseline: int


def grouped_bars(
    categories: Sequence[str], series: Sequence[Series], *, chart_id: str, title: str, desc: str
) -> GroupedChart:
    """For each category (e.g. a month), one bar per series (e.g. started, submitted, earned)."""
    if len(series) > len(SERIES_COLOURS):
        raise ValueError(f"At most {len(SERIES_COLOURS)} series fit one chart.")
    for one in series:
        if len(one.items) != len(categories):
            raise ValueError(f"Series {one.name!r} needs one value per category.")
    chart_id = safe_id(chart_id)
    top = _top([item.value for one in series for item in one.items])
    group_width = max(len(series), 1) * GROUP_BAR + GROUP_GAP
    plot_top = LEGEND_HEIGHT + COL_TOP
    baseline = plot_top + COL_PLOT
    bars = []
    for c_index, category in enumerate(categories):
        for s_index, one in enumerate(series):
            item = one.items[c_index]
            height = _scaled(item.value, top, COL_PLOT)
            bars.append(
                GroupBar(
                    series=one.name,
                    category=category,
                    text=item.text,
                    x=COL_LEFT + c_index * group_width + GROUP_GAP / 2 + s_index * GROUP_BAR,
                    y=round(baseline - height, 1),
                    height=height,
                    colour=SERIES_COLOURS[s_index],
                )
            )
    legend = [(one.name, SERIES_COLOURS[index]) for index, one in enumerate(series)]
    legend_width = sum(24 + 8 * len(name) for name, _colour in legend)
    width = max(COL_LEFT * 2 + max(len(categories), 1) * group_width, legend_width + COL_LEFT)
    height = baseline + COL_BOTTOM
    parts = [_open_svg(chart_id, width, height, title, desc, "report-chart report-grouped")]
    x = float(COL_LEFT)
    for name, colour in legend:
        parts.append(f'<rect x="{_num(x)}" y="4" width="12" height="12" fill="{colour}"></rect>')
        parts.append(_label(x + 16, 14, name))
        x += 24 + 8 * len(name)
    parts.append(
        f'<line x1="{COL_LEFT}" x2="{width - COL_LEFT}" y1="{baseline}" y2="{baseline}" '
        f'stroke="{MUTED_COLOUR}"></line>'
    )
    for bar in bars:
        if bar.height:
            parts.append(
                f'<rect x="{_num(bar.x)}" y="{_num(bar.y)}" width="{GROUP_BAR - 2}" '
                f'height="{_num(bar.height)}" fill="{bar.colour}">'
                f"<title>{_esc(bar.category)}, {_esc(bar.series)}: {_esc(bar.text)}</title></rect>"
            )
    for c_index, category in enumerate(categories):
        centre = COL_LEFT + c_index * group_width + group_width / 2
        parts.append(_label(centre, baseline + 16, short_label(category, 10), anchor="middle"))
    parts.append("</svg>")
    return GroupedChart(
        width=width,
        height=height,
        svg=SvgMarkup("".join(parts)),
        bars=bars,
        legend=legend,
        baseline=baseline,
    )


# --- heatmap: rows × columns, a colour band per value and the value written in the cell -------

HEAT_LABEL_WIDTH = 220
HEAT_CELL_WIDTH = 76
HEAT_CELL_HEIGHT = 28
HEAT_HEADER = 96  # column labels, written at an angle
HEAT_LEGEND = 40


def _luminance(colour: str) -> float:
    """Relative luminance of "#rrggbb" (WCAG 2.1)."""
    channels = []
    for index in (1, 3, 5):
        value = int(colour[index : index + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour_on(fill: str) -> str:
    """Dark or white text, whichever reads better on `fill`."""
    return TEXT_COLOUR if contrast(fill, TEXT_COLOUR) >= contrast(fill, "#ffffff") else "#ffffff"


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


@dataclass(frozen=True)
class HeatCell:
    row: int
    column: int
    x: float
    y: float
    fill: str
    text_colour: str
    text: str


@dataclass(frozen=True)
class LegendBand:
    fill: str
    label: str  # e.g. "20%–40%"


@dataclass(frozen=True)
class HeatmapChart(Chart):
    cells: list[HeatCell]
    legend: list[LegendBand]


def heat_band(value: float, low: float, high: float) -> int:
    """Which of the len(HEAT_COLOURS) equal bands between low and high the value falls in."""
    if high <= low:
        return 0
    share = (value - low) / (high - low)
    return min(max(int(share * len(HEAT_COLOURS)), 0), len(HEAT_COLOURS) - 1)


def heatmap(
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    values: Sequence[Sequence[ChartItem]],
    *,
    chart_id: str,
    title: str,
    desc: str,
    low: float = 0.0,
    high: float = 1.0,
    band_label: Callable[[float], str] = _percent,
) -> HeatmapChart:
    """`values[r][c]` is the cell of row r and column c; None values are drawn blank with "—"."""
    if len(values) != len(row_labels) or any(len(row) != len(column_labels) for row in values):
        raise ValueError("The heatmap needs one value per row and column.")
    chart_id = safe_id(chart_id)
    cells = []
    for r_index, row in enumerate(values):
        for c_index, item in enumerate(row):
            band = None if item.value is None else heat_band(item.value, low, high)
            fill = MISSING_FILL if band is None else HEAT_COLOURS[band]
            cells.append(
                HeatCell(
                    row=r_index,
                    column=c_index,
                    x=HEAT_LABEL_WIDTH + c_index * HEAT_CELL_WIDTH,
                    y=HEAT_HEADER + r_index * HEAT_CELL_HEIGHT,
                    fill=fill,
                    text_colour=text_colour_on(fill),
                    text=item.text,
                )
            )
    step = (high - low) / len(HEAT_COLOURS)
    legend = [
        LegendBand(
            fill=colour,
            label=f"{band_label(low + index * step)}–{band_label(low + (index + 1) * step)}",
        )
        for index, colour in enumerate(HEAT_COLOURS)
    ]
    grid_bottom = HEAT_HEADER + max(len(row_labels), 1) * HEAT_CELL_HEIGHT
    width = max(
        HEAT_LABEL_WIDTH + max(len(column_labels), 1) * HEAT_CELL_WIDTH + 40,
        (len(legend) + 1) * 100 + 20,
    )
    height = grid_bottom + 12 + HEAT_LEGEND
    parts = [_open_svg(chart_id, width, height, title, desc, "report-chart report-heatmap")]
    for c_index, label in enumerate(column_labels):
        x = HEAT_LABEL_WIDTH + c_index * HEAT_CELL_WIDTH + HEAT_CELL_WIDTH / 2
        y = HEAT_HEADER - 8
        shown = short_label(label, 16)
        tooltip = f"<title>{_esc(label)}</title>" if shown != label else ""
        parts.append(
            f'<text x="{_num(x)}" y="{y}" font-size="12" fill="{TEXT_COLOUR}" '
            f'transform="rotate(-35 {_num(x)} {y})">{tooltip}{_esc(shown)}</text>'
        )
    for r_index, label in enumerate(row_labels):
        y = HEAT_HEADER + r_index * HEAT_CELL_HEIGHT + HEAT_CELL_HEIGHT / 2 + 4
        parts.append(_label(HEAT_LABEL_WIDTH - 8, y, label, anchor="end"))
    for cell in cells:
        parts.append(
            f'<rect x="{_num(cell.x)}" y="{_num(cell.y)}" width="{HEAT_CELL_WIDTH}" '
            f'height="{HEAT_CELL_HEIGHT}" fill="{cell.fill}" stroke="{GRID_COLOUR}"></rect>'
            f'<text x="{_num(cell.x + HEAT_CELL_WIDTH / 2)}" '
            f'y="{_num(cell.y + HEAT_CELL_HEIGHT / 2 + 4)}" font-size="12" '
            f'fill="{cell.text_colour}" text-anchor="middle">{_esc(cell.text)}</text>'
        )
    legend_y = grid_bottom + 12
    for index, band in enumerate([*legend, LegendBand(fill=MISSING_FILL, label="no data")]):
        x = 10 + index * 100
        parts.append(
            f'<rect x="{x}" y="{legend_y}" width="14" height="14" fill="{band.fill}" '
            f'stroke="{MUTED_COLOUR}"></rect>'
            f'<text x="{x + 18}" y="{legend_y + 12}" font-size="11" '
            f'fill="{TEXT_COLOUR}">{_esc(band.label)}</text>'
        )
    parts.append("</svg>")
    return HeatmapChart(
        width=width, height=height, svg=SvgMarkup("".join(parts)), cells=cells, legend=legend
    )
