"""Report exports: CSV per table, one Excel workbook, the printable board report (PDF).

Plain Python over `ReportTable`/`Summary` (plus fpdf2 and XlsxWriter): no Django, no queries —
the views fetch the data with the caller's filters and hand it here.

- CSV: UTF-8 with a byte-order mark (Excel then reads accents right), a header row of column
  labels, then the rows. Text that a spreadsheet would run as a formula (starting with = + - @,
  tab or carriage return) gets a leading apostrophe; numbers are written plainly.
- XLSX: a "Summary" sheet (headline figures, filters, refresh time), then one sheet per table
  with typed cells (numbers, percentages, money, dates) and the column notes under the table.
  Every text is written as a string cell, never as a formula.
- PDF: core Helvetica (Windows-1252; other characters approximated), A4 landscape.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import xlsxwriter
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from trellis.core.pdf_text import ENCODING as PDF_ENCODING
from trellis.core.pdf_text import printable
from trellis.reports.formatting import MISSING, as_number, display, is_numeric
from trellis.reports.tables import Column, ColumnKind, ReportTable, Summary

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_LIMIT = 31  # Excel's limit
PDF_MAX_ROWS = 15  # the board report shows the top rows; the full table is in the exports
BAR_COLOUR = (31, 95, 74)
HEADINGS = FontFace(emphasis="BOLD", fill_color=(226, 236, 231))


# --- CSV -----------------------------------------------------------------------------------------


def guard_formula(text: str) -> str:
    """Text a spreadsheet would evaluate gets a leading apostrophe so it stays text."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_value(value: Any, kind: ColumnKind) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal) and is_numeric(kind):
        if kind is ColumnKind.PERCENT:
            return display(value, kind).replace(",", "")  # "12.5%": Excel reads it as 0.125
        if kind is ColumnKind.INTEGER:
            return str(int(value))
        if kind is ColumnKind.MONEY:
            return f"{Decimal(str(value)):.2f}"
        return display(value, kind).replace(",", "")
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return guard_formula(str(value))


def to_csv(table: ReportTable) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([guard_formula(column.label) for column in table.columns])
    kinds = [ColumnKind(column.kind) for column in table.columns]
    for row in table.plain_rows():
        writer.writerow([csv_value(value, kind) for value, kind in zip(row, kinds, strict=True)])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


# --- XLSX ----------------------------------------------------------------------------------------


def _shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary when there is one (no "subm")."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if text[limit] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;-") or text[:limit]


