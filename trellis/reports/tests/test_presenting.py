"""From report tables to page panels: display texts, drill links, which chart each table gets."""

from __future__ import annotations

from trellis.reports import charts, presenting
from trellis.reports.tables import Cell, Column, ColumnKind, Figure, ReportTable


def table(key: str, columns: list[Column], rows: list[list[Cell]]) -> ReportTable:
    return ReportTable(key=key, title="T", columns=columns, rows=rows)


BY_SCHOOL = [
    Column("school", "School"),
    Column("participants", "Participants", ColumnKind.INTEGER, "Educators with any learning"),
    Column("rate", "Participation rate", ColumnKind.PERCENT),
]


def test_panel_texts_links_and_notes():
    found = presenting.panel(
        table(
            "participation_by_school",
            BY_SCHOOL,
            [[Cell("Lincoln"), Cell(12, "participants:school=x"), Cell(0.5)]],
        ),
        lambda drill: f"/drill/{drill}/",
    )
    assert [(c.text, c.url, c.numeric, c.label) for c in found.rows[0]] == [
        ("Lincoln", None, False, "Lincoln, School: Lincoln"),
        ("12", "/drill/participants:school=x/", True, "Lincoln, Participants: 12"),
        ("50%", None, True, "Lincoln, Participation rate: 50%"),
    ]
    assert found.notes == ["Participants: Educators with any learning"]
    assert isinstance(found.chart, charts.HBarChart)
    assert [bar.text for bar in found.chart.bars] == ["12"]


def test_charts_chosen_by_table_key():
    time = table(
        "participation_over_time",
        [Column("month", "Month"), Column("participants", "Participants", ColumnKind.INTEGER)],
        [[Cell("2026-09"), Cell(3)], [Cell("2026-10"), Cell(5)]],
    )
    assert isinstance(presenting.chart_for(time), charts.ColumnChart)
    heat = table(
        "need_by_school",
        [Column("competency", "Competency"), Column("a", "Lincoln", ColumnKind.PERCENT)],
        [[Cell("Planning"), Cell(0.25)]],
    )
    chart = presenting.chart_for(heat)
    assert isinstance(chart, charts.HeatmapChart)
    assert [(c.text, c.fill) for c in chart.cells] == [("25%", "#bdd7e7")]


def test_no_chart_for_unknown_tables_changed_columns_or_no_rows():
    assert (
        presenting.chart_for(
            table("quality_scorecards", BY_SCHOOL, [[Cell("a"), Cell(1), Cell(1)]])
        )
        is None
    )
    changed = [Column("school", "School"), Column("other", "Other", ColumnKind.INTEGER)]
    assert (
        presenting.chart_for(table("participation_by_school", changed, [[Cell("a"), Cell(1)]]))
        is None
    )
    assert presenting.chart_for(table("participation_by_school", BY_SCHOOL, [])) is None


def test_bar_charts_show_the_first_rows_only():
    rows = [[Cell(f"S{i}"), Cell(i), Cell(None)] for i in range(20)]
    chart = presenting.chart_for(table("participation_by_school", BY_SCHOOL, rows))
    assert len(chart.bars) == presenting.BAR_ROWS
    assert "for the first 15 of 20" in chart.svg


def test_figures_link_only_when_there_is_a_list():
    shown = presenting.figures(
        [
            Figure("a", "Educators", 1200, drill="educators:"),
            Figure("b", "Rate", 0.5, ColumnKind.PERCENT),
        ],
        lambda drill: "/d/" + drill,
    )
    assert [(s.text, s.url) for s in shown] == [("1,200", "/d/educators:"), ("50%", None)]
