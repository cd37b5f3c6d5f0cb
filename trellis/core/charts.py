"""Server-side chart geometry for inline SVG (no JavaScript, no CDN). Pure Python."""

from __future__ import annotations

from dataclasses import dataclass

# Each row is a label line with its bar underneath, so the chart stays legible in a narrow card.
ROW_HEIGHT = 40
VALUE_GAP = 6


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: float
    value_x: float  # where the number is written, just after the bar
    share: float  # 0..1 of the total


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int


def horizontal_bars(items: list[tuple[str, int]], *, bar_space: float = 220.0) -> BarChart:
    top = max((value for _, value in items), default=0)
    total = sum(value for _, value in items)
    bars = []
    for index, (label, value) in enumerate(items):
        width = round(bar_space * value / top, 1) if top else 0.0
        bars.append(
            Bar(
                label=label,
                value=value,
                y=index * ROW_HEIGHT,
                width=width,
                value_x=width + VALUE_GAP,
                share=value / total if total else 0.0,
            )
        )
    return BarChart(bars=bars, width=int(bar_space + 50), height=max(len(bars), 1) * ROW_HEIGHT)
