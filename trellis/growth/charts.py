"""Geometry of the competency profile chart: self vs observed, per competency. Pure Python.

Drawn on the server as inline SVG (templates/growth/_competency_chart.html) with a table
alternative, in the house style of trellis.core.charts.
"""

from __future__ import annotations

from dataclasses import dataclass

LABEL_WIDTH = 230
BAR_SPACE = 300.0
ROW_HEIGHT = 40
TOP_MARGIN = 30  # legend
MAX_LABEL_CHARS = 34


@dataclass(frozen=True)
class PairRow:
    label: str  # shortened to fit; the full name is in `title`
    title: str
    y: int
    self_value: float | None
    self_width: float
    observed_value: float | None
    observed_width: float
    observed_text: str
    self_text_x: float
    observed_text_x: float


@dataclass(frozen=True)
class Tick:
    x: float
    value: int
    label: str


@dataclass(frozen=True)
class PairChart:
    rows: list[PairRow]
    ticks: list[Tick]
    width: int
    height: int
    axis_height: int  # where the grid lines end
    label_width: int = LABEL_WIDTH


def short_number(value: float) -> str:
    """2.5 → "2.5", 3.0 → "3", 2.333 → "2.33"."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL_CHARS else text[: MAX_LABEL_CHARS - 1].rstrip() + "…"


def paired_bars(
    items: list[tuple[str, float | None, float | None]], *, levels: list[tuple[int, str]]
) -> PairChart:
    """One row per competency (label, self level, observed mean) on the scale's levels."""
    top = max((value for value, _label in levels), default=1) or 1

    def width(value: float | None) -> float:
        return round(BAR_SPACE * value / top, 1) if value else 0.0

    rows = []
    for index, (label, self_value, observed) in enumerate(items):
        y = TOP_MARGIN + index * ROW_HEIGHT
        rows.append(
            PairRow(
                label=_short(label),
                title=label,
                y=y,
                self_value=self_value,
                self_width=width(self_value),
                observed_value=observed,
                observed_width=width(observed),
                observed_text=short_number(observed) if observed is not None else "",
                self_text_x=LABEL_WIDTH + width(self_value) + 6,
                observed_text_x=LABEL_WIDTH + width(observed) + 6,
            )
        )
    axis_height = TOP_MARGIN + max(len(rows), 1) * ROW_HEIGHT
    ticks = [
        Tick(x=LABEL_WIDTH + round(BAR_SPACE * value / top, 1), value=value, label=label)
        for value, label in levels
    ]
    return PairChart(
        rows=rows,
        ticks=ticks,
        width=int(LABEL_WIDTH + BAR_SPACE + 60),
        height=axis_height + 20,
        axis_height=axis_height,
    )
