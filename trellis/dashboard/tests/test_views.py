"""The home page of every role, its query budget, and the shared error pages."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trellis.accounts.models import User
from trellis.audit import services as audit
from trellis.districts.tests.helpers import add_people, make_invitation
from trellis.recommend import inputs


def text(response) -> str:
    return response.content.decode()


def stats(content: str) -> list[tuple[str, str]]:
    return re.findall(
        r'<span class="value">(\d+)</span><span class="label">([^<]+)</span>', content
    )


# Queries for one home page: session, user, districts, roles, then the panels of the role.
# The "Your learning" card costs 6 (next sessions, waiting requests, renewal progress's 4) and
# 7 for approvers (their inbox count). The "Recommended for you" card costs 11 once the
# district's catalog arrays are cached (2 for the catalog version, 9 for the educator's inputs:
# the profile and renewal progress come from the panels above, not read again); the cold build
# is guarded in trellis/recommend/tests/test_home_card.py.
RECOMMENDATIONS_CARD = 11
HOME_QUERY_BUDGET = {
    "alice": 15 + RECOMMENDATIONS_CARD,
    "carol": 18 + RECOMMENDATIONS_CARD,
    "ada": 15 + RECOMMENDATIONS_CARD,
    "pat": 19 + RECOMMENDATIONS_CARD,
    "dana": 21 + RECOMMENDATIONS_CARD,
    "eve": 15 + RECOMMENDATIONS_CARD,
    "bob": 15 + RECOMMENDATIONS_CARD,
    "bea": 21 + RECOMMENDATIONS_CARD,
}


@pytest.fixture(autouse=True)
def _fresh_catalog_cache():
    """The recommendations card caches each district's catalog arrays per process."""
    inputs.clear_catalog_cache()
    yield
    inputs.clear_catalog_cache()


@pytest.mark.parametrize(("who", "budget"), HOME_QUERY_BUDGET.items())
def test_every_cast_member_gets_their_home_page_within_a_fixed_query_budget(
    cast, client_for, django_assert_max_num_queries, who, budget
):
    user = getattr(cast, who)
    client = client_for(user)
    client.get("/")  # warm the district's catalog arrays

    with django_assert_max_num_queries(budget):
        response = client.get("/")

    assert response.status_code == 200
    assert f"<h1>Welcome, {user.display_name}</h1>" in text(response)


@pytest.mark.parametrize("who", ["dana", "pat"])
def test_the_home_page_costs_the_same_queries_with_many_more_people_and_events(
    cast, client_for, who
):
    client = client_for(getattr(cast, who))
    client.get("/")  # warm the district's catalog arrays
    with CaptureQueriesContext(connection) as small:
        client.get("/")
    add_people(cast.district_a, 40, school=cast.middle_a)
    make_invitation(cast.district_a, "pending@example.org")
    for n in range(20):
        audit.record(
            action="test.event", summary=f"e{n}", actor=cast.dana, district=cast.district_a
        )

    with CaptureQueriesContext(connection) as large:
        client.get("/")

    assert len(large) == len(small)


def test_an_educator_sees_their_learner_profile_and_no_staff_or_admin_panels(cast, client_for):
    content = text(client_for(cast.alice).get("/"))

    assert "Northfield · Educator" in content
    assert "<dd>1 year · Novice (0–3 years)</dd>" in content
    assert "<dt>School</dt><dd>Northfield Middle</dd>" in content
    assert "Educators at" not in content
    assert "Your district at a glance" not in content
    assert "Latest in the audit log" not in content


def test_a_principal_sees_the_career_stages_of_their_school(cast, client_for):
    content = text(client_for(cast.pat).get("/"))

    assert '<h2 id="staff-h">Educators at Northfield Middle</h2>' in content
    assert "<p>3 educators by career stage.</p>" in content
    assert "Your district at a glance" not in content


def test_an_admin_sees_the_whole_district_at_a_glance(cast, client_for):
    make_invitation(cast.district_a, "pending@example.org")
    make_invitation(cast.district_b, "south@example.org")
    audit.record(
        action="districts.school_created",
        summary="Added school Lakeview",
        actor=cast.dana,
        district=cast.district_a,
    )

    content = text(client_for(cast.dana).get("/"))

    assert stats(content) == [
        ("5", "Educators"),
        ("1", "Coach or mentor"),
        ("1", "Assessor"),
        ("1", "Principal / approver"),
        ("1", "District PD leader"),
        ("2", "Schools"),
        ("1", "Pending invitation"),
    ]
    assert '<h2 id="staff-h">Educators in Northfield</h2>' in content
    assert "<p>6 educators by career stage.</p>" in content
    assert "Added school Lakeview" in content


