"""Every dashboard figure on a small district with known answers (see conftest.known)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Count

from trellis.reports import queries
from trellis.reports.filters import ReportFilters
from trellis.reports.models import ReportParticipation

pytestmark = pytest.mark.django_db
ALL = ReportFilters()


def rows(known, key, filters=ALL, who=None):
    access = known.cast.access(who or known.cast.dana)
    return queries.table(access, filters, key).plain_rows()


def figures(known, filters=ALL, who=None):
    access = known.cast.access(who or known.cast.dana)
    return {f.key: f.value for f in queries.summary(access, filters).figures}


def test_headline_figures(known) -> None:
    assert figures(known) == {
        "educators": 5,
        "participants": 4,
        "participation_rate": 0.8,
        "hours": Decimal("13.00"),
        "completions": 2,
        "mc_started": 3,
        "mc_submitted": 2,
        "mc_earned": 1,
        "days_to_assessment": Decimal("13.50"),
        "renewal_at_risk": figures(known)["renewal_at_risk"],  # see test_renewal.py
        "spend": Decimal("250.00"),
        "cost_per_hour": Decimal("31.25"),
        "cost_per_credential": Decimal("250.00"),
        "unvetted_in_use": 1,
    }


def test_headline_figures_from_april(known) -> None:
    found = figures(known, ReportFilters(date_from=dt.date(2026, 4, 1)))
    assert found["participants"] == 4  # alice, ada, carol, eve all did something in April
    assert found["hours"] == Decimal("7.00")
    assert found["completions"] == 1
    assert (found["mc_started"], found["mc_submitted"], found["mc_earned"]) == (1, 1, 0)
    assert found["spend"] == Decimal("100.00")  # carol's seat, decided in April
    assert found["cost_per_credential"] is None


def test_participation_by_school(known) -> None:
    assert rows(known, "participation_by_school") == [
        ["Northfield Elementary", 2, 2, 1.0, 1, Decimal("4.00"), Decimal("2.00")],
        ["Northfield Middle", 3, 2, 0.6667, 1, Decimal("9.00"), Decimal("3.00")],
    ]


def test_participation_by_role_and_stage(known) -> None:
    by_role = {row[0]: row[1:3] for row in rows(known, "participation_by_role")}
    assert by_role["Teacher"] == [4, 3]
    assert by_role["Instructional coach"] == [1, 1]
    assert by_role["Counselor"] == [0, 0]
    by_stage = {row[0].split(" ")[0]: row[1:3] for row in rows(known, "participation_by_stage")}
    assert by_stage == {
        "Novice": [1, 1],
        "Developing": [0, 0],
        "Experienced": [2, 2],
        "Veteran": [2, 1],
    }


def test_participation_over_time(known) -> None:
    assert rows(known, "participation_over_time") == [
        ["2026-03", 2, 2, 1, Decimal("6.00")],
        ["2026-04", 4, 2, 1, Decimal("7.00")],
    ]


def test_participation_rows_are_one_per_educator_and_month(known) -> None:
    # participation_over_time counts rows as people; that holds only while the refresh writes
    # one row per educator and month, even when someone learns from several sources in it.
    per_pair = (
        ReportParticipation.objects.values("educator_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    assert per_pair.count() == ReportParticipation.objects.count() > 0
    assert max(row["n"] for row in per_pair) == 1


def test_the_undated_one_pass_figures_equal_a_date_range_over_every_month(known) -> None:
    # Undated, the people figures come from each educator's all-time totals in one pass; dated,
    # from the monthly rows. A range covering every month must give the same numbers.
    every_month = ReportFilters(date_from=dt.date(2000, 1, 1))
    for key in ("participation_by_school", "participation_by_role", "participation_by_stage"):
        assert rows(known, key) == rows(known, key, every_month), key
    undated, ranged = figures(known), figures(known, every_month)
    for name in ("educators", "participants", "participation_rate", "hours", "completions"):
        assert undated[name] == ranged[name], name
    assert undated["participants"] == 4


def test_filters_narrow_participation(known) -> None:
    cast = known.cast
    only_middle = ReportFilters(school=cast.middle_a, career_stage="veteran")
    assert rows(known, "participation_by_school", only_middle) == [
        ["Northfield Middle", 1, 0, 0.0, 0, Decimal("0"), Decimal("0.00")],
    ]
    assert figures(known, ReportFilters(role="coach"))["participants"] == 1


def test_microcredential_funnel_and_time_to_assessment(known) -> None:
    assert rows(known, "microcredential_funnel") == [
        ["Started", 3, 1.0],
        ["Submitted for assessment", 2, 0.6667],
        ["Earned", 1, 0.3333],
    ]
    assert rows(known, "time_to_assessment") == [
        ["Northfield Elementary", 1, Decimal("20.00"), 0.0],
        ["Northfield Middle", 1, Decimal("7.00"), 1.0],
    ]


def test_need_vs_supply_and_heatmap(known) -> None:
    assert rows(known, "need_vs_supply") == [
        ["1.1 Competency 1.1", 3, 2, 0.6667, 1, 1, Decimal("2.00")],
        ["1.2 Competency 1.2", 3, 1, 0.3333, 0, 1, None],
    ]
    table = queries.table(known.cast.access(known.cast.dana), ALL, "need_by_school")
    assert [c.label for c in table.columns] == [
        "Competency",
        "Northfield Elementary",
        "Northfield Middle",
    ]
    assert table.plain_rows() == [
        ["1.1 Competency 1.1", 0.5, 1.0],
        ["1.2 Competency 1.2", 0.5, 0.0],
    ]


def test_competency_filter(known) -> None:
    only_c2 = ReportFilters(competency=known.c2)
    assert [row[0] for row in rows(known, "need_vs_supply", only_c2)] == ["1.2 Competency 1.2"]
    assert rows(known, "spending_by_offering", only_c2) == [
        ["Online O", 1, 1, Decimal("50.00"), Decimal("2.00"), Decimal("25.00")],
    ]


def test_spending(known) -> None:
    assert rows(known, "spending_by_offering") == [
        ["Workshop W", 2, 1, Decimal("200.00"), Decimal("6.00"), Decimal("33.33")],
        ["Online O", 1, 1, Decimal("50.00"), Decimal("2.00"), Decimal("25.00")],
    ]
    assert rows(known, "spending_by_school") == [
        ["Northfield Elementary", 1, Decimal("50.00"), Decimal("2.00"), Decimal("25.00"), 0, None],
        [
            "Northfield Middle",
            2,
            Decimal("200.00"),
            Decimal("6.00"),
            Decimal("33.33"),
            1,
            Decimal("200.00"),
        ],
    ]
    assert rows(known, "spending_by_competency") == [
        ["1.1 Competency 1.1", 2, Decimal("200.00"), Decimal("6.00"), Decimal("33.33")],
        ["1.2 Competency 1.2", 1, Decimal("50.00"), Decimal("2.00"), Decimal("25.00")],
    ]


def test_quality_tables(known) -> None:
    assert rows(known, "quality_scorecards") == [
        ["Workshop W", "Vetted", 0.9, 3.0, 3, None, 1],
        ["Online O", "Never reviewed", None, None, 0, None, 1],
        ["Unvetted U", "Never reviewed", None, None, 0, None, 0],
    ]
    assert rows(known, "quality_lowest_rated") == [["Workshop W", 3.0, 3, "Vetted"]]
    assert rows(known, "quality_unvetted_in_use") == [["Unvetted U", "Never reviewed", 1, 0]]
    assert rows(known, "impact_per_dollar") == []  # no offering has a measured effect yet


def test_every_table_key_builds_and_sections_cover_them(known) -> None:
    access = known.cast.access(known.cast.dana)
    assert sorted(queries.TABLE_KEYS) == sorted({k for _, _, ks in queries.SECTIONS for k in ks})
    for key in queries.TABLE_KEYS:
        table = queries.table(access, ALL, key)
        assert table.key == key
        assert "Figures refreshed" in table.note
        for row in table.rows:
            assert len(row) == len(table.columns)


def test_other_district_sees_only_its_own(known) -> None:
    cast = known.cast
    found = figures(known, who=cast.bea)
    assert (found["educators"], found["participants"]) == (1, 1)
    assert found["hours"] == Decimal("20.00")
    assert found["spend"] == Decimal("999.00")
