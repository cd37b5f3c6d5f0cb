"""GET /api/v1/offerings and GET /api/v1/offerings/{id}."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trellis.catalog.models import EnrollmentStatus, OfferingStatus
from trellis.catalog.tests.factories import (
    EnrollmentFactory,
    OfferingFactory,
    OfferingSessionFactory,
)
from trellis.growth.tests.factories import build_framework

API = "/api/v1"
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def titles(body) -> list[str]:
    return [item["title"] for item in body["items"]]


def test_the_list_returns_published_offerings_of_the_callers_district(cast, api_client_for):
    built = build_framework(cast.district_a)
    o = OfferingFactory(
        district=cast.district_a,
        title="Number talks",
        hours=Decimal("7.5"),
        credit_amount=Decimal(1),
        credit_unit="ceu",
        capacity=10,
    )
    o.competencies.set([built.competencies[0]])
    OfferingSessionFactory(offering=o, starts_at=dt.datetime(2031, 3, 4, 9, tzinfo=CHICAGO))
    EnrollmentFactory(offering=o, status=EnrollmentStatus.ENROLLED)
    OfferingFactory(district=cast.district_a, title="Draft", status=OfferingStatus.DRAFT)
    OfferingFactory(district=cast.district_b, title="Southport's")

    response = api_client_for(cast.alice).get(f"{API}/offerings")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item == {
        "id": str(o.public_id),
        "title": "Number talks",
        "summary": "A practical workshop.",
        "kind": "workshop",
        "kind_label": "In-person workshop",
        "format": "in_person",
        "format_label": "In person",
        "provider": "District PD office",
        "status": "published",
        "hours": "7.50",
        "cost": "0.00",
        "credit_amount": "1.00",
        "credit_unit": "ceu",
        "credit_text": "1 CEU",
        "evidence_tier": "none",
        "next_session_starts_at": "2031-03-04T15:00:00Z",
        "seats_left": 9,
        "competencies": [
            {
                "id": str(built.competencies[0].public_id),
                "code": "1.1",
                "title": "Competency 1.1",
                "framework": "Northfield Teaching Framework",
            }
        ],
    }


def test_filters_sorting_and_pagination_are_query_parameters(cast, api_client_for):
    for i, hours in enumerate([3, 12, 6, 1]):
        OfferingFactory(
            district=cast.district_a, title=f"T{i}", hours=Decimal(hours), format="online_live"
        )
    OfferingFactory(district=cast.district_a, title="In person", hours=Decimal(1))
    client = api_client_for(cast.alice)

    body = client.get(f"{API}/offerings?format=online_live&max_hours=6&sort=shortest").json()
    assert titles(body) == ["T3", "T0", "T2"]
    page = client.get(f"{API}/offerings?format=online_live&sort=shortest&limit=2&offset=2").json()
    assert page["count"] == 4
    assert titles(page) == ["T2", "T1"]


def test_managers_may_ask_for_drafts(cast, api_client_for):
    OfferingFactory(district=cast.district_a, title="Draft", status=OfferingStatus.DRAFT)
    assert titles(api_client_for(cast.dana).get(f"{API}/offerings?status=draft").json()) == [
        "Draft"
    ]
    assert titles(api_client_for(cast.alice).get(f"{API}/offerings?status=draft").json()) == []


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ("kind=webinar", ["kind"]),
        ("max_hours=lots&free=maybe", ["max_hours", "free"]),
        ("date_from=2031-03-10&date_to=2031-03-01", ["date_to"]),
        ("competency=not-an-id", ["competency"]),
        ("sort=random", ["sort"]),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(cast, api_client_for, query, fields):
    response = api_client_for(cast.alice).get(f"{API}/offerings?{query}")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_filter"
    assert [f["field"] for f in error["details"]["fields"]] == fields
    assert error["message"].startswith(f"{fields[0]}: ")


def test_the_bad_kind_message_lists_the_kinds(cast, api_client_for):
    error = api_client_for(cast.alice).get(f"{API}/offerings?kind=webinar").json()["error"]
    assert error["message"] == (
        "kind: Unknown kind “webinar”. Choose one of: online_course, workshop, workshop_series, "
        "plc_cycle, coaching_cycle, micro_credential, self_paced, book_study, conference, external."
    )


def test_the_list_costs_the_same_queries_for_3_or_30_offerings(
    cast, api_client_for, django_assert_max_num_queries
):
    built = build_framework(cast.district_a)

    def add(n, prefix):
        for i in range(n):
            o = OfferingFactory(district=cast.district_a, title=f"{prefix}{i:02d}", capacity=9)
            o.competencies.set(built.competencies[:2])
            OfferingSessionFactory(offering=o)
            EnrollmentFactory(offering=o)

    client = api_client_for(cast.alice)
    add(3, "a")
    client.get(f"{API}/offerings")  # the first call also records the token's use
    with CaptureQueriesContext(connection) as small:
        assert len(client.get(f"{API}/offerings?sort=soonest").json()["items"]) == 3
    add(27, "b")
    with django_assert_max_num_queries(8), CaptureQueriesContext(connection) as large:
        assert len(client.get(f"{API}/offerings?sort=soonest").json()["items"]) == 30
    assert len(large) == len(small)


def test_the_detail_has_sessions_competencies_audiences_and_evidence(cast, api_client_for):
    built = build_framework(cast.district_a)
    o = OfferingFactory(
        district=cast.district_a,
        title="Coaching",
        cost=Decimal(120),
        hours=Decimal(8),
        grade_bands=["k_5"],
        evidence_tier="1",
        evidence_citation="A randomised trial.",
        design_features=["coaching"],
        credit_unit="pdp",
        credit_category="coaching",
        registration="session",
    )
    o.competencies.set([built.competencies[2]])
    session = OfferingSessionFactory(
        offering=o,
        starts_at=dt.datetime(2031, 3, 4, 9, tzinfo=CHICAGO),
        ends_at=dt.datetime(2031, 3, 4, 11, 30, tzinfo=CHICAGO),
        capacity=4,
        facilitator=cast.carol,
    )
    EnrollmentFactory(offering=o, session=session)
    EnrollmentFactory(offering=o, session=session, status=EnrollmentStatus.WAITLISTED)

    response = api_client_for(cast.alice).get(f"{API}/offerings/{o.public_id}")

    assert response.status_code == 200
    body = response.json()
    assert body["cost_per_hour"] == "15.00"
    assert body["audiences"]["grade_bands"] == ["k_5"]
    assert body["evidence_tier_label"] == "Tier 1 — strong evidence"
    assert body["evidence_citation"] == "A randomised trial."
    assert body["credit_unit_label"] == "PDPs"
    assert body["credit_category_label"] == "Coaching"
    assert [f["key"] for f in body["design_features"] if f["present"]] == ["coaching"]
    assert len(body["design_features"]) == 8
    assert body["competencies"][0]["code"] == "2.1"
    assert body["sessions"] == [
        {
            "id": str(session.public_id),
            "starts_at": "2031-03-04T15:00:00Z",
            "ends_at": "2031-03-04T17:30:00Z",
            "hours": "2.50",
            "location": "Central office, room 4",
            "link": "",
            "status": "scheduled",
            "capacity": 4,
            "seats_left": 3,
            "waitlisted": 1,
            "facilitator": "Carol Cruz",
        }
    ]


@pytest.mark.parametrize("who", ["alice", "dana"])
def test_another_districts_offering_is_a_404(cast, api_client_for, who):
    theirs = OfferingFactory(district=cast.district_b)
    response = api_client_for(getattr(cast, who)).get(f"{API}/offerings/{theirs.public_id}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_draft_is_a_404_for_educators_only(cast, api_client_for):
    draft = OfferingFactory(district=cast.district_a, status=OfferingStatus.DRAFT)
    assert api_client_for(cast.alice).get(f"{API}/offerings/{draft.public_id}").status_code == 404
    assert api_client_for(cast.dana).get(f"{API}/offerings/{draft.public_id}").status_code == 200


def test_a_malformed_id_is_a_404(cast, api_client_for):
    assert api_client_for(cast.alice).get(f"{API}/offerings/nope").status_code == 404


def test_the_catalog_needs_a_token(cast, client):
    assert client.get(f"{API}/offerings").status_code == 401
