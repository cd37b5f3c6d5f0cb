"""The refresh: renewal standing reused from credit, idempotent rebuilds, the periodic job, the
refresh record."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Count, Q, Sum

from trellis.credit.tests.factories import CreditAwardFactory, LicenseFactory
from trellis.notifications import periodic
from trellis.reports import queries
from trellis.reports.drill import drill_key
from trellis.reports.filters import ReportFilters
from trellis.reports.models import (
    ReportEducator,
    ReportMonthRollup,
    ReportParticipation,
    ReportPeopleRollup,
    SummaryRefresh,
)
from trellis.reports.summaries import refresh_district
from trellis.reports.tasks import refresh_district_summaries

pytestmark = pytest.mark.django_db
ALL = ReportFilters()


def test_renewal_standing_comes_from_credits_rules(cast) -> None:
    a = cast.district_a
    # alice's cycle ended in 2025 with nothing earned; eve earned 200 hours in hers
    LicenseFactory(
        district=a,
        educator=cast.alice,
        cycle_start=dt.date(2020, 9, 1),
        cycle_end=dt.date(2025, 8, 31),
    )
    LicenseFactory(
        district=a,
        educator=cast.eve,
        cycle_start=dt.date(2024, 9, 1),
        cycle_end=dt.date(2029, 8, 31),
    )
    CreditAwardFactory(
        district=a, educator=cast.eve, completed_on=dt.date(2025, 1, 10), amount=Decimal(200)
    )
    refresh_district(a)
    status = dict(ReportEducator.objects.values_list("educator__email", "renewal_status"))
    assert status["alice@northfield.test"] == "past_deadline"
    assert status["eve@northfield.test"] == "complete"

    access = cast.access(cast.dana)
    table = queries.table(access, ALL, "renewal_at_risk")
    by_school = {row[0]: row[1:] for row in table.plain_rows()}
    middle = by_school["Northfield Middle"]
    assert middle[0] == 3
    assert middle[3] >= 1
    assert by_school["Northfield Elementary"][4] == 1  # eve complete
    risky = queries.drill_down(access, ALL, drill_key("renewal", status="past_deadline"))
    assert "Alice Archer" in [row[0] for row in risky.rows]
    figure = {f.key: f.value for f in queries.summary(access, ALL).figures}["renewal_at_risk"]
    assert (
        figure
        == ReportEducator.objects.filter(
            district=a, renewal_status__in=("behind_pace", "past_deadline")
        ).count()
    )


def test_refresh_is_idempotent_and_recorded(known) -> None:
    a = known.cast.district_a
    before = sorted(
        ReportParticipation.objects.filter(district=a).values_list("educator_id", "month", "hours")
    )
    record = refresh_district(a)
    after = sorted(
        ReportParticipation.objects.filter(district=a).values_list("educator_id", "month", "hours")
    )
    assert before == after
    assert record.status == SummaryRefresh.Status.SUCCEEDED
    assert record.refreshed_at is not None
    assert record.rows > 0
    assert queries.refreshed_at(known.cast.access(known.cast.dana)) == record.refreshed_at


def test_the_rollups_sum_exactly_to_the_per_educator_rows(known) -> None:
    a = known.cast.district_a
    refresh_district(a)
    people = ReportEducator.objects.filter(district=a)
    cells = ("school_id", "role", "career_stage", "renewal_status")
    expected = sorted(
        people.values_list(*cells)
        .annotate(
            n=Count("id"),
            p=Count("id", filter=Q(learning_months__gt=0)),
            c=Sum("completions"),
            h=Sum("hours"),
        )
        .order_by()
    )
    rolled = sorted(
        ReportPeopleRollup.objects.filter(district=a).values_list(
            *cells, "educators", "participants", "completions", "hours"
        )
    )
    assert rolled == expected
    assert sum(row[4] for row in rolled) == people.count() == 5
    months = ("school_id", "role", "career_stage", "month")
    expected_months = sorted(
        ReportParticipation.objects.filter(district=a)
        .values_list(*months)
        .annotate(n=Count("id"), e=Sum("enrolments"), c=Sum("completions"), h=Sum("hours"))
        .order_by()
    )
    rolled_months = sorted(
        ReportMonthRollup.objects.filter(district=a).values_list(
            *months, "participants", "enrolments", "completions", "hours"
        )
    )
    assert rolled_months == expected_months != []
    refresh_district(a)  # rebuilt, not added to
    assert ReportPeopleRollup.objects.filter(district=a).count() == len(rolled)


def test_task_and_periodic_job_refresh_every_district(cast) -> None:
    assert refresh_district_summaries.call(district_id=cast.district_b.pk) > 0
    assert refresh_district_summaries.call(district_id=0) == 0
    outcomes = periodic.run_due(only=["refresh_report_summaries"], force=True)
    assert [o.result for o in outcomes] == ["ok: 2 districts refreshed"]
    assert SummaryRefresh.objects.filter(status="succeeded").count() == 2


def test_never_refreshed_district_says_so(cast) -> None:
    access = cast.access(cast.dana)
    assert queries.refreshed_at(access) is None
    table = queries.table(access, ALL, "participation_by_school")
    assert table.note == "Figures have not been computed yet."
    assert {f.key: f.value for f in queries.summary(access, ALL).figures}["educators"] == 0
