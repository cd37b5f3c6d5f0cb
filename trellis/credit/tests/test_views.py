"""The educator's credit pages (renewal, transcript, lanes) and the staff view of an educator's
renewal: content, empty states, permissions, tenancy and query counts."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trellis.credit.models import CreditSettings
from trellis.credit.tests.factories import CreditAwardFactory, SalaryLaneFactory
from trellis.credit.tests.ledgers import award, texas_ledger
from trellis.growth.models import EducatorProfile

D = Decimal
NOW = dt.datetime(2026, 11, 23, 15, tzinfo=dt.UTC)
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def text(response) -> str:
    """The page's text with tags dropped and white space collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(body.split())


# ---------------------------------------------------------------------------------------------
# renewal
# ---------------------------------------------------------------------------------------------


def test_the_renewal_page_shows_progress_caps_quotas_and_what_is_missing(cast, client_for):
    texas_ledger(cast)

    response = client_for(cast.alice).get("/credit/renewal/")

    assert response.status_code == 200
    page = text(response)
    assert "Texas: classroom teacher" in page
    assert "Rule set TX/classroom_teacher" in page
    assert "Cycle 1 Sep 2022 to 31 Aug 2027" in page
    assert "Deadline 31 Aug 2027 : 281 days left" in page
    assert "Certificate TX-778" in page
    assert "Status Behind pace" in page
    assert "79 of 150 CPE hours count (52.6%)" in page
    html = response.content.decode()
    assert '<progress id="renewal-bar" max="150" value="79">52.6%</progress>' in html
    assert "71 CPE hours more needed by 31 August 2027: 79 of 150 CPE hours count so far." in page
    assert "so 49 CPE hours more of related learning are needed." in page
    assert (
        "Independent study counts for at most 30 CPE hours (20% of the requirement); 5 CPE hours "
        "above that limit do not count (earlier activities count first)." in page
    )
    assert "Learning related to the certificate 120 71 Short by 49" in page
    assert "Podcasts Informal learning 10 clock hours 10 5 Partly counted" in page
    assert "Feedback micro-credential Micro-credentials 1 micro-credential — 0 Not counted" in page
    assert "Mistaken entry" not in page  # revoked
    assert '<svg class="bar-chart"' in html
    assert "Counted CPE hours by category" in page
    assert "Independent study 25" in page
    assert "Sources: cecreditsonline.org" in page


def test_the_renewal_page_without_credit_shows_the_empty_state(cast, client_for):
    response = client_for(cast.alice).get("/credit/renewal/")

    page = text(response)
    assert "0 of 150 CPE hours count (0%)" in page
    assert "No credit yet." in page
    assert (
        "No licence is on record, so Trellis assumes the Texas rules for a classroom teacher"
        in page
    )
    assert "Neither a licence nor a district default cycle is on record" in page


def test_educators_without_a_rule_set_see_their_hours_and_why(cast, client_for):
    EducatorProfile.objects.filter(user=cast.alice).update(position="para")
    award(cast, amount=D("7.5"))

    page = text(client_for(cast.alice).get("/credit/renewal/"))

    assert "No renewal requirement on record" in page
    assert "The Texas renewal rules in Trellis do not cover the position" in page
    assert "7.5 clock hours of learning from 1 activity." in page


def test_the_renewal_page_costs_the_same_queries_for_few_or_many_awards(
    cast, client_for, django_assert_max_num_queries
):
    client = client_for(cast.alice)
    award(cast)
    with CaptureQueriesContext(connection) as few:
        client.get("/credit/renewal/")
    for _ in range(30):
        award(cast, topics=["reading"])

    with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as many:
        response = client.get("/credit/renewal/")

    assert response.status_code == 200
    assert len(many) == len(few)


@pytest.mark.parametrize(
    ("who", "subject", "status"),
    [
        ("pat", "alice", 200),  # an approver sees the people of the school
        ("pat", "eve", 404),  # another school
        ("carol", "alice", 200),
        ("dana", "eve", 200),  # district staff
        ("dana", "bob", 404),  # another district
        ("alice", "eve", 403),  # educators see only their own
        ("bea", "alice", 404),
    ],
)
def test_staff_see_renewal_progress_of_the_people_they_may_see(
    cast, client_for, who, subject, status
):
    person = getattr(cast, subject)

    response = client_for(getattr(cast, who)).get(f"/credit/people/{person.public_id}/renewal/")

    assert response.status_code == status
    if status == 200:
        assert f"Renewal progress of {person.full_name}" in text(response)


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/credit/renewal/")

    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/login/?next=/credit/renewal/",
    )


# ---------------------------------------------------------------------------------------------
# transcript
# ---------------------------------------------------------------------------------------------


