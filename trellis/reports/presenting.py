"""From a `ReportTable` to what the dashboard page shows: display texts, drill links and a chart.

Plain Python (no Django): the view passes a function that turns a drill key into a URL. Which
chart suits which table is decided here, by table key and column key; a table whose columns do
not match (or an unknown table) simply gets no chart — the table itself is always shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from trellis.reports import charts
from trellis.reports.charts import Chart, ChartItem, Series
from trellis.reports.formatting import as_number, display, is_numeric
from trellis.reports.tables import Column, Figure, ReportTable

BAR_ROWS = 15  # a bar chart shows the table's first rows (tables come sorted by importance)
MONTHS = 24  # the time chart shows the latest two years

BARS, COLUMNS, GROUPED, HEATMAP = "bars", "columns", "grouped", "heatmap"
CHARTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "participation_by_school": (BARS, ("participants",)),
    "participation_by_role": (BARS, ("participants",)),
    "participation_by_stage": (BARS, ("participants",)),
    "participation_over_time": (COLUMNS, ("participants",)),
    "microcredential_funnel": (BARS, ("count",)),
    "time_to_assessment": (BARS, ("average_days",)),
    "renewal_at_risk": (GROUPED, ("on_track", "behind_pace", "past_deadline", "complete")),
    "need_vs_supply": (BARS, ("gap_share",)),
    "need_by_school": (HEATMAP, ()),
    "spending_by_offering": (BARS, ("cost",)),
    "spending_by_school": (BARS, ("cost",)),
    "spending_by_competency": (BARS, ("cost",)),
    "impact_per_dollar": (BARS, ("effect_per_1000",)),
    "quality_lowest_rated": (BARS, ("rating",)),
}


@dataclass(frozen=True)
class ShownCell:
    text: str
    url: str | None
    numeric: bool
    label: str  # "Lincoln, Participants: 12" — the accessible name of a drill link


@dataclass(frozen=True)
class Panel:
    table: ReportTable
    header: list[Column]
    rows: list[list[ShownCell]]
    chart: Chart | None
    notes: list[str]


@dataclass(frozen=True)
class ShownFigure:
    figure: Figure
    text: str
    url: str | None


def figures(figures: list[Figure], drill_url: Callable[[str], str]) -> list[ShownFigure]:
    return [
        ShownFigure(
            figure=figure,
            text=display(figure.value, figure.kind),
            url=drill_url(figure.drill) if figure.drill else None,
        )
        for figure in figures
    ]


def row_label(row: list[Any]) -> str:
    return display(row[0].value, "text") if row else ""


def panel(table: ReportTable, drill_url: Callable[[str], str]) -> Panel:
    rows = []
    for row in table.rows:
        name = row_label(row)
        shown = []
        for column, cell in zip(table.columns, row, strict=True):
            text = display(cell.value, column.kind)
            shown.append(
                ShownCell(
                    text=text,
                    url=drill_url(cell.drill) if cell.drill else None,
                    numeric=is_numeric(column.kind),
                    label=f"{name}, {column.label}: {text}",
                )
            )
        rows.append(shown)
    notes = [f"{column.label}: {column.help}" for column in table.columns if column.help]
    if table.note:
        notes.append(table.note)
    return Panel(table=table, header=table.columns, rows=rows, chart=chart_for(table), notes=notes)


def _column_index(table: ReportTable, key: str) -> int | None:
    for index, column in enumerate(table.columns):
        if column.key == key and index > 0:
            return index
    return None


def _items(table: ReportTable, rows: list[list[Any]], index: int) -> list[ChartItem]:
    kind = table.columns[index].kind
    return [
        ChartItem(row_label(row), as_number(row[index].value), display(row[index].value, kind))
        for row in rows
    ]


def chart_for(table: ReportTable) -> Chart | None:
    spec = CHARTS.get(table.key)
    if spec is None or not table.rows:
        return None
    kind, keys = spec
    chart_id = f"chart-{table.key}"
    if kind == HEATMAP:
        return _heatmap(table, chart_id)
    indexes = [_column_index(table, key) for key in keys]
    if any(index is None or not is_numeric(table.columns[index].kind) for index in indexes):
        return None
    found = [index for index in indexes if index is not None]
    total = len(table.rows)
    if kind == COLUMNS:
        rows = table.rows[-MONTHS:]
        column = table.columns[found[0]]
        return charts.vertical_bars(
            _items(table, rows, found[0]),
            chart_id=chart_id,
            title=f"{table.title}: {column.label}",
            desc=f"Columns of {column.label.lower()}, one per {table.columns[0].label.lower()}, "
            f"for the last {len(rows)} of {total}. The table gives every figure.",
        )
    rows = table.rows[:BAR_ROWS]
    if kind == GROUPED:
        return charts.grouped_bars(
            [row_label(row) for row in rows],
            [Series(table.columns[index].label, _items(table, rows, index)) for index in found],
            chart_id=chart_id,
            title=table.title,
            desc=f"Grouped bars per {table.columns[0].label.lower()}: "
            + ", ".join(table.columns[index].label for index in found)
            + f", for the first {len(rows)} of {total}. The table gives every figure.",
        )
    column = table.columns[found[0]]
    return charts.horizontal_bars(
        _items(table, rows, found[0]),
        chart_id=chart_id,
        title=f"{table.title}: {column.label}",
        desc=f"Bars of {column.label.lower()} per {table.columns[0].label.lower()}, for the "
        f"first {len(rows)} of {total}. The table gives every figure.",
    )


def _heatmap(table: ReportTable, chart_id: str) -> Chart | None:
    value_columns = table.columns[1:]
    if not value_columns or any(not is_numeric(column.kind) for column in value_columns):
        return None
    values = [
        [
            ChartItem(row_label(row), as_number(cell.value), display(cell.value, column.kind))
            for column, cell in zip(value_columns, row[1:], strict=True)
        ]
        for row in table.rows
    ]
    return charts.heatmap(
        [row_label(row) for row in table.rows],
        [column.label for column in value_columns],
        values,
        chart_id=chart_id,
        title=table.title,
        desc=f"Heatmap: a row per {table.columns[0].label.lower()}, a column per school; darker "
        "means a larger share. Each cell also shows its value. The table gives every figure.",
    )
