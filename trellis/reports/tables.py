"""The shape every dashboard figure and table takes, shared by queries, charts, exports and the API.

Plain Python: the query layer fills these, the chart and export renderers read them. A cell may
carry a drill-down key so the page can link the number to the list of people or records behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class ColumnKind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"  # hours, rates as numbers
    PERCENT = "percent"  # stored as a fraction 0..1, shown as a percentage
    MONEY = "money"  # stored in the district's currency units (e.g. dollars, 2 decimals)
    DATE = "date"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: ColumnKind = ColumnKind.TEXT
    help: str = ""  # one line shown under the table and in the export's notes


@dataclass(frozen=True)
class Cell:
    """A value with an optional drill-down: ``drill`` names the list behind the number."""

    value: Any
    drill: str | None = None  # an opaque key understood by queries.drill_down(); None = no list


@dataclass(frozen=True)
class ReportTable:
    key: str  # stable identifier, also the API route name and the export file name
    title: str
    columns: list[Column]
    rows: list[list[Cell]]
    note: str = ""  # e.g. "Figures refreshed 2026-12-05 03:00 UTC"
    empty_message: str = "No data for these filters yet."

    def plain_rows(self) -> list[list[Any]]:
        return [[cell.value for cell in row] for row in self.rows]

    def as_dicts(self) -> list[dict[str, Any]]:
        keys = [column.key for column in self.columns]
        return [dict(zip(keys, row, strict=True)) for row in self.plain_rows()]


@dataclass(frozen=True)
class Figure:
    """One headline number on the summary strip."""

    key: str
    label: str
    value: Any
    kind: ColumnKind = ColumnKind.INTEGER
    drill: str | None = None
    help: str = ""


@dataclass(frozen=True)
class Summary:
    figures: list[Figure]
    refreshed_at: Any = None  # datetime of the summary tables' last refresh, or None if never
    filters: dict[str, Any] = field(default_factory=dict)  # the filters applied, for display/echo