def test_the_transcript_page_lists_awards_totals_and_the_renewal_summary(cast, client_for):
    texas_ledger(cast)

    response = client_for(cast.alice).get("/credit/transcript/")

    page = text(response)
    assert "Educator Alice Archer (alice@northfield.test)" in page
    assert "Licence TX/classroom_teacher, no. TX-778, cycle 1 Sep 2022 to 31 Aug 2027" in page
    assert "Generated 23 Nov 2026" in page
    assert "8 activities 89 clock hours of learning 1 micro-credential 79 / 150" in page
    assert (
        "1 May 2023 Literacy course Region 13 ESC approved Completed offering Courses 2 CEUs 0 20"
        in page
    )
    assert (
        "Podcasts Region 13 ESC approved Informal learning Informal learning 10 clock hours 10 5 (partly counted)"
        in page
    )
    assert "74 clock hours" in page
    assert "2 CEUs" in page
    assert "Workshops 3 19" in page
    assert "79 of 150 CPE hours count (52.6%)." in page
    assert "Mistaken entry" not in page


def test_the_transcript_page_costs_the_same_queries_for_few_or_many_awards(
    cast, client_for, django_assert_max_num_queries
):
    client = client_for(cast.alice)
    award(cast)
    with CaptureQueriesContext(connection) as few:
        client.get("/credit/transcript/")
    for _ in range(30):
        award(cast)

    with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as many:
        response = client.get("/credit/transcript/")

    assert response.status_code == 200
    assert len(many) == len(few)


def test_the_transcript_without_credit_shows_the_empty_state(cast, client_for):
    page = text(client_for(cast.alice).get("/credit/transcript/"))

    assert "No credit yet." in page
    assert "0 of 150 CPE hours count (0%)." in page


def test_the_transcript_csv_is_exact(cast, client_for):
    award(
        cast,
        title="=HYPERLINK(evil)",
        provider="State University",
        completed_on=dt.date(2026, 5, 20),
        amount=D(3),
        unit="semester_hour",
        category="college_course",
        hours=D(45),
        provider_approved=None,
    )
    award(
        cast,
        title="ELL workshop, part 1",
        completed_on=dt.date(2026, 9, 10),
        amount=D("7.5"),
        topics=["ell", "reading"],
    )
    award(cast, title="Before the cycle", completed_on=dt.date(2025, 1, 10), amount=D(2))

    response = client_for(cast.alice).get("/credit/transcript.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="trellis-transcript-2026-11-23.csv"'
    )
    assert response.content.decode() == (
        "completed_on,title,provider,source,category,amount,unit,hours,topics,approved_provider,"
        "counted,counted_unit,status\r\n"
        '2026-09-10,"ELL workshop, part 1",Region 13 ESC,offering,workshop,7.5,clock_hour,7.5,'
        "ell;reading,yes,7.5,cpe_hour,counted\r\n"
        "2026-05-20,'=HYPERLINK(evil),State University,offering,college_course,3,semester_hour,"
        "45,,,0,cpe_hour,not_counted\r\n"
        "2025-01-10,Before the cycle,Region 13 ESC,offering,workshop,2,clock_hour,2,,yes,0,"
        "cpe_hour,not_counted\r\n"
    )


def test_educators_see_only_their_own_transcript(cast, client_for):
    award(cast, educator=cast.eve, title="Eve's course")
    award(cast, educator=cast.bob, district=cast.district_b, title="Bob's course")

    page = text(client_for(cast.alice).get("/credit/transcript/"))

    assert "Eve's course" not in page
    assert "Bob's course" not in page


# ---------------------------------------------------------------------------------------------
# salary lanes
# ---------------------------------------------------------------------------------------------


def test_the_lanes_page_shows_the_standing_and_what_is_missing(cast, client_for):
    CreditSettings.objects.create(district=cast.district_a, hours_per_salary_credit=D(15))
    SalaryLaneFactory(district=cast.district_a, name="BA+15", position=1, credits_required=D(15))
    SalaryLaneFactory(
        district=cast.district_a,
        name="MA equivalent",
        position=2,
        credits_required=D(45),
        micro_credentials_required=30,
    )
    award(cast, amount=D(300))

    page = text(client_for(cast.alice).get("/credit/lanes/"))

    assert "20 salary-lane credits 0 micro-credentials BA+15 current lane" in page
    assert "300 clock hours of learning at 15 hours per credit." in page
    assert (
        "25 more salary-lane credits or 30 more micro-credentials to reach MA equivalent." in page
    )
    assert "BA+15 15 — Your lane" in page
    assert "MA equivalent 45 30 Next" in page


def test_the_lanes_page_without_lanes(cast, client_for):
    page = text(client_for(cast.alice).get("/credit/lanes/"))

    assert "Northfield has not set up salary lanes" in page


def test_the_navigation_links_the_credit_pages_by_permission(cast, client_for):
    educator_nav = client_for(cast.alice).get("/credit/renewal/").content.decode()
    admin_nav = client_for(cast.dana).get("/credit/renewal/").content.decode()

    assert 'href="/credit/renewal/"' in educator_nav
    assert 'href="/credit/manage/"' not in educator_nav
    assert 'href="/credit/manage/"' in admin_nav


def test_other_districts_awards_do_not_reach_the_pages(cast, client_for):
    CreditAwardFactory(district=cast.district_b, educator=cast.alice, title="Southport course")

    for url in ("/credit/renewal/", "/credit/transcript/", "/credit/transcript.csv"):
        assert "Southport course" not in client_for(cast.alice).get(url).content.decode()
