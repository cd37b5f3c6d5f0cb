"""Server-side bar-chart geometry."""

from __future__ import annotations

import pytest

from trellis.core.charts import ROW_HEIGHT, VALUE_GAP, Bar, BarChart, horizontal_bars


def test_bars_scale_to_the_largest_value_with_exact_geometry():
    chart = horizontal_bars([("Novice", 10), ("Developing", 5), ("Veteran", 0)])

    assert chart == BarChart(
        bars=[
            Bar(label="Novice", value=10, y=0, width=220.0, value_x=226.0, share=10 / 15),
            Bar(label="Developing", value=5, y=40, width=110.0, value_x=116.0, share=5 / 15),
            Bar(label="Veteran", value=0, y=80, width=0.0, value_x=6.0, share=0.0),
        ],
        width=270,
        height=120,
    )
    assert (VALUE_GAP, ROW_HEIGHT) == (6, 40)


def test_widths_are_rounded_to_one_decimal():
    chart = horizontal_bars([("a", 7), ("b", 3)], bar_space=100.0)

    assert [bar.width for bar in chart.bars] == [100.0, 42.9]
    assert chart.bars[1].value_x == pytest.approx(42.9 + 6)
    assert chart.bars[1].share == pytest.approx(0.3)
    assert chart.width == 150


def test_all_zero_values_give_empty_bars_and_no_division_by_zero():
    chart = horizontal_bars([("a", 0), ("b", 0)])

    assert [(bar.width, bar.share, bar.value_x, bar.y) for bar in chart.bars] == [
        (0.0, 0.0, 6.0, 0),
        (0.0, 0.0, 6.0, 40),
    ]
    assert (chart.width, chart.height) == (270, 80)


def test_no_items_still_leaves_room_for_one_row():
    chart = horizontal_bars([])

    assert chart == BarChart(bars=[], width=270, height=40)


def test_shares_of_the_total_add_up_to_one():
    chart = horizontal_bars([("a", 1), ("b", 2), ("c", 3), ("d", 4)])

    assert sum(bar.share for bar in chart.bars) == pytest.approx(1.0)
    assert [bar.width for bar in chart.bars] == [55.0, 110.0, 165.0, 220.0]
