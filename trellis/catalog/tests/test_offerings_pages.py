"""The catalog page and the offering page: what they show, to whom, and what they cost."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from trellis.catalog.models import EnrollmentStatus, OfferingStatus, Registration
from trellis.catalog.tests.factories import (
    EnrollmentFactory,
    OfferingFactory,
    OfferingSessionFactory,
)
from trellis.growth.tests.factories import build_framework

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def listed(response) -> list[str]:
    return re.findall(
        r'<h3><a href="/catalog/[0-9a-f-]+/">([^<]+)</a></h3>', response.content.decode()
    )


def add_offerings(district, n: int, *, framework=None, prefix: str = "Offering") -> None:
    for i in range(n):
        o = OfferingFactory(district=district, title=f"{prefix} {i:03d}", capacity=20)
        OfferingSessionFactory(offering=o)
        EnrollmentFactory(offering=o, status=EnrollmentStatus.ENROLLED)
        if framework is not None:
            o.competencies.set(framework.competencies[:2])


# ---------------------------------------------------------------------------------------------
# the catalog page
# ---------------------------------------------------------------------------------------------


def test_the_catalog_lists_published_offerings_with_what_a_card_needs(cast, client_for):
    built = build_framework(cast.district_a)
    o = OfferingFactory(
        district=cast.district_a,
        title="Number talks",
        kind="workshop_series",
        format="in_person",
        hours=Decimal("7.5"),
        cost=Decimal(125),
        credit_amount=Decimal(1),
        credit_unit="ceu",
        capacity=12,
        evidence_tier="2",
        evidence_citation="Smith (2020)",
    )
    o.competencies.set([built.competencies[0]])
    OfferingSessionFactory(offering=o, starts_at=dt.datetime(2031, 4, 7, 16, tzinfo=CHICAGO))
    EnrollmentFactory(offering=o)
    OfferingFactory(district=cast.district_a, title="Hidden draft", status=OfferingStatus.DRAFT)

    response = client_for(cast.alice).get("/catalog/")

    assert response.status_code == 200
    assert listed(response) == ["Number talks"]
    html = response.content.decode()
    assert "1 offering." in html
    for text in (
        "Workshop series",
        "In person",
        "<dd>7.5 hours</dd>",
        "<dd>$125</dd>",
        "<dd>1 CEU</dd>",
        "Mon Apr 7, 2031, 4:00 PM",
        "<dd>11 left</dd>",
        "Tier 2 — moderate evidence",
        "<dd>1.1</dd>",
    ):
        assert text in html, text


def test_filters_narrow_the_list_and_the_empty_state_offers_to_clear_them(cast, client_for):
    OfferingFactory(district=cast.district_a, title="Workshop", kind="workshop")
    client = client_for(cast.alice)

    response = client.get("/catalog/?kind=book_study")
    assert response.status_code == 200
    assert listed(response) == []
    html = response.content.decode()
    assert "No offerings match these filters." in html
    assert '<a href="/catalog/">Clear the filters</a>' in html

    assert listed(client.get("/catalog/?kind=workshop")) == ["Workshop"]


def test_the_filter_menus_are_real_selects_keeping_the_chosen_value(cast, client_for):
    html = client_for(cast.alice).get("/catalog/?kind=book_study&sort=cost").content.decode()
    assert "&lt;select" not in html
    assert "&lt;option" not in html
    assert '<select id="id_kind" name="kind">' in html
    assert '<option value="book_study" selected>Book study</option>' in html
    assert '<option value="workshop">In-person workshop</option>' in html
    assert '<option value="cost" selected>' in html


def test_an_empty_catalog_says_so(cast, client_for):
    html = client_for(cast.alice).get("/catalog/").content.decode()
    assert "The catalog has no published offerings yet." in html
    assert "Add the first one" not in html
    assert "Add the first one" in client_for(cast.dana).get("/catalog/").content.decode()


def test_a_bad_filter_is_explained_while_the_others_apply(cast, client_for):
    OfferingFactory(district=cast.district_a, title="Live", format="online_live")
    OfferingFactory(district=cast.district_a, title="In person", format="in_person")
    response = client_for(cast.alice).get("/catalog/?format=online_live&max_hours=lots")
    assert response.status_code == 400
    html = response.content.decode()
    assert '<ul class="errorlist" id="id_max_hours_error"><li>Enter a number.</li></ul>' in html
    assert "The other filters still apply." in html
    assert listed(response) == ["Live"]


def test_the_catalog_pages_by_twenty(cast, client_for):
    for i in range(25):
        OfferingFactory(district=cast.district_a, title=f"Offering {i:02d}")
    client = client_for(cast.alice)
    first = client.get("/catalog/?kind=workshop")
    assert len(listed(first)) == 20
    assert "Page 1 of 2 (25 in all)" in first.content.decode()
    assert 'href="?kind=workshop&amp;page=2"' in first.content.decode()
    assert listed(client.get("/catalog/?kind=workshop&page=2")) == [
        f"Offering {i:02d}" for i in range(20, 25)
    ]


def test_htmx_gets_just_the_results(cast, client_for):
    OfferingFactory(district=cast.district_a, title="Only one")
    response = client_for(cast.alice).get("/catalog/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert listed(response) == ["Only one"]
    assert "<h1>" not in html


@pytest.mark.parametrize("who", ["alice", "dana"])
def test_the_catalog_costs_the_same_queries_for_5_or_40_offerings(
    cast, client_for, django_assert_max_num_queries, who
):
    built = build_framework(cast.district_a)
    add_offerings(cast.district_a, 5, framework=built, prefix="Small")
    client = client_for(getattr(cast, who))
    with CaptureQueriesContext(connection) as small:
        response = client.get("/catalog/?sort=soonest")
    assert len(listed(response)) == 5

    add_offerings(cast.district_a, 35, framework=built, prefix="Large")
    # session, user, districts, roles, the competency filter's framework, items and levels,
    # the count, the page, its figures and its competencies
    with django_assert_max_num_queries(11), CaptureQueriesContext(connection) as large:
        response = client.get("/catalog/?sort=soonest")
    assert len(listed(response)) == 20
    assert len(large) == len(small)


# ---------------------------------------------------------------------------------------------
# the offering page
# ---------------------------------------------------------------------------------------------


def test_the_offering_page_shows_everything_needed_to_decide(cast, client_for):
    built = build_framework(cast.district_a)
    o = OfferingFactory(
        district=cast.district_a,
        title="Coaching for number sense",
        description="Six cycles of planning, modelling and debriefing.",
        provider="Mathematics Institute",
        provider_approved=True,
        format="coaching",
        location="Northfield Middle, room 12",
        hours=Decimal(12),
        cost=Decimal(300),
        credit_amount=Decimal(12),
        credit_unit="ctle_hour",
        credit_category="coaching",
        grade_bands=["6_8"],
        subjects=["Mathematics"],
        career_stages=["novice"],
        students_served=["english_learners"],
        evidence_tier="3",
        evidence_citation="Kraft, Blazar & Hogan (2018), Review of Educational Research.",
        design_features=["coaching", "job_embedded", "sustained"],
        registration=Registration.ONE_SESSION,
    )
    o.competencies.set([built.competencies[1]])
    OfferingSessionFactory(
        offering=o,
        starts_at=dt.datetime(2031, 5, 6, 15, 30, tzinfo=CHICAGO),
        ends_at=dt.datetime(2031, 5, 6, 17, tzinfo=CHICAGO),
        location="Room 12",
        capacity=8,
    )

    response = client_for(cast.alice).get(f"/catalog/{o.public_id}/")

    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "<h1>Coaching for number sense</h1>",
        "Six cycles of planning, modelling and debriefing.",
        "Mathematics Institute",
        "State-approved provider",
        "<strong>1.2</strong> Competency 1.2",
        "Northfield Teaching Framework",
        "Middle (6–8)",
        "Mathematics",
        "Novice (0–3 years)",
        "English learners / multilingual learners",
        "<dd>Coaching</dd>",
        "Northfield Middle, room 12",
        "12 hours",
        "$300",
        "($25 per hour)",
        "12 CTLE hours",
        "CTLE hours, counted as coaching",
        "Tier 3 — promising evidence",
        "Kraft, Blazar &amp; Hogan (2018)",
        "3 of 8 features",
        "Tue May 6, 2031, 3:30 PM</time> – 5:00 PM",
        "8 of 8 left",
    ):
        assert text in html, text
    assert html.count('class="present"') == 3
    assert html.count('class="absent"') == 5
    assert "Check-in code" not in html  # managers only
    assert "issue 8" not in html  # the scorecard note lives in code only


def test_another_districts_offering_is_missing(cast, client_for):
    theirs = OfferingFactory(district=cast.district_b)
    assert client_for(cast.alice).get(f"/catalog/{theirs.public_id}/").status_code == 404
    assert client_for(cast.dana).get(f"/catalog/{theirs.public_id}/").status_code == 404
    assert client_for(cast.dana).get(f"/catalog/{theirs.public_id}/edit/").status_code == 404


def test_drafts_are_missing_for_educators_and_shown_to_managers(cast, client_for):
    draft = OfferingFactory(district=cast.district_a, status=OfferingStatus.DRAFT)
    assert client_for(cast.alice).get(f"/catalog/{draft.public_id}/").status_code == 404
    response = client_for(cast.dana).get(f"/catalog/{draft.public_id}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<input type="hidden" name="status" value="published">' in html
    assert "Publish</button>" in html
    assert "Start the review</button>" in html


def test_a_retired_offering_stays_visible_to_the_people_who_took_it(cast, client_for):
    retired = OfferingFactory(district=cast.district_a, status=OfferingStatus.RETIRED)
    EnrollmentFactory(offering=retired, educator=cast.alice, status=EnrollmentStatus.COMPLETED)
    assert client_for(cast.alice).get(f"/catalog/{retired.public_id}/").status_code == 200
    assert client_for(cast.eve).get(f"/catalog/{retired.public_id}/").status_code == 404


def test_times_show_in_the_district_time_zone(cast, client_for):
    cast.district_a.timezone = "America/New_York"
    cast.district_a.save()
    o = OfferingFactory(district=cast.district_a)
    OfferingSessionFactory(
        offering=o, starts_at=dt.datetime(2031, 1, 15, 14, tzinfo=dt.UTC)
    )  # 9:00 in New York
    html = client_for(cast.alice).get(f"/catalog/{o.public_id}/").content.decode()
    assert "Wed Jan 15, 2031, 9:00 AM" in html
    assert "times in America/New_York" in html


def test_managers_see_session_codes_and_actions(cast, client_for):
    o = OfferingFactory(district=cast.district_a)
    session = OfferingSessionFactory(offering=o, check_in_code="K7PQ2M")
    html = client_for(cast.dana).get(f"/catalog/{o.public_id}/").content.decode()
    assert "<code>K7PQ2M</code>" in html
    assert f"/catalog/sessions/{session.public_id}/edit/" in html
    assert "Retire" in html


def test_the_offering_page_for_a_malformed_id_is_missing(cast, client_for):
    assert client_for(cast.alice).get("/catalog/not-a-uuid/").status_code == 404


def test_the_offering_page_query_count_does_not_grow_with_sessions(
    cast, client_for, django_assert_max_num_queries
):
    o = OfferingFactory(district=cast.district_a, registration=Registration.ONE_SESSION)
    client = client_for(cast.alice)
    OfferingSessionFactory(offering=o, starts_at=timezone.now() + dt.timedelta(days=3))
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"/catalog/{o.public_id}/").status_code == 200
    for days in range(4, 14):
        OfferingSessionFactory(offering=o, starts_at=timezone.now() + dt.timedelta(days=days))
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/catalog/{o.public_id}/").status_code == 200
    assert len(many) == len(one)