def sheet_name(title: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique (case-insensitive)."""
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip().strip("'") or "Sheet"
    base = _shorten(re.sub(r"\s+", " ", base), SHEET_NAME_LIMIT)
    name, number = base, 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name = _shorten(base, SHEET_NAME_LIMIT - len(suffix)) + suffix
        number += 1
    taken.add(name.lower())
    return name


class _Formats:
    def __init__(self, book: Any) -> None:
        self.bold = book.add_format({"bold": True})
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.header = book.add_format({"bold": True, "bottom": 1, "text_wrap": True})
        self.note = book.add_format({"italic": True, "font_color": "#4a5568"})
        self.by_kind = {
            ColumnKind.INTEGER: book.add_format({"num_format": "#,##0"}),
            ColumnKind.DECIMAL: book.add_format({"num_format": "#,##0.0#"}),
            ColumnKind.PERCENT: book.add_format({"num_format": "0.0%"}),
            ColumnKind.MONEY: book.add_format({"num_format": "$#,##0.00"}),
            ColumnKind.DATE: book.add_format({"num_format": "yyyy-mm-dd"}),
        }


def _write_value(sheet: Any, row: int, col: int, value: Any, kind: ColumnKind, fmt: _Formats):
    number = as_number(value)
    if value is None:
        sheet.write_blank(row, col, None)
    elif number is not None and is_numeric(kind):
        sheet.write_number(row, col, number, fmt.by_kind[kind])
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(row, col, value.replace(tzinfo=None), fmt.by_kind[ColumnKind.DATE])
    elif isinstance(value, dt.date):
        sheet.write_datetime(
            row, col, dt.datetime.combine(value, dt.time()), fmt.by_kind[ColumnKind.DATE]
        )
    else:
        sheet.write_string(row, col, str(value))


def _column_notes(columns: Sequence[Column]) -> list[str]:
    return [f"{column.label}: {column.help}" for column in columns if column.help]


def to_xlsx(
    tables: Sequence[ReportTable],
    summary: Summary | None,
    *,
    filters_desc: Sequence[tuple[str, str]] = (),
) -> bytes:
    output = io.BytesIO()
    book = xlsxwriter.Workbook(
        output,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    fmt = _Formats(book)
    taken: set[str] = set()
    if summary is not None:
        sheet = book.add_worksheet(sheet_name("Summary", taken))
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 1, 18)
        sheet.write_string(0, 0, "Headline figures", fmt.title)
        line = 2
        for figure in summary.figures:
            sheet.write_string(line, 0, figure.label, fmt.bold)
            _write_value(sheet, line, 1, figure.value, ColumnKind(figure.kind), fmt)
            if figure.help:  # e.g. "District-wide: ..." on a school's report
                sheet.write_string(line, 2, figure.help, fmt.note)
            line += 1
        line += 1
        sheet.write_string(line, 0, "Filters", fmt.bold)
        sheet.write_string(line, 1, describe_filters(filters_desc))
        line += 1
        sheet.write_string(line, 0, "Figures refreshed", fmt.bold)
        sheet.write_string(line, 1, refreshed_text(summary.refreshed_at))
    for table in tables:
        sheet = book.add_worksheet(sheet_name(table.title, taken))
        kinds = [ColumnKind(column.kind) for column in table.columns]
        sheet.write_string(0, 0, table.title, fmt.title)
        for col, column in enumerate(table.columns):
            sheet.write_string(2, col, column.label, fmt.header)
            sheet.set_column(col, col, 34 if col == 0 else 16)
        for offset, row in enumerate(table.plain_rows()):
            for col, (value, kind) in enumerate(zip(row, kinds, strict=True)):
                _write_value(sheet, 3 + offset, col, value, kind, fmt)
        line = 3 + len(table.rows) + 1
        if not table.rows:
            sheet.write_string(3, 0, table.empty_message, fmt.note)
            line = 5
        for note in ([table.note] if table.note else []) + _column_notes(table.columns):
            sheet.write_string(line, 0, note, fmt.note)
            line += 1
        sheet.freeze_panes(3, 0)
    if not tables and summary is None:
        book.add_worksheet("Empty").write_string(0, 0, "Nothing to export.")
    book.close()
    return output.getvalue()


# --- PDF board report ----------------------------------------------------------------------------


def describe_filters(filters_desc: Sequence[tuple[str, str]]) -> str:
    if not filters_desc:
        return "None: the whole district, all dates"
    return "; ".join(f"{label}: {value}" for label, value in filters_desc)


def refreshed_text(refreshed_at: Any) -> str:
    if refreshed_at is None:
        return "Not refreshed yet"
    if isinstance(refreshed_at, dt.datetime):
        return refreshed_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return str(refreshed_at)


class _BoardPDF(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("helvetica", size=8)
        self.set_text_color(90)
        self.cell(
            0, 5, printable(f"{self.footer_text} · page {self.page_no()} of {{nb}}"), align="C"
        )
        self.set_text_color(0)


def board_report_pdf(
    summary: Summary,
    tables: Sequence[ReportTable],
    filters_desc: Sequence[tuple[str, str]],
    district_name: str,
    *,
    generated: dt.date | None = None,
) -> bytes:
    """Title, date, filters, headline figures, then each table (top rows) with a bar sketch."""
    generated = generated or dt.datetime.now(dt.UTC).date()
    pdf = _BoardPDF(orientation="L", unit="mm", format="A4")
    pdf.core_fonts_encoding = PDF_ENCODING
    pdf.footer_text = f"Trellis board report, {district_name}, {generated.isoformat()}"
    pdf.set_title(printable(f"Professional learning report: {district_name}"))
    pdf.set_author("Trellis")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()

    pdf.set_font("helvetica", "B", 18)
    pdf.cell(0, 10, "Professional learning board report", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    facts = [
        ("District", district_name),
        ("Date", generated.isoformat()),
        ("Filters", describe_filters(filters_desc)),
        ("Figures refreshed", refreshed_text(summary.refreshed_at)),
    ]
    for label, value in facts:
        pdf.set_font("helvetica", "B", 10)
        pdf.cell(36, 6, printable(label))
        pdf.set_font("helvetica", size=10)
        pdf.multi_cell(0, 6, printable(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)

    _heading(pdf, "Headline figures")
    if summary.figures:
        pdf.set_font("helvetica", size=10)
        with pdf.table(
            col_widths=(120, 50),
            text_align=("LEFT", "RIGHT"),
            width=170,
            align="LEFT",
            line_height=6,
            first_row_as_headings=False,
        ) as grid:
            for figure in summary.figures:
                row = grid.row()
                # The help says what a figure counts, e.g. that one is district-wide.
                label = f"{figure.label} ({figure.help})" if figure.help else figure.label
                row.cell(printable(label))
                row.cell(printable(display(figure.value, figure.kind)))
    else:
        _muted(pdf, "No figures for these filters yet.")
    for table in tables:
        _table_section(pdf, table)
    return bytes(pdf.output())


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(2)
    pdf.set_font("helvetica", "B", 13)
    pdf.cell(0, 8, printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _muted(pdf: FPDF, text: str) -> None:
    pdf.set_font("helvetica", "I", 10)
    pdf.multi_cell(0, 6, printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _table_section(pdf: FPDF, table: ReportTable) -> None:
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    _heading(pdf, table.title)
    if not table.rows:
        _muted(pdf, table.empty_message)
        return
    shown = table.rows[:PDF_MAX_ROWS]
    _bar_sketch(pdf, table, len(shown))
    pdf.set_font("helvetica", size=8)
    widths = _column_widths(table.columns, pdf.epw)
    aligns = tuple("RIGHT" if is_numeric(column.kind) else "LEFT" for column in table.columns)
    with pdf.table(
        col_widths=widths,
        text_align=aligns,
        line_height=4.5,
        first_row_as_headings=True,
        headings_style=HEADINGS,
        repeat_headings=1,
    ) as grid:
        header = grid.row()
        for column in table.columns:
            header.cell(printable(column.label))
        for cells in shown:
            row = grid.row()
            for column, cell in zip(table.columns, cells, strict=True):
                row.cell(printable(display(cell.value, column.kind)))
    if len(table.rows) > len(shown):
        _muted(
            pdf, f"Top {len(shown)} of {len(table.rows)} rows; the CSV and Excel exports hold all."
        )
    notes = ([table.note] if table.note else []) + _column_notes(table.columns)
    if notes:
        pdf.set_font("helvetica", size=8)
        for note in notes:
            pdf.multi_cell(0, 4.5, printable(note), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _column_widths(columns: Sequence[Column], total: float) -> tuple[float, ...]:
    # The first (label) column gets twice the room of each figure column.
    shares = [2.0 if index == 0 else 1.0 for index in range(len(columns))]
    return tuple(total * share / sum(shares) for share in shares)


def _bar_sketch(pdf: FPDF, table: ReportTable, count: int) -> None:
    """Horizontal bars of the first numeric column, when there is one and the rows are labelled."""
    numeric = [i for i, column in enumerate(table.columns) if is_numeric(column.kind)]
    if not numeric or numeric[0] == 0 or count < 2:
        return
    index = numeric[0]
    column = table.columns[index]
    values = [as_number(row[index].value) for row in table.rows[:count]]
    top = max((value for value in values if value and value > 0), default=0.0)
    if not top:
        return
    label_width, bar_space, line = 70.0, 120.0, 5.0
    if pdf.get_y() + count * line + 8 > pdf.h - 18:
        pdf.add_page()
    pdf.set_font("helvetica", "I", 8)
    pdf.cell(0, 5, printable(f"Chart: {column.label}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    # The bar colour is set only inside this block: fpdf2 tables fill cells with the current
    # fill colour, so a colour left set would paint the next table dark green.
    with pdf.local_context(fill_color=BAR_COLOUR):
        for row, value in zip(table.rows[:count], values, strict=True):
            y = pdf.get_y()
            pdf.set_font("helvetica", size=8)
            label = printable(row[0].value if row[0].value is not None else MISSING)
            pdf.cell(label_width, line, label[:45])
            width = bar_space * value / top if value and value > 0 else 0.0
            if width:
                pdf.rect(pdf.l_margin + label_width, y + 1, width, line - 2, style="F")
            pdf.set_xy(pdf.l_margin + label_width + width + 2, y)
            pdf.cell(
                30,
                line,
                printable(display(row[index].value, column.kind)),
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
    pdf.ln(2)
