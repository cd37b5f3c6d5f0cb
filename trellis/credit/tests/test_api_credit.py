"""The credit API: /me/renewal, /me/transcript and /me/salary-lane, amounts as exact strings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from trellis.credit.models import CreditSettings
from trellis.credit.tests.factories import LicenseFactory, SalaryLaneFactory
from trellis.credit.tests.ledgers import award, texas_ledger
from trellis.growth.models import EducatorProfile

API = "/api/v1"
D = Decimal
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 23, 15, tzinfo=dt.UTC), tick=False):
        yield


def test_renewal_reports_progress_caps_quotas_records_and_what_is_missing(cast, api_client_for):
    texas_ledger(cast)

    response = api_client_for(cast.alice).get(f"{API}/me/renewal")

    assert response.status_code == 200
    body = response.json()
    assert body["rule_set"]["key"] == "TX/classroom_teacher"
    assert body["rule_set"]["unit_label"] == "CPE hours"
    assert body["rule_set_source"] == "licence"
    assert body["licence"] == {
        "rule_set_key": "TX/classroom_teacher",
        "number": "TX-778",
        "cycle_start": "2022-09-01",
        "cycle_end": "2027-08-31",
    }
    assert body["cycle"]["source"] == "licence"
    assert (body["status"], body["days_left"]) == ("behind_pace", 281)
    assert {
        k: body[k] for k in ("unit", "required", "total", "remaining", "percent", "complete")
    } == {
        "unit": "cpe_hour",
        "required": "150",
        "total": "79",
        "remaining": "71",
        "percent": "52.6",
        "complete": False,
    }
    assert body["by_category"] == [
        {"category": "course", "label": "Courses", "amount": "20"},
        {"category": "workshop", "label": "Workshops", "amount": "14"},
        {"category": "independent_study", "label": "Independent study", "amount": "25"},
        {"category": "informal", "label": "Informal learning", "amount": "5"},
        {"category": "presenting", "label": "Presenting", "amount": "15"},
    ]
    assert body["by_topic"] == [{"topic": "reading", "amount": "15"}]
    cap = body["caps"][0]
    assert {k: cap[k] for k in ("key", "limit", "claimed", "counted", "excluded")} == {
        "key": "independent_study",
        "limit": "30",
        "claimed": "35",
        "counted": "30",
        "excluded": "5",
    }
    assert body["quotas"] == [
        {
            "key": "relevance",
            "label": "learning related to the certificate",
            "topic": "relevance",
            "needed": "120",
            "counted": "71",
            "met": False,
            "short_by": "49",
        }
    ]
    podcasts = next(r for r in body["records"] if r["title"] == "Podcasts")
    assert {
        k: podcasts[k] for k in ("amount", "unit", "value", "counted", "status", "reason_code")
    } == {
        "amount": "10",
        "unit": "clock_hour",
        "value": "10",
        "counted": "5",
        "status": "partly_counted",
        "reason_code": "over_cap",
    }
    micro = next(r for r in body["records"] if r["title"] == "Feedback micro-credential")
    assert (micro["value"], micro["reason_code"]) == (None, "unknown_conversion")
    assert len(body["missing"]) == 2
    assert body["hours_total"] == "89"


def test_renewal_without_a_rule_set_has_null_requirements_and_an_explanation(cast, api_client_for):
    EducatorProfile.objects.filter(user=cast.alice).update(position="para")
    award(cast, amount=D("2.5"))

    body = api_client_for(cast.alice).get(f"{API}/me/renewal").json()

    assert (body["rule_set"], body["cycle"], body["required"], body["total"]) == (
        None,
        None,
        None,
        None,
    )
    assert (body["status"], body["records"], body["missing"]) == ("no_rule_set", [], [])
    assert body["hours_total"] == "2.5"
    assert body["explanation"].startswith("The Texas renewal rules in Trellis do not cover")


def test_renewal_follows_the_district_chosen_by_header(cast, api_client_for):
    LicenseFactory(
        district=cast.district_b,
        educator=cast.bob,
        rule_set_key="NY/professional",
        cycle_start=dt.date(2024, 2, 1),
        cycle_end=dt.date(2029, 1, 31),
    )
    award(cast, educator=cast.bob, district=cast.district_b, amount=D(10), topics=["ell"])

    body = api_client_for(cast.bob).get(f"{API}/me/renewal").json()

    assert (body["rule_set"]["key"], body["total"]) == ("NY/professional", "10")
    assert body["quotas"][0]["short_by"] == "5"


def test_transcript_lists_awards_and_totals(cast, api_client_for):
    texas_ledger(cast)

    response = api_client_for(cast.alice).get(f"{API}/me/transcript")

    assert response.status_code == 200
    body = response.json()
    assert (body["educator_name"], body["district"], body["generated_on"]) == (
        "Alice Archer",
        "Northfield",
        "2026-11-23",
    )
    assert [a["title"] for a in body["awards"]][:2] == ["Feedback micro-credential", "Coding club"]
    assert "Mistaken entry" not in [a["title"] for a in body["awards"]]
    course = next(a for a in body["awards"] if a["title"] == "Literacy course")
    assert {k: course[k] for k in ("amount", "unit", "hours", "counted", "counted_status")} == {
        "amount": "2",
        "unit": "ceu",
        "hours": "0",
        "counted": "20",
        "counted_status": "counted",
    }
    assert body["totals"]["hours"] == "89"
    assert body["totals"]["micro_credentials"] == 1
    assert body["totals"]["by_unit"] == [
        {"unit": "clock_hour", "label": "clock hours", "amount": "74"},
        {"unit": "ceu", "label": "CEUs", "amount": "2"},
        {"unit": "micro_credential", "label": "micro-credentials", "amount": "1"},
    ]
    assert body["renewal"] == {
        "rule_set_key": "TX/classroom_teacher",
        "unit": "cpe_hour",
        "required": "150",
        "total": "79",
        "percent": "52.6",
        "complete": False,
        "missing": [
            "71 CPE hours more needed by 31 August 2027: 79 of 150 CPE hours count so far.",
            "At least 120 CPE hours must relate to your certificate; 71 do so far, so 49 CPE "
            "hours more of related learning are needed.",
        ],
    }


def test_salary_lane_standing(cast, api_client_for):
    CreditSettings.objects.create(district=cast.district_a, hours_per_salary_credit=D(15))
    low = SalaryLaneFactory(district=cast.district_a, name="BA+15", position=1)
    SalaryLaneFactory(
        district=cast.district_a,
        name="MA equivalent",
        position=2,
        credits_required=D(45),
        micro_credentials_required=30,
    )
    award(cast, amount=D(240))

    body = api_client_for(cast.alice).get(f"{API}/me/salary-lane").json()

    assert {k: body[k] for k in ("hours", "credits", "micro_credentials", "current", "next")} == {
        "hours": "240",
        "credits": "16",
        "micro_credentials": 0,
        "current": "BA+15",
        "next": "MA equivalent",
    }
    assert body["missing"] == (
        "29 more salary-lane credits or 30 more micro-credentials to reach MA equivalent."
    )
    assert body["lanes"][0] == {
        "id": str(low.public_id),
        "name": "BA+15",
        "position": 1,
        "credits_required": "15",
        "micro_credentials_required": None,
        "description": "",
        "reached": True,
        "current": True,
    }


@pytest.mark.parametrize("path", ["/me/renewal", "/me/transcript", "/me/salary-lane"])
def test_the_credit_routes_need_a_token(client, db, path):
    response = client.get(f"{API}{path}")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_the_openapi_document_lists_the_credit_routes(cast, api_client_for):
    paths = api_client_for(cast.alice).get(f"{API}/openapi.json").json()["paths"]

    assert {"/api/v1/me/renewal", "/api/v1/me/transcript", "/api/v1/me/salary-lane"} <= set(paths)
