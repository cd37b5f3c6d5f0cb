"""Who sees what: principals only their school, educators nothing, other districts never;
filter validation; drill-down scope; query-count guards."""

from __future__ import annotations

import pytest
from django.http import Http404

from trellis.core.errors import PermissionDenied
from trellis.reports import queries
from trellis.reports.drill import drill_key
from trellis.reports.filters import FilterError, ReportFilters, filter_choices, parse_filters

pytestmark = pytest.mark.django_db
ALL = ReportFilters()


def test_principal_sees_only_their_school(known) -> None:
    cast = known.cast
    access = cast.access(cast.pat)
    filters = parse_filters(access, {})
    assert filters.school == cast.middle_a  # their only school, chosen for them
    table = queries.table(access, filters, "participation_by_school")
    assert [row[0] for row in table.plain_rows()] == ["Northfield Middle"]
    found = {f.key: f.value for f in queries.summary(access, ALL).figures}
    assert (found["educators"], found["participants"]) == (3, 2)  # alice, carol, pat
    assert str(found["spend"]) == "200.00"
    assert filter_choices(access)["school"] == [(str(cast.middle_a.public_id), "Northfield Middle")]


def test_principal_cannot_ask_for_another_school(known) -> None:
    cast = known.cast
    with pytest.raises(FilterError) as raised:
        parse_filters(cast.access(cast.pat), {"school": str(cast.elementary_a.public_id)})
    assert raised.value.field_errors == {"school": "You can only see reports for your own school."}
    with pytest.raises(Http404):
        queries.drill_down(
            cast.access(cast.pat),
            ALL,
            drill_key("educators", school=str(cast.elementary_a.public_id)),
        )


@pytest.mark.parametrize("member", ["alice", "carol", "ada"])
def test_educators_coaches_assessors_see_nothing(known, member) -> None:
    access = known.cast.access(getattr(known.cast, member))
    with pytest.raises(PermissionDenied):
        queries.summary(access, ALL)
    with pytest.raises(PermissionDenied):
        queries.table(access, ALL, "participation_by_school")
    with pytest.raises(PermissionDenied):
        parse_filters(access, {})


def test_another_districts_school_or_competency_is_a_clear_error(known) -> None:
    cast = known.cast
    with pytest.raises(FilterError) as raised:
        parse_filters(
            cast.access(cast.bea),
            {"school": str(cast.middle_a.public_id), "competency": str(known.c1.public_id)},
        )
    assert raised.value.field_errors == {
        "school": "No such school in this district.",
        "competency": "No such competency in this district's framework.",
    }


def test_bad_filter_values_are_each_explained(known) -> None:
    with pytest.raises(FilterError) as raised:
        parse_filters(
            known.cast.access(known.cast.dana),
            {"from": "2026-13-01", "to": "soon", "school": "x", "role": "wizard", "stage": "old"},
        )
    errors = raised.value.field_errors
    assert set(errors) == {"from", "to", "school", "role", "stage"}
    assert errors["from"] == "The start date must be a date written YYYY-MM-DD, e.g. 2026-09-01."
    assert errors["role"].startswith("Unknown role: choose one of teacher,")
    with pytest.raises(FilterError) as raised:
        parse_filters(
            known.cast.access(known.cast.dana), {"from": "2026-05-01", "to": "2026-04-01"}
        )
    assert raised.value.field_errors == {"to": "The end date must be on or after the start date."}


def test_filters_round_trip_to_query_parameters(known) -> None:
    cast = known.cast
    access = cast.access(cast.dana)
    params = {
        "from": "2026-03-01",
        "to": "2026-04-30",
        "school": str(cast.middle_a.public_id),
        "role": "teacher",
        "stage": "novice",
        "competency": str(known.c1.public_id),
    }
    filters = parse_filters(access, params)
    assert filters.as_query() == params
    assert parse_filters(access, filters.as_query()) == filters
    assert filters.describe()[2] == ("School", "Northfield Middle")


def test_unknown_table_or_drill_key_is_404(known) -> None:
    access = known.cast.access(known.cast.dana)
    with pytest.raises(Http404):
        queries.table(access, ALL, "salaries")
    for bad in ("", "people:", "educators:colour=red", "educators:school=1;school=2", "mc:step=x"):
        with pytest.raises(Http404):
            queries.drill_down(access, ALL, bad)


def test_drill_downs_list_the_people_behind_the_numbers(known) -> None:
    cast = known.cast
    access = cast.access(cast.dana)
    table = queries.table(access, ALL, "participation_by_school")
    middle = table.rows[1]
    assert middle[0].value == "Northfield Middle"
    listed = queries.drill_down(access, ALL, middle[2].drill)
    assert [row[0] for row in listed.rows] == ["Alice Archer", "Carol Cruz"]
    assert listed.total == middle[2].value == 2
    assert listed.back_table == "participation_over_time"

    earned = queries.drill_down(access, ALL, drill_key("mc", step="earned"))
    assert [row[:2] for row in earned.rows] == [["Alice Archer", "Questioning MC"]]
    gaps = queries.drill_down(access, ALL, drill_key("gaps", competency=str(known.c1.public_id)))
    assert [row[0] for row in gaps.rows] == ["Ada Abbott", "Alice Archer"]
    seats = queries.drill_down(
        access, ALL, drill_key("seats", offering=str(known.workshop.public_id))
    )
    assert [(row[0], row[3]) for row in seats.rows] == [
        ("Alice Archer", "Completed"),
        ("Carol Cruz", "Enrolled"),
    ]
    paged = queries.drill_down(access, ALL, drill_key("educators"), page=2, per_page=2)
    assert (paged.total, paged.page, paged.num_pages, len(paged.rows)) == (5, 2, 3, 2)


def test_drill_follows_the_page_filters(known) -> None:
    cast = known.cast
    access = cast.access(cast.dana)
    april = ReportFilters(date_from=__import__("datetime").date(2026, 4, 1))
    started = queries.drill_down(access, april, drill_key("mc", step="started"))
    assert [row[0] for row in started.rows] == ["Carol Cruz"]


def test_summary_and_tables_use_a_fixed_number_of_queries(
    known, django_assert_max_num_queries
) -> None:
    cast = known.cast
    access = cast.access(cast.dana)
    with django_assert_max_num_queries(8):
        queries.summary(access, ALL)
    for key in queries.TABLE_KEYS:
        with django_assert_max_num_queries(8):
            queries.table(access, ALL, key)
    with django_assert_max_num_queries(6):
        queries.drill_down(access, ALL, drill_key("participants"))
