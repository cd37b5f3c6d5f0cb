"""Searching the catalog: every filter, sorting, bad values, what each role sees."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.utils import timezone

from trellis.catalog.forms_catalog import parse_filters
from trellis.catalog.models import EnrollmentStatus, OfferingSession, OfferingStatus, Registration
from trellis.catalog.queries.offerings import cards_for, search_offerings
from trellis.catalog.tests.factories import (
    EnrollmentFactory,
    OfferingFactory,
    OfferingSessionFactory,
)
from trellis.growth.tests.factories import build_framework

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def titles(cast, user, **params) -> list[str]:
    access = cast.access(user)
    parsed = parse_filters({k: str(v) for k, v in params.items()}, access=access)
    assert parsed.errors == {}
    return [o.title for o in search_offerings(access, parsed.filters)]


def offering(cast, title: str, **fields):
    return OfferingFactory(district=cast.district_a, title=title, **fields)


# ---------------------------------------------------------------------------------------------
# visibility
# ---------------------------------------------------------------------------------------------


def test_educators_see_the_published_offerings_of_their_district_only(cast):
    offering(cast, "Published")
    for status in ("draft", "proposed", "under_review", "retired"):
        offering(cast, f"A {status}", status=status)
    OfferingFactory(district=cast.district_b, title="Southport's")

    assert titles(cast, cast.alice) == ["Published"]
    assert titles(cast, cast.bob) == ["Southport's"]
    # an educator's status parameter is not a filter they have: ignored
    assert titles(cast, cast.alice, status="draft") == ["Published"]


def test_managers_filter_by_status_including_drafts(cast):
    offering(cast, "Published")
    offering(cast, "Drafty", status=OfferingStatus.DRAFT)
    offering(cast, "Old", status=OfferingStatus.RETIRED)

    assert titles(cast, cast.dana) == ["Published"]
    assert titles(cast, cast.dana, status="draft") == ["Drafty"]
    assert titles(cast, cast.dana, status="any") == ["Drafty", "Old", "Published"]


# ---------------------------------------------------------------------------------------------
# each filter
# ---------------------------------------------------------------------------------------------


def test_text_matches_title_summary_description_and_provider_in_any_case(cast):
    offering(cast, "Number talks")
    offering(cast, "Reading", summary="Guided READING groups")
    offering(cast, "Science", description="Inquiry with number lines")
    offering(cast, "Writing", provider="Numberly Institute")
    offering(cast, "Art")

    assert titles(cast, cast.alice, q="number") == ["Number talks", "Science", "Writing"]
    assert titles(cast, cast.alice, q="reading") == ["Reading"]
    # every word must appear somewhere
    assert titles(cast, cast.alice, q="number inquiry") == ["Science"]


def test_the_title_match_comes_first_when_searching(cast):
    offering(cast, "Assessment basics", description="Talks about coaching")
    offering(cast, "Coaching cycles")
    assert titles(cast, cast.alice, q="coaching") == ["Coaching cycles", "Assessment basics"]


def test_competency_matches_offerings_aligned_to_it_or_to_items_under_it(cast):
    built = build_framework(cast.district_a)
    c11, c12, c21, _c22 = built.competencies
    offering(cast, "On 1.1").competencies.set([c11])
    offering(cast, "On 1.2 and 2.1").competencies.set([c12, c21])
    offering(cast, "On nothing")

    assert titles(cast, cast.alice, competency=c11.public_id) == ["On 1.1"]
    assert titles(cast, cast.alice, competency=c21.public_id) == ["On 1.2 and 2.1"]
    domain_1 = built.domains[0]
    assert titles(cast, cast.alice, competency=domain_1.public_id) == ["On 1.1", "On 1.2 and 2.1"]


@pytest.mark.parametrize(
    ("param", "field", "value", "other"),
    [
        ("kind", "kind", "book_study", "workshop"),
        ("format", "format", "online_live", "in_person"),
        ("credit", "credit_unit", "ceu", "clock_hour"),
    ],
)
def test_single_value_filters(cast, param, field, value, other):
    offering(cast, "Match", **{field: value})
    offering(cast, "Other", **{field: other})
    assert titles(cast, cast.alice, **{param: value}) == ["Match"]


def test_credit_type_leaves_out_offerings_without_credit(cast):
    offering(cast, "No credit", credit_unit="ceu", credit_amount=Decimal(0))
    offering(cast, "Half a CEU", credit_unit="ceu", credit_amount=Decimal("0.5"))
    assert titles(cast, cast.alice, credit="ceu") == ["Half a CEU"]


@pytest.mark.parametrize(
    ("param", "field", "value"),
    [
        ("grade", "grade_bands", "6_8"),
        ("career_stage", "career_stages", "novice"),
        ("students", "students_served", "english_learners"),
    ],
)
def test_audience_filters_match_one_value_of_the_list(cast, param, field, value):
    offering(cast, "Has it", **{field: ["pre_k", value]})
    offering(cast, "Has it alone", **{field: [value]})
    offering(cast, "Similar but not it", **{field: [value + "x", "other"]})
    offering(cast, "For everyone")
    assert titles(cast, cast.alice, **{param: value}) == ["Has it", "Has it alone"]


def test_subject_matches_part_of_a_subject_in_any_case(cast):
    offering(cast, "Maths", subjects=["Mathematics", "Science"])
    offering(cast, "Spanish", subjects=["Español"])
    offering(cast, "None")
    assert titles(cast, cast.alice, subject="math") == ["Maths"]
    assert titles(cast, cast.alice, subject="Españ") == ["Spanish"]


def test_time_needed_and_cost(cast):
    offering(cast, "Short free", hours=Decimal("1.5"), cost=Decimal(0))
    offering(cast, "Medium paid", hours=Decimal(6), cost=Decimal("49.99"))
    offering(cast, "Long pricey", hours=Decimal(30), cost=Decimal(400))

    assert titles(cast, cast.alice, max_hours="6") == ["Medium paid", "Short free"]
    assert titles(cast, cast.alice, free="1") == ["Short free"]
    assert titles(cast, cast.alice, max_cost="50") == ["Medium paid", "Short free"]
    assert titles(cast, cast.alice, free="0") == ["Long pricey", "Medium paid", "Short free"]


def test_date_range_counts_scheduled_sessions_in_the_district_time_zone(cast):
    late_evening = dt.datetime(2031, 3, 10, 23, 30, tzinfo=CHICAGO)  # 05:30 UTC on March 11
    OfferingSessionFactory(offering=offering(cast, "Evening"), starts_at=late_evening)
    OfferingSessionFactory(
        offering=offering(cast, "Next day"), starts_at=dt.datetime(2031, 3, 11, 9, tzinfo=CHICAGO)
    )
    OfferingSessionFactory(
        offering=offering(cast, "Cancelled"),
        starts_at=dt.datetime(2031, 3, 10, 9, tzinfo=CHICAGO),
        status=OfferingSession.Status.CANCELLED,
    )
    offering(cast, "Self-paced", kind="self_paced")

    assert titles(cast, cast.alice, date_from="2031-03-10", date_to="2031-03-10") == ["Evening"]
    assert titles(cast, cast.alice, date_from="2031-03-11") == ["Next day"]
    assert titles(cast, cast.alice, date_to="2031-03-10") == ["Evening"]


def test_filters_combine(cast):
    offering(cast, "Fits", kind="workshop", hours=Decimal(3), grade_bands=["6_8"])
    offering(cast, "Too long", kind="workshop", hours=Decimal(12), grade_bands=["6_8"])
    offering(cast, "Wrong grade", kind="workshop", hours=Decimal(3), grade_bands=["k_5"])
    assert titles(cast, cast.alice, kind="workshop", max_hours="4", grade="6_8") == ["Fits"]


# ---------------------------------------------------------------------------------------------
# sorting
# ---------------------------------------------------------------------------------------------


def test_sorting(cast):
    now = timezone.now()
    a = offering(cast, "A", hours=Decimal(10), cost=Decimal(5), published_at=now - dt.timedelta(3))
    b = offering(cast, "B", hours=Decimal(2), cost=Decimal(50), published_at=now)
    c = offering(cast, "C", hours=Decimal(5), cost=Decimal(0), published_at=now - dt.timedelta(9))
    OfferingSessionFactory(offering=a, starts_at=now + dt.timedelta(days=2))
    OfferingSessionFactory(offering=b, starts_at=now + dt.timedelta(days=9))
    OfferingSessionFactory(offering=b, starts_at=now - dt.timedelta(days=9))  # past: not "next"

    assert titles(cast, cast.alice) == ["A", "B", "C"]
    assert titles(cast, cast.alice, sort="soonest") == ["A", "B", "C"]  # C has none: last
    assert titles(cast, cast.alice, sort="shortest") == ["B", "C", "A"]
    assert titles(cast, cast.alice, sort="cost") == ["C", "A", "B"]
    assert titles(cast, cast.alice, sort="newest") == ["B", "A", "C"]
    del c


# ---------------------------------------------------------------------------------------------
# bad values: explained, and the other filters still apply
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"kind": "webinar"}, "kind", "Unknown kind “webinar”. Choose one of: online_course,"),
        ({"format": "zoom"}, "format", "Unknown format “zoom”. Choose one of: in_person,"),
        ({"grade": "7"}, "grade", "Unknown grade band “7”. Choose one of: pre_k, k_5, 6_8, 9_12."),
        ({"career_stage": "old"}, "career_stage", "Unknown career stage “old”."),
        ({"students": "all"}, "students", "Unknown student group “all”."),
        ({"credit": "points"}, "credit", "Unknown credit type “points”."),
        ({"sort": "random"}, "sort", "Unknown sort “random”. Choose one of: title, soonest,"),
        ({"max_hours": "lots"}, "max_hours", "Enter a number."),
        ({"max_hours": "0"}, "max_hours", "Ensure this value is greater than or equal to 0.25."),
        ({"max_cost": "-1"}, "max_cost", "Ensure this value is greater than or equal to 0."),
        ({"free": "maybe"}, "free", "“maybe” is not yes or no: use 1 or 0."),
        ({"date_from": "next week"}, "date_from", "Enter a valid date."),
        (
            {"date_from": "2031-03-10", "date_to": "2031-03-01"},
            "date_to",
            "“Meets until” is before “Meets from”.",
        ),
        ({"competency": "nope"}, "competency", "“nope” is not a competency id."),
    ],
)
def test_a_bad_value_is_explained(cast, params, field, message):
    parsed = parse_filters(params, access=cast.access(cast.alice))
    assert list(parsed.errors) == [field]
    assert parsed.errors[field].startswith(message)


def test_another_districts_competency_is_not_a_filter(cast):
    theirs = build_framework(cast.district_b, title="Southport framework").competencies[0]
    parsed = parse_filters({"competency": str(theirs.public_id)}, access=cast.access(cast.alice))
    assert parsed.errors == {
        "competency": f"No competency {theirs.public_id} in Northfield's frameworks."
    }


def test_the_valid_filters_still_apply_beside_a_bad_one(cast):
    offering(cast, "In person", format="in_person")
    offering(cast, "Online", format="online_live")
    access = cast.access(cast.alice)
    parsed = parse_filters({"kind": "webinar", "format": "online_live"}, access=access)
    assert list(parsed.errors) == ["kind"]
    assert [o.title for o in search_offerings(access, parsed.filters)] == ["Online"]


# ---------------------------------------------------------------------------------------------
# what a card shows
# ---------------------------------------------------------------------------------------------


def test_seats_left_for_a_whole_offering_and_for_the_next_session(cast):
    whole = offering(cast, "Whole", capacity=3)
    OfferingSessionFactory(offering=whole)
    EnrollmentFactory(offering=whole, status=EnrollmentStatus.ENROLLED)
    EnrollmentFactory(offering=whole, status=EnrollmentStatus.PENDING_APPROVAL)
    EnrollmentFactory(offering=whole, status=EnrollmentStatus.WAITLISTED)  # holds no seat
    EnrollmentFactory(offering=whole, status=EnrollmentStatus.WITHDRAWN)

    per_session = offering(cast, "Per session", registration=Registration.ONE_SESSION)
    soon = OfferingSessionFactory(offering=per_session, capacity=2)
    OfferingSessionFactory(
        offering=per_session, capacity=9, starts_at=timezone.now() + dt.timedelta(days=30)
    )
    EnrollmentFactory(offering=per_session, session=soon, status=EnrollmentStatus.ENROLLED)
    EnrollmentFactory(offering=per_session, session=soon, status=EnrollmentStatus.ENROLLED)
    unlimited = offering(cast, "Unlimited")

    access = cast.access(cast.alice)
    found = search_offerings(access, parse_filters({}, access=access).filters)
    cards = {card.offering.title: card for card in cards_for(found)}
    assert cards["Whole"].seats_left == 1
    assert cards["Per session"].seats_left == 0
    assert cards["Per session"].is_full
    assert cards["Unlimited"].seats_left is None
    assert cards["Whole"].next_starts_at == whole.sessions.get().starts_at
    assert cards["Unlimited"].next_starts_at is None
    del unlimited
