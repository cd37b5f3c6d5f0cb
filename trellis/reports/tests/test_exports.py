"""Exports read back: CSV bytes exactly, XLSX through its XML parts, the PDF through pypdf."""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal

import pypdf
import pytest

from trellis.reports import exports
from trellis.reports.formatting import display
from trellis.reports.tables import Cell, Column, ColumnKind, Figure, ReportTable, Summary

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def sample_table(**overrides) -> ReportTable:
    values = {
        "key": "spending_by_school",
        "title": "Spending by school",
        "columns": [
            Column("school", "School"),
            Column("seats", "Paid seats", ColumnKind.INTEGER, "Enrolled or completed"),
            Column("share", "Share", ColumnKind.PERCENT),
            Column("cost", "Cost", ColumnKind.MONEY),
            Column("hours", "Hours", ColumnKind.DECIMAL),
        ],
        "rows": [
            [
                Cell("Lincoln Élémentaire"),
                Cell(12, "seats:school=x"),
                Cell(0.125),
                Cell(Decimal("1234.5")),
                Cell(Decimal("7.50")),
            ],
            [Cell("=1+2"), Cell(-3), Cell(None), Cell(Decimal("-2")), Cell(0)],
            [Cell("@SUM(A1)"), Cell(0), Cell(1), Cell(Decimal("0")), Cell(2.25)],
            [Cell("+cmd|' /C calc'!A0"), Cell(1), Cell(0.5), Cell(None), Cell(None)],
            [Cell("-10"), Cell(1), Cell(0.3333), Cell(Decimal("3")), Cell(1)],
        ],
        "note": "Figures refreshed 2026-12-05 03:00 UTC.",
    }
    values.update(overrides)
    return ReportTable(**values)


def sample_summary() -> Summary:
    return Summary(
        figures=[
            Figure("educators", "Educators", 42),
            Figure("rate", "Participation rate", 0.5, ColumnKind.PERCENT),
            Figure("spend", "Spending", Decimal("1500.00"), ColumnKind.MONEY, help="District-wide"),
            Figure("days", "Average days to assessment", None, ColumnKind.DECIMAL),
        ],
        refreshed_at=dt.datetime(2026, 12, 5, 3, 0, tzinfo=dt.UTC),
    )


# --- CSV ------------------------------------------------------------------------------------


def test_csv_is_exact_with_bom_and_formula_guard():
    data = exports.to_csv(sample_table())
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == (
        "School,Paid seats,Share,Cost,Hours\r\n"
        "Lincoln Élémentaire,12,12.5%,1234.50,7.5\r\n"
        "'=1+2,-3,,-2.00,0\r\n"
        "'@SUM(A1),0,100%,0.00,2.25\r\n"
        "'+cmd|' /C calc'!A0,1,50%,,\r\n"
        "'-10,1,33.3%,3.00,1\r\n"
    )


def test_csv_guards_headers_and_tab_or_return_starts():
    table = sample_table(
        columns=[Column("a", "=A"), Column("b", "B")],
        rows=[[Cell("\tx"), Cell("\ry")], [Cell('a,"b"'), Cell("plain")]],
    )
    assert exports.to_csv(table).decode("utf-8-sig") == (
        '\'=A,B\r\n\'\tx,"\'\ry"\r\n"a,""b""",plain\r\n'
    )


def test_csv_of_an_empty_table_is_just_the_header():
    assert exports.to_csv(sample_table(rows=[])) == (
        b"\xef\xbb\xbfSchool,Paid seats,Share,Cost,Hours\r\n"
    )


def test_csv_writes_dates_and_large_numbers_plainly():
    table = sample_table(
        columns=[
            Column("m", "Month", ColumnKind.DATE),
            Column("n", "N", ColumnKind.INTEGER),
            Column("h", "H", ColumnKind.DECIMAL),
        ],
        rows=[[Cell(dt.date(2026, 9, 1)), Cell(1234567), Cell(Decimal("1234.5"))]],
    )
    assert exports.to_csv(table).decode("utf-8-sig").splitlines()[1] == "2026-09-01,1234567,1234.5"


# --- XLSX -----------------------------------------------------------------------------------


def _xml(data: bytes) -> ET.Element:
    return ET.fromstring(data)  # noqa: S314 -- parsing our own export, not untrusted input


