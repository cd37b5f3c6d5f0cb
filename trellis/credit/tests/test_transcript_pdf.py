"""The transcript PDF: its text read back with pypdf, several pages for a long ledger, and
characters the core fonts lack."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from pypdf import PdfReader

from trellis.credit import queries
from trellis.credit.tests.ledgers import award, texas_ledger
from trellis.credit.transcript_pdf import printable, transcript_pdf

D = Decimal
NOW = dt.datetime(2026, 11, 23, 15, tzinfo=dt.UTC)


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@time_machine.travel(NOW, tick=False)
def test_the_pdf_holds_the_district_educator_rows_totals_and_renewal_summary(cast, client_for):
    texas_ledger(cast)

    response = client_for(cast.alice).get("/credit/transcript.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="trellis-transcript-2026-11-23.pdf"'
    )
    pages, content = pdf_text(response.content)
    assert pages == 1
    for expected in (
        "Professional learning transcript",
        "Northfield",
        "Alice Archer <alice@northfield.test>",
        "23 November 2026",
        "TX/classroom_teacher, no. TX-778, cycle 1 September 2022 – 31 August 2027",
        "Reading workshop",
        "Literacy course",
        "Feedback micro-credential",
        "Region 13 ESC",
        "2 CEUs",
        "8 activities, 89 clock hours of learning",
        "74 clock hours in all",
        "Workshops: 3 (19 hours)",
        "Micro-credentials earned: 1",
        "Texas, classroom teacher (TX/classroom_teacher): cycle 1 September 2022 – 31 August 2027.",
        "79 of 150 CPE hours count (52.6%).",
        "71 CPE hours more needed by 31 August 2027",
    ):
        assert expected in content, expected
    assert "Mistaken entry" not in content  # revoked


@time_machine.travel(NOW, tick=False)
def test_a_long_ledger_runs_over_several_pages(cast):
    for number in range(150):
        award(cast, title=f"Session {number:03d}", completed_on=dt.date(2026, 1, 1))
    transcript = queries.transcript_for(cast.access(cast.alice), cast.alice)

    data = transcript_pdf(transcript, district_name="Northfield", generated=dt.date(2026, 11, 23))

    reader = PdfReader(io.BytesIO(data))
    texts = [page.extract_text() for page in reader.pages]
    assert len(texts) >= 3
    content = "\n".join(texts)
    assert all(f"Session {number:03d}" in content for number in range(150))
    assert all("Date Title Provider Category Amount Hours" in page for page in texts[:-1])
    assert [f"page {n} of {len(texts)}" in page for n, page in enumerate(texts, 1)] == [True] * len(
        texts
    )


@time_machine.travel(NOW, tick=False)
def test_characters_outside_the_core_fonts_do_not_break_the_pdf(cast):
    award(cast, title="Reading – “close” ‘reading’ … €5", provider="Ελληνικά 東京 Café")
    award(cast, title="Grow ≤ 3 → more 🌱 naïve", completed_on=dt.date(2026, 2, 1))
    transcript = queries.transcript_for(cast.access(cast.alice), cast.alice)

    _pages, content = pdf_text(
        transcript_pdf(
            transcript, district_name="Nørthfield – Süd", generated=dt.date(2026, 11, 23)
        )
    )

    assert "Reading – “close” ‘reading’ … €5" in content
    assert "Grow <= 3 -> more ? naïve" in content
    assert "Nørthfield – Süd" in content


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("a – b", "a – b"), ("Ω", "?"), ("ŝ", "s"), ("≥", ">="), ("\u00a0x", "\u00a0x")],
)
def test_printable_keeps_windows_1252_and_approximates_the_rest(raw, expected):
    assert printable(raw) == expected
