"""The dashboard charts: exact geometry, accessible markup, escaped labels, empty data."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from trellis.reports import charts
from trellis.reports.charts import ChartItem, Series

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    # The markup has no xmlns (inline SVG in HTML); parse it as plain XML.
    return ET.fromstring(svg)  # noqa: S314 -- our own markup, not untrusted input


def items(*pairs):
    return [ChartItem(label, value, text) for label, value, text in pairs]


def test_horizontal_bars_geometry_is_proportional_to_the_largest_value():
    chart = charts.horizontal_bars(
        items(("Lincoln", 10, "10"), ("Adams", 5, "5"), ("Unknown", None, "—"), ("Neg", -3, "-3")),
        chart_id="by school",
        title="Participants by school",
        desc="Bars",
    )
    assert [(bar.y, bar.width, bar.text_x) for bar in chart.bars] == [
        (10.0, 300.0, 506.0),
        (38.0, 150.0, 356.0),
        (66.0, 0.0, 206.0),
        (94.0, 0.0, 206.0),
    ]
    assert (chart.width, chart.height) == (590, 120)
    root = parse(chart.svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "by-school-title by-school-desc"
    assert root.find("title").get("id") == "by-school-title"
    assert root.find("title").text == "Participants by school"
    assert root.find("desc").text == "Bars"
    assert [rect.get("width") for rect in root.iter("rect")] == ["300", "150"]
    texts = [text.text for text in root.iter("text") if text.text]
    assert texts == ["Lincoln", "10", "Adams", "5", "Unknown", "—", "Neg", "-3"]


def test_labels_and_titles_are_escaped():
    chart = charts.horizontal_bars(
        items(('<script>alert("x")</script> & co', 1, "<b>1</b>")),
        chart_id="x",
        title='Title "quoted" <i>',
        desc="a & b",
    )
    assert "<script>" not in chart.svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in chart.svg
    assert "&lt;b&gt;1&lt;/b&gt;" in chart.svg
    assert '<title id="x-title">Title &quot;quoted&quot; &lt;i&gt;</title>' in chart.svg
    root = parse(chart.svg)  # still well-formed
    assert root.find("desc").text == "a & b"
    assert chart.svg.__html__() == str(chart.svg)


def test_long_labels_are_shortened_with_the_full_text_as_a_tooltip():
    label = "A very long school name that goes on and on"
    chart = charts.horizontal_bars(items((label, 1, "1")), chart_id="x", title="t", desc="d")
    text = next(parse(chart.svg).iter("text"))
    assert text.find("title").text == label
    assert text.find("title").tail == "A very long school name that…"


def test_empty_data_draws_an_empty_frame():
    chart = charts.horizontal_bars([], chart_id="x", title="t", desc="d")
    assert chart.bars == []
    assert (chart.width, chart.height) == (590, 36)
    assert list(parse(chart.svg).iter("rect")) == []
    columns = charts.vertical_bars([], chart_id="y", title="t", desc="d")
    assert columns.columns == []
    assert (columns.width, columns.height) == (76, 204)
    grouped = charts.grouped_bars([], [], chart_id="z", title="t", desc="d")
    assert grouped.bars == []
    assert grouped.legend == []
    heat = charts.heatmap([], [], [], chart_id="h", title="t", desc="d")
    assert heat.cells == []
    assert len(heat.legend) == 5


def test_all_zero_values_draw_no_bars():
    chart = charts.horizontal_bars(
        items(("A", 0, "0"), ("B", 0, "0")), chart_id="x", title="t", desc="d"
    )
    assert [bar.width for bar in chart.bars] == [0.0, 0.0]


def test_vertical_bars_over_time():
    chart = charts.vertical_bars(
        items(("2026-09", 4, "4"), ("2026-10", 8, "8"), ("2026-11", 0, "0")),
        chart_id="time",
        title="Participants by month",
        desc="Columns",
    )
    assert [(c.x, c.y, c.height) for c in chart.columns] == [
        (22.0, 100.0, 80.0),
        (74.0, 20.0, 160.0),
        (126.0, 180.0, 0.0),
    ]
    assert (chart.width, chart.height, chart.baseline) == (180, 204, 180)
    root = parse(chart.svg)
    assert [rect.get("height") for rect in root.iter("rect")] == ["80", "160"]
    assert [t.text for t in root.iter("text")] == ["4", "2026-09", "8", "2026-10", "0", "2026-11"]


def test_grouped_bars_one_bar_per_series_and_category_with_a_legend():
    chart = charts.grouped_bars(
        ["Lincoln", "Adams"],
        [
            Series("On track", items(("Lincoln", 4, "4"), ("Adams", 2, "2"))),
            Series("At risk", items(("Lincoln", 1, "1"), ("Adams", 0, "0"))),
        ],
        chart_id="renewal",
        title="Renewal",
        desc="Grouped",
    )
    assert [(b.series, b.category, b.x, b.y, b.height, b.colour) for b in chart.bars] == [
        ("On track", "Lincoln", 22.0, 44.0, 160.0, "#1f5f4a"),
        ("At risk", "Lincoln", 40.0, 164.0, 40.0, "#0b5f8a"),
        ("On track", "Adams", 78.0, 124.0, 80.0, "#1f5f4a"),
        ("At risk", "Adams", 96.0, 204.0, 0.0, "#0b5f8a"),
    ]
    assert chart.legend == [("On track", "#1f5f4a"), ("At risk", "#0b5f8a")]
    assert (chart.width, chart.baseline) == (180, 204)  # the legend is wider than the bars
    titles = [
        r.find("title").text for r in parse(chart.svg).iter("rect") if r.find("title") is not None
    ]
    assert titles == ["Lincoln, On track: 4", "Lincoln, At risk: 1", "Adams, On track: 2"]


def test_grouped_bars_refuse_mismatched_series():
    with pytest.raises(ValueError, match="one value per category"):
        charts.grouped_bars(
            ["A", "B"], [Series("s", items(("A", 1, "1")))], chart_id="x", title="t", desc="d"
        )


def test_heatmap_bands_text_colours_and_legend():
    chart = charts.heatmap(
        ["Planning", "Assessment"],
        ["Lincoln", "Adams"],
        [
            items(("", 0.0, "0%"), ("", 0.5, "50%")),
            items(("", 1.0, "100%"), ("", None, "—")),
        ],
        chart_id="gaps",
        title="Gaps",
        desc="Heatmap",
    )
    assert [(c.row, c.column, c.x, c.y, c.fill, c.text_colour, c.text) for c in chart.cells] == [
        (0, 0, 220, 96, "#eff3ff", "#1d2330", "0%"),
        (0, 1, 296, 96, "#6baed6", "#1d2330", "50%"),
        (1, 0, 220, 124, "#08306b", "#ffffff", "100%"),
        (1, 1, 296, 124, "#ffffff", "#1d2330", "—"),
    ]
    assert [band.label for band in chart.legend] == [
        "0%–20%",
        "20%–40%",
        "40%–60%",
        "60%–80%",
        "80%–100%",
    ]
    texts = [t.text for t in parse(chart.svg).iter("text")]
    assert texts[-1] == "no data"
    assert "50%" in texts
    assert "100%" in texts


def test_heatmap_refuses_ragged_values():
    with pytest.raises(ValueError, match="one value per row and column"):
        charts.heatmap(["A"], ["x", "y"], [items(("", 1, "1"))], chart_id="h", title="t", desc="d")


@pytest.mark.parametrize("fill", [*charts.HEAT_COLOURS, charts.MISSING_FILL])
def test_every_heat_band_has_readable_text(fill):
    assert charts.contrast(fill, charts.text_colour_on(fill)) >= 4.5


@pytest.mark.parametrize("colour", charts.SERIES_COLOURS)
def test_bar_colours_stand_out_from_the_white_background(colour):
    assert charts.contrast(colour, "#ffffff") >= 3.0


def test_heat_band_edges():
    assert [charts.heat_band(v, 0, 1) for v in (0, 0.199, 0.2, 0.999, 1, 1.5, -1)] == [
        0,
        0,
        1,
        4,
        4,
        4,
        0,
    ]
    assert charts.heat_band(5, 1, 1) == 0


def test_safe_id():
    assert charts.safe_id("Need by School!") == "need-by-school"
    assert charts.safe_id("<>") == "chart"
