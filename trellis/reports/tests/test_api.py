"""The reports API: summary, one route per table, drill-down lists, refresh requests."""

from __future__ import annotations

import pytest

from trellis.audit.models import AuditEvent
from trellis.reports import queries
from trellis.reports.models import SummaryRefresh

pytestmark = pytest.mark.django_db


def test_summary_with_filters(known, api_client_for) -> None:
    client = api_client_for(known.cast.dana)
    response = client.get("/api/v1/reports/summary", {"from": "2026-04-01"})
    assert response.status_code == 200
    body = response.json()
    figures = {f["key"]: f["value"] for f in body["figures"]}
    assert figures["hours"] == 7.0
    assert figures["spend"] == 100.0
    assert body["filters"] == [{"label": "From", "value": "2026-04-01"}]
    assert body["refreshed_at"] is not None


def test_tables_list_and_one_route_per_table(known, api_client_for) -> None:
    client = api_client_for(known.cast.dana)
    listed = client.get("/api/v1/reports/tables").json()
    assert [t["key"] for t in listed] == list(queries.TABLE_KEYS)
    body = client.get("/api/v1/reports/tables/spending_by_offering").json()
    assert body["section"] == "spending"
    assert body["rows"][0] == {
        "offering": "Workshop W",
        "seats": 2,
        "completions": 1,
        "cost": 200.0,
        "hours": 6.0,
        "cost_per_hour": 33.33,
    }
    assert body["drills"][0]["seats"] == (f"seats:offering={known.workshop.public_id}")
    for table in listed:
        assert client.get(table["path"]).status_code == 200


def test_drill_route(known, api_client_for) -> None:
    client = api_client_for(known.cast.dana)
    body = client.get("/api/v1/reports/drill", {"key": "mc:step=earned", "per_page": 10}).json()
    assert body["total"] == 1
    assert body["rows"][0]["educator"] == "Alice Archer"
    assert client.get("/api/v1/reports/drill", {"key": "nope:"}).status_code == 404


def test_bad_filters_are_400_with_field_errors(known, api_client_for) -> None:
    cast = known.cast
    response = api_client_for(cast.dana).get(
        "/api/v1/reports/summary", {"school": str(cast.school_b.public_id), "to": "x"}
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_filters"
    assert error["details"]["fields"] == {
        "to": "The end date must be a date written YYYY-MM-DD, e.g. 2026-09-01.",
        "school": "No such school in this district.",
    }


def test_principal_gets_their_school_and_educator_gets_403(known, api_client_for) -> None:
    cast = known.cast
    rows = api_client_for(cast.pat).get("/api/v1/reports/tables/participation_by_school").json()
    assert [row["school"] for row in rows["rows"]] == ["Northfield Middle"]
    for path in (
        "/api/v1/reports/summary",
        "/api/v1/reports/tables",
        "/api/v1/reports/tables/renewal_at_risk",
        "/api/v1/reports/drill?key=educators:",
    ):
        assert api_client_for(cast.alice).get(path).status_code == 403


def test_refresh_request_is_audited_and_admin_only(known, api_client_for) -> None:
    cast = known.cast
    assert api_client_for(cast.pat).post("/api/v1/reports/refresh").status_code == 403
    response = api_client_for(cast.dana).post("/api/v1/reports/refresh")
    assert response.status_code == 202
    assert AuditEvent.objects.filter(action="reports.refresh_requested").count() == 1
    assert SummaryRefresh.objects.get(district=cast.district_a).status in ("queued", "succeeded")
