"""The transcript as a PDF (fpdf2, core Helvetica font, A4 portrait, as many pages as needed).

Core fonts speak Windows-1252, which covers typographic dashes and quotes; any other character
(Greek, CJK, emoji) is replaced by its closest plain form or “?”, so a title never breaks the
file. fpdf2 bundles no Unicode font, and Trellis ships none.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from trellis.core.pdf_text import ENCODING as PDF_ENCODING
from trellis.core.pdf_text import printable
from trellis.credit.queries.transcript import Transcript
from trellis.credit.rules.model import UNIT_NAMES
from trellis.credit.rules.wording import day, number

# (heading, width in mm, alignment); the widths add up to the 180 mm between the margins.
COLUMNS = (
    ("Date", 22, "L"),
    ("Title", 58, "L"),
    ("Provider", 34, "L"),
    ("Category", 24, "L"),
    ("Amount", 26, "R"),
    ("Hours", 16, "R"),
)
LINE = 5.0


class _TranscriptPDF(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("helvetica", size=8)
        self.set_text_color(90)
        self.cell(
            0, 5, printable(f"{self.footer_text} · page {self.page_no()} of {{nb}}"), align="C"
        )


def transcript_pdf(transcript: Transcript, *, district_name: str, generated: dt.date) -> bytes:
    renewal = transcript.renewal
    pdf = _TranscriptPDF(orientation="P", unit="mm", format="A4")
    pdf.core_fonts_encoding = PDF_ENCODING
    pdf.footer_text = f"Trellis transcript of {renewal.educator_name}, {district_name}"
    pdf.set_title(printable(f"Transcript of {renewal.educator_name}"))
    pdf.set_author("Trellis")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()

    pdf.set_font("helvetica", "B", 16)
    pdf.cell(0, 9, "Professional learning transcript", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("helvetica", size=10)
    facts = [
        ("District", district_name),
        ("Educator", f"{renewal.educator_name} <{renewal.educator_email}>"),
        ("Generated", day(generated)),
        ("Licence", _licence_text(renewal)),
    ]
    for label, value in facts:
        pdf.set_font("helvetica", "B", 10)
        pdf.cell(28, 6, printable(label))
        pdf.set_font("helvetica", size=10)
        pdf.multi_cell(0, 6, printable(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)

    _heading(pdf, "Completed learning")
    if transcript.rows:
        _table(pdf, transcript)
    else:
        pdf.set_font("helvetica", "I", 10)
        pdf.cell(0, 6, "No credit is recorded yet.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)

    _heading(pdf, "Totals")
    pdf.set_font("helvetica", size=10)
    lines = [
        f"{len(transcript.rows)} activities, {number(transcript.hours)} clock hours of learning"
    ]
    lines += [f"{text} in all" for _unit, _total, text in transcript.by_unit]
    lines += [
        f"{total.label}: {total.count} ({number(total.hours)} hours)"
        for total in transcript.by_category
    ]
    lines.append(f"Micro-credentials earned: {transcript.micro_credentials}")
    for line in lines:
        pdf.multi_cell(0, LINE, printable(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)

    _heading(pdf, "Renewal summary")
    pdf.set_font("helvetica", size=10)
    for line in _renewal_lines(transcript):
        pdf.multi_cell(0, LINE, printable(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def _licence_text(renewal: Any) -> str:
    licence = renewal.license
    if licence is None:
        return "None on record"
    number_text = f"no. {licence.number}, " if licence.number else ""
    return (
        f"{licence.rule_set_key}, {number_text}cycle {day(licence.cycle_start)} – "
        f"{day(licence.cycle_end)}"
    )


def _renewal_lines(transcript: Transcript) -> list[str]:
    renewal = transcript.renewal
    progress = renewal.progress
    if progress is None or renewal.rule_set is None:
        return [renewal.choice.explanation]
    rule_set = renewal.rule_set
    lines = [
        f"{rule_set.jurisdiction_name}, {rule_set.role_label} ({rule_set.key}): "
        f"cycle {day(progress.cycle_start)} – {day(progress.deadline)}.",
        f"{number(progress.total)} of {number(progress.required)} {_unit_plural(progress)} count "
        f"({number(progress.percent)}%).",
    ]
    lines += list(progress.missing) or ["Complete: the requirement and every quota are met."]
    return lines


def _unit_plural(progress: Any) -> str:
    return UNIT_NAMES[progress.unit][1]


def _heading(pdf: FPDF, text: str) -> None:
    pdf.set_font("helvetica", "B", 12)
    pdf.cell(0, 8, printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _table(pdf: FPDF, transcript: Transcript) -> None:
    pdf.set_font("helvetica", size=9)
    with pdf.table(
        col_widths=tuple(width for _h, width, _a in COLUMNS),
        text_align=tuple(align for _h, _w, align in COLUMNS),
        line_height=LINE,
        first_row_as_headings=True,
        repeat_headings=1,
    ) as table:
        header = table.row()
        for heading, _width, _align in COLUMNS:
            header.cell(heading)
        for row in transcript.rows:
            award = row.award
            cells = table.row()
            cells.cell(award.completed_on.isoformat())
            cells.cell(printable(award.title))
            cells.cell(printable(award.provider or "-"))
            cells.cell(printable(award.category_label))
            cells.cell(printable(award.amount_text))
            cells.cell(number(award.hours))
