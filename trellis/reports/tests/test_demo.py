"""`trellis seed` leaves the dashboards with figures: the demo admin sees a populated dashboard."""

from __future__ import annotations

import pytest

from trellis.accounts.models import User
from trellis.demo.seed import seed_demo
from trellis.districts.models import District
from trellis.districts.queries import access_for
from trellis.reports import queries
from trellis.reports.filters import ReportFilters

pytestmark = pytest.mark.django_db


def test_seeded_demo_dashboard_has_figures() -> None:
    seed_demo()
    district = District.objects.get(slug="pine-valley")
    access = access_for(User.objects.get(email="admin@pinevalley.test"), district)
    assert queries.refreshed_at(access) is not None
    figures = {f.key: f.value for f in queries.summary(access, ReportFilters()).figures}
    assert figures["educators"] > 40
    assert figures["participants"] > 0
    assert figures["hours"] > 0
    assert figures["mc_started"] > 0
    # The demo history is dated back so the waits for assessment are realistic, not zero.
    assert 3 <= figures["days_to_assessment"] <= 16
    waits = queries.table(access, ReportFilters(), "time_to_assessment").plain_rows()
    assert any(row[2] > 0 for row in waits)
    for key in queries.TABLE_KEYS:
        queries.table(access, ReportFilters(), key)
    principal = access_for(User.objects.get(email="principal@pinevalley.test"), district)
    schools = queries.table(principal, ReportFilters(), "participation_by_school").plain_rows()
    assert len(schools) == 1
