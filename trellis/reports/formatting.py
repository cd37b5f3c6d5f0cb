"""How a report value is written for people: on the page, in the PDF and in chart labels. Pure Python.

Exports keep machine-friendly values where the format has types (XLSX numbers with number
formats); text renderings all go through `display` so the page, the PDF and the charts agree.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from trellis.reports.tables import ColumnKind

MISSING = "—"  # no value (e.g. a rate with nothing to divide by)


def _trimmed(value: float, places: int) -> str:
    text = f"{value:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def display(value: Any, kind: ColumnKind | str) -> str:
    """12345 → "12,345"; 0.125 (percent) → "12.5%"; 1234.5 (money) → "$1,234.50"; None → "—"."""
    if value is None or value == "":
        return MISSING
    kind = ColumnKind(kind)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if kind is ColumnKind.INTEGER and isinstance(value, int | float | Decimal):
        return f"{int(value):,}"
    if kind is ColumnKind.DECIMAL and isinstance(value, int | float | Decimal):
        return _trimmed(float(value), 2)
    if kind is ColumnKind.PERCENT and isinstance(value, int | float | Decimal):
        return _trimmed(float(value) * 100, 1) + "%"
    if kind is ColumnKind.MONEY and isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
        sign = "-" if amount < 0 else ""
        return f"{sign}${abs(amount):,.2f}"
    if kind is ColumnKind.DATE and isinstance(value, dt.date | dt.datetime):
        return value.isoformat()[:10]
    return str(value)


def is_numeric(kind: ColumnKind | str) -> bool:
    return ColumnKind(kind) in {
        ColumnKind.INTEGER,
        ColumnKind.DECIMAL,
        ColumnKind.PERCENT,
        ColumnKind.MONEY,
    }


def as_number(value: Any) -> float | None:
    """A chartable float, or None for missing or non-numeric values."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | Decimal):
        return float(value)
    return None