def test_the_other_districts_admin_sees_only_their_district(cast, client_for):
    make_invitation(cast.district_a, "pending@example.org")

    content = text(client_for(cast.bea).get("/"))

    assert stats(content) == [
        ("1", "Educator"),
        ("0", "Coach or mentors"),
        ("0", "Assessors"),
        ("0", "Principal / approvers"),
        ("1", "District PD leader"),
        ("1", "School"),
        ("0", "Pending invitations"),
    ]
    assert "<p>2 educators by career stage.</p>" in content


def test_recent_activity_shows_only_the_signed_in_persons_own_actions(cast, client_for):
    audit.record(action="x.mine", summary="Alice did a thing", actor=cast.alice)
    audit.record(action="x.theirs", summary="Eve did a thing", actor=cast.eve)

    content = text(client_for(cast.alice).get("/"))

    assert "Alice did a thing" in content
    assert "Eve did a thing" not in content


def test_someone_without_a_district_is_told_to_ask_for_an_invitation(db, client_for):
    loner = User.objects.create_user("loner@example.org", "x" * 12, full_name="Lone Ranger")

    response = client_for(loner).get("/")

    assert response.status_code == 200
    assert "You are not in a district yet" in text(response)


def test_signed_out_visitors_are_sent_to_sign_in(db, client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_the_health_check_reports_the_database(db, client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": connection.vendor}
    assert "no-cache" in response["Cache-Control"]


def test_an_unknown_address_gets_the_friendly_404_page(cast, client_for):
    response = client_for(cast.alice).get("/no/such/page/")

    assert response.status_code == 404
    assert "Page not found" in text(response)


def test_the_error_handlers_render_their_pages(rf, db):
    from django.contrib.auth.models import AnonymousUser

    from trellis.dashboard import views

    request = rf.get("/")
    request.user = AnonymousUser()
    request.access = None

    assert views.permission_denied(request).status_code == 403
    assert views.page_not_found(request).status_code == 404
    assert views.server_error(request).status_code == 500


def test_the_home_page_shows_the_next_sessions_waiting_requests_and_renewal(cast, client_for):
    import datetime as dt

    from django.utils import timezone

    from trellis.catalog.tests.factories import (
        EnrollmentFactory,
        OfferingFactory,
        OfferingSessionFactory,
    )
    from trellis.credit.tests.factories import LicenseFactory

    soon = OfferingFactory(district=cast.district_a, title="Hinge questions")
    OfferingSessionFactory(offering=soon, starts_at=timezone.now() + dt.timedelta(days=2))
    EnrollmentFactory(offering=soon, educator=cast.alice)
    paid = OfferingFactory(district=cast.district_a, title="Sentence frames")
    OfferingSessionFactory(offering=paid, starts_at=timezone.now() + dt.timedelta(days=9))
    EnrollmentFactory(offering=paid, educator=cast.alice, status="pending")
    LicenseFactory(district=cast.district_a, educator=cast.alice)

    html = client_for(cast.alice).get("/").content.decode()

    assert '<h2 id="learning-h">Your learning</h2>' in html
    assert ">Hinge questions</a>" in html
    assert ">Sentence frames</a>" in html
    assert "1 request waiting for approval." in html
    assert "Renewal: <strong>0 of 150 CPE hours</strong>" in html
    assert "waiting for your decision" not in html


def test_an_approver_home_page_counts_the_requests_waiting_for_them(cast, client_for):
    from decimal import Decimal

    from trellis.catalog.services.enrolment import request_enrollment
    from trellis.catalog.tests.factories import OfferingFactory

    paid = OfferingFactory(district=cast.district_a, title="Summer institute", cost=Decimal(120))
    request_enrollment(access=cast.access(cast.alice), actor=cast.alice, offering=paid)

    html = client_for(cast.pat).get("/").content.decode()

    assert "<strong>1 request</strong> waiting for your decision" in html