def read_xlsx(data: bytes) -> dict[str, dict[str, str]]:
    """{sheet name: {cell ref: value as text}} from the workbook's XML parts."""
    book = zipfile.ZipFile(io.BytesIO(data))
    shared = [
        "".join(t.text or "" for t in item.iter(f"{{{NS['m']}}}t"))
        for item in _xml(book.read("xl/sharedStrings.xml")).findall("m:si", NS)
    ]
    rels = _xml(book.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    sheets = {}
    for sheet in _xml(book.read("xl/workbook.xml")).find("m:sheets", NS):
        xml = _xml(book.read("xl/" + targets[sheet.get(REL)]))
        cells = {}
        for cell in xml.iter(f"{{{NS['m']}}}c"):
            value = cell.find("m:v", NS)
            assert cell.find("m:f", NS) is None, "no formulas are ever written"
            if value is None:
                continue
            cells[cell.get("r")] = shared[int(value.text)] if cell.get("t") == "s" else value.text
        sheets[sheet.get("name")] = cells
    return sheets


def test_xlsx_has_a_summary_sheet_and_one_typed_sheet_per_table():
    data = exports.to_xlsx(
        [sample_table(), sample_table(key="other", title="Spending by school", rows=[])],
        sample_summary(),
        filters_desc=[("School", "Lincoln")],
    )
    sheets = read_xlsx(data)
    assert list(sheets) == ["Summary", "Spending by school", "Spending by school (2)"]
    summary = sheets["Summary"]
    assert summary == {
        "A1": "Headline figures",
        "A3": "Educators",
        "B3": "42",
        "A4": "Participation rate",
        "B4": "0.5",
        "A5": "Spending",
        "B5": "1500",
        "C5": "District-wide",
        "A6": "Average days to assessment",
        "A8": "Filters",
        "B8": "School: Lincoln",
        "A9": "Figures refreshed",
        "B9": "2026-12-05 03:00 UTC",
    }
    table = sheets["Spending by school"]
    assert [table[f"{c}3"] for c in "ABCDE"] == ["School", "Paid seats", "Share", "Cost", "Hours"]
    assert [table.get(f"{c}4") for c in "ABCDE"] == [
        "Lincoln Élémentaire",
        "12",
        "0.125",
        "1234.5",
        "7.5",
    ]
    # Formula-looking text stays text (a string cell, never a formula), without an apostrophe.
    assert [table.get(f"{c}5") for c in "ABCDE"] == ["=1+2", "-3", None, "-2", "0"]
    assert table["A10"] == "Figures refreshed 2026-12-05 03:00 UTC."
    assert table["A11"] == "Paid seats: Enrolled or completed"
    empty = sheets["Spending by school (2)"]
    assert empty["A4"] == "No data for these filters yet."


def test_xlsx_number_formats_follow_the_column_kind():
    data = exports.to_xlsx([sample_table()], None)
    styles = zipfile.ZipFile(io.BytesIO(data)).read("xl/styles.xml").decode()
    for code in ("#,##0", "0.0%", "$#,##0.00", "#,##0.0#"):
        assert f'formatCode="{code}"' in styles.replace("&quot;", '"')


@pytest.mark.parametrize(
    ("titles", "names"),
    [
        (["A/B: [c]?*"], ["A B c"]),
        (["x" * 40, "x" * 40], ["x" * 31, "x" * 27 + " (2)"]),
        (["Summary"], ["Summary (2)"]),
        (["''"], ["Sheet"]),
        (
            ["Micro-credentials: started, submitted, earned", "Licence renewal: who is at risk"],
            ["Micro-credentials started", "Licence renewal who is at risk"],
        ),
        (
            ["Participation by career stage"] * 2,
            ["Participation by career stage", "Participation by career (2)"],
        ),
    ],
)
def test_sheet_names_follow_excel_rules(titles, names):
    taken = {"summary"}
    assert [exports.sheet_name(title, taken) for title in titles] == names


# --- PDF ------------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_board_report_pdf_has_title_filters_figures_and_tables():
    data = exports.board_report_pdf(
        sample_summary(),
        [sample_table(), sample_table(key="empty", title="Lowest-rated offerings", rows=[])],
        [("School", "Lincoln"), ("From", "2026-09-01")],
        "Northfield Schools",
        generated=dt.date(2026, 12, 5),
    )
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    for expected in (
        "Professional learning board report",
        "District Northfield Schools",
        "Date 2026-12-05",
        "Filters School: Lincoln; From: 2026-09-01",
        "Figures refreshed 2026-12-05 03:00 UTC",
        "Educators 42",
        "Participation rate 50%",
        "Spending (District-wide) $1,500.00",
        "Average days to assessment —",
        "Spending by school",
        "School Paid seats Share Cost Hours",
        "Lincoln Élémentaire 12 12.5% $1,234.50 7.5",
        "Lowest-rated offerings",
        "No data for these filters yet.",
        "Paid seats: Enrolled or completed",
    ):
        assert expected in text, expected
    assert pypdf.PdfReader(io.BytesIO(data)).metadata.title == (
        "Professional learning report: Northfield Schools"
    )


def test_board_report_truncates_long_tables_and_survives_any_text():
    rows = [
        [Cell(f"Offering {i} 漢字 🙂"), Cell(i), Cell(0.1), Cell(Decimal(i)), Cell(1)]
        for i in range(40)
    ]
    data = exports.board_report_pdf(
        Summary(figures=[]),
        [sample_table(rows=rows)],
        [],
        "Ω District",
        generated=dt.date(2026, 1, 2),
    )
    text = pdf_text(data)
    assert "Filters None: the whole district, all dates" in text
    assert "Figures refreshed Not refreshed yet" in text
    assert "No figures for these filters yet." in text
    assert "Top 15 of 40 rows; the CSV and Excel exports hold all." in text
    assert "Offering 14 ?? ?" in text
    assert "Offering 15 " not in text
    assert re.search(r"District \? District", text)


def test_display_formats():
    assert [
        display(12345, ColumnKind.INTEGER),
        display(0.125, ColumnKind.PERCENT),
        display(1, ColumnKind.PERCENT),
        display(Decimal("1234.5"), ColumnKind.MONEY),
        display(Decimal("-2"), ColumnKind.MONEY),
        display(2.5, ColumnKind.DECIMAL),
        display(3.0, ColumnKind.DECIMAL),
        display(None, ColumnKind.MONEY),
        display(dt.date(2026, 1, 2), ColumnKind.DATE),
        display("x", ColumnKind.TEXT),
    ] == ["12,345", "12.5%", "100%", "$1,234.50", "-$2.00", "2.5", "3", "—", "2026-01-02", "x"]


def test_board_report_bars_do_not_paint_the_table_after_them() -> None:
    # fpdf2 tables fill their cells with the current fill colour: a bar colour left set after
    # the chart made every table below it dark green with black text (found in the demo's PDF).
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.add_page()
    before = pdf.fill_color
    exports._bar_sketch(pdf, sample_table(), 3)
    assert pdf.fill_color == before
