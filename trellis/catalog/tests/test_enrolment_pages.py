"""Enrolment pages: the request form and panel, My learning, withdrawing, an offering's
enrolments for managers; tenant boundaries and query budgets."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from trellis.catalog.models import Enrollment, EnrollmentStatus, OfferingStatus
from trellis.catalog.tests.enrolment_support import (
    ask,
    fresh,
    in_days,
    make_offering,
    paid,
    per_session,
    person,
    sessions_of,
    statuses,
)
from trellis.catalog.tests.factories import EnrollmentFactory
from trellis.districts.models import Role


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# ---------------------------------------------------------------------------------------------
# asking for a place
# ---------------------------------------------------------------------------------------------


def test_the_request_page_previews_the_approvals_and_sends_the_request(cast, client_for):
    offering = paid(cast, title="Number talks", capacity=10)
    client = client_for(cast.alice)

    page = client.get(f"/catalog/{offering.public_id}/enroll/")
    response = client.post(
        f"/catalog/{offering.public_id}/enroll/", {"note": "For my algebra classes"}
    )

    assert page.status_code == 200
    assert "10 seats left." in text(page)
    assert (
        "This will need approval from your principal (Northfield Middle), because it costs "
        "$120.00, then the district PD office, because it costs $120.00." in text(page)
    )
    assert response.status_code == 302
    assert response["Location"] == f"/catalog/{offering.public_id}/"
    enrollment = Enrollment.objects.get()
    assert (enrollment.status, enrollment.note) == ("pending", "For my algebra classes")
    after = text(client.get(f"/catalog/{offering.public_id}/enroll/"))
    assert (
        "Your request for “Number talks” is sent; it waits for approval from the principal of "
        "Northfield Middle. Your seat is held meanwhile." in after
    )
    assert "Your request waits for approval from the principal of Northfield Middle" in after


def test_a_free_offering_needs_no_approval(cast, client_for):
    offering = make_offering(cast, title="Book study")
    client = client_for(cast.alice)

    page = text(client.get(f"/catalog/{offering.public_id}/enroll/"))
    client.post(f"/catalog/{offering.public_id}/enroll/", {})

    assert "No approval is needed: you are enrolled as soon as you ask." in page
    assert "Open to everyone: no seat limit." in page
    assert statuses(offering) == [("alice", "enrolled")]


def test_a_per_session_offering_lists_sessions_with_their_seats(cast, client_for):
    offering = per_session(cast, [2, 1])
    first, second = sessions_of(offering)
    ask(cast, cast.eve, offering, session=second)
    client = client_for(cast.alice)

    page = text(client.get(f"/catalog/{offering.public_id}/enroll/"))
    missing = client.post(f"/catalog/{offering.public_id}/enroll/", {"note": "hi"})
    chosen = client.post(
        f"/catalog/{offering.public_id}/enroll/", {"session": str(first.public_id)}
    )

    assert "— 2 seats left" in page
    assert "— full, waitlist" in page
    assert missing.status_code == 400
    assert "Choose a session." in text(missing)
    assert ">hi</textarea>" in text(missing)  # the note is kept
    assert chosen.status_code == 302
    assert Enrollment.objects.get(educator=cast.alice).session == first


def test_a_full_offering_offers_the_waitlist(cast, client_for):
    offering = make_offering(cast, capacity=1)
    ask(cast, cast.eve, offering)
    client = client_for(cast.alice)

    page = text(client.get(f"/catalog/{offering.public_id}/enroll/"))
    client.post(f"/catalog/{offering.public_id}/enroll/", {})

    assert "Join the waitlist</button>" in page
    assert statuses(offering) == [("eve", "enrolled"), ("alice", "waitlisted")]
    assert "you are number 1 on the waitlist" in text(client.get("/learning/"))


def test_a_full_offering_without_a_waitlist_says_so_and_refuses(cast, client_for):
    offering = make_offering(cast, title="Small group", capacity=1, waitlist_enabled=False)
    ask(cast, cast.eve, offering)
    client = client_for(cast.alice)

    page = text(client.get(f"/catalog/{offering.public_id}/enroll/"))
    response = client.post(f"/catalog/{offering.public_id}/enroll/", {})

    assert "“Small group” is full and has no waitlist." in page
    assert '<form method="post" action="/catalog/' not in page
    assert response.status_code == 400
    assert "“Small group” is full and has no waitlist." in text(response)
    assert statuses(offering) == [("eve", "enrolled")]


def test_asking_twice_is_explained(cast, client_for):
    offering = make_offering(cast, title="Book study")
    client = client_for(cast.alice)
    client.post(f"/catalog/{offering.public_id}/enroll/", {})

    response = client.post(f"/catalog/{offering.public_id}/enroll/", {})

    assert response.status_code == 409
    assert "You already have a place or a request for “Book study” (enrolled)." in text(response)
    assert Enrollment.objects.count() == 1


def test_a_note_too_long_is_refused(cast, client_for):
    offering = make_offering(cast)

    response = client_for(cast.alice).post(
        f"/catalog/{offering.public_id}/enroll/", {"note": "x" * 2001}
    )

    assert response.status_code == 400
    assert "Ensure this value has at most 2000 characters (it has 2001)." in text(response)
    assert Enrollment.objects.count() == 0


def test_other_districts_and_unpublished_offerings_are_404(cast, client_for):
    theirs = make_offering(cast, district=cast.district_b)
    draft = make_offering(cast, status=OfferingStatus.DRAFT)
    client = client_for(cast.alice)

    assert client.get(f"/catalog/{theirs.public_id}/enroll/").status_code == 404
    assert client.post(f"/catalog/{theirs.public_id}/enroll/", {}).status_code == 404
    assert client.post(f"/catalog/{draft.public_id}/enroll/", {}).status_code == 404
    assert Enrollment.objects.count() == 0


def test_a_manager_sees_why_a_draft_is_closed(cast, client_for):
    draft = make_offering(cast, title="Coming soon", status=OfferingStatus.DRAFT)

    page = text(client_for(cast.dana).get(f"/catalog/{draft.public_id}/enroll/"))

    assert "“Coming soon” is draft, not published, so it is not open for enrolment." in page


# ---------------------------------------------------------------------------------------------
# My learning
# ---------------------------------------------------------------------------------------------


def test_my_learning_groups_the_enrolments(cast, client_for):
    upcoming = make_offering(cast, title="Upcoming workshop")
    waiting = paid(cast, title="Paid conference")
    full = make_offering(cast, title="Full workshop", capacity=1)
    ask(cast, cast.eve, full)
    over = make_offering(cast, title="Finished series", sessions=0)
    from trellis.catalog.tests.factories import OfferingSessionFactory

    OfferingSessionFactory(offering=over, starts_at=in_days(-3))
    ask(cast, cast.alice, upcoming)
    ask(cast, cast.alice, waiting)
    ask(cast, cast.alice, full)
    EnrollmentFactory(offering=over, educator=cast.alice, status=EnrollmentStatus.ENROLLED)
    EnrollmentFactory(
        offering=make_offering(cast, title="Done course"),
        educator=cast.alice,
        status=EnrollmentStatus.COMPLETED,
        completed_at=timezone.now(),
        credit_awarded=Decimal("6"),
    )
    EnrollmentFactory(
        offering=make_offering(cast, title="Dropped course"),
        educator=cast.alice,
        status=EnrollmentStatus.WITHDRAWN,
    )
    EnrollmentFactory(
        offering=make_offering(cast, title="Bob's course", district=cast.district_b),
        educator=cast.alice,
        district=cast.district_b,
    )

    page = text(client_for(cast.alice).get("/learning/"))

    sections = {
        name: page[page.index(f'id="{name}-h"') :]
        for name in ("upcoming", "waiting", "waitlist", "finish", "completed", "past")
    }
    assert "Upcoming workshop" in sections["upcoming"][: sections["upcoming"].index("</section>")]
    waiting_part = sections["waiting"][: sections["waiting"].index("</section>")]
    assert "Paid conference" in waiting_part
    assert "The principal of Northfield Middle" in waiting_part
    waitlist_part = sections["waitlist"][: sections["waitlist"].index("</section>")]
    assert "Full workshop" in waitlist_part
    assert "Number 1" in waitlist_part
    assert "Finished series" in sections["finish"][: sections["finish"].index("</section>")]
    completed_part = sections["completed"][: sections["completed"].index("</section>")]
    assert "Done course" in completed_part
    assert "<td>6</td>" in completed_part
    past_part = sections["past"][: sections["past"].index("</section>")]
    assert "Dropped course</th> <td>Withdrawn</td>" in past_part
    assert "Bob&#x27;s course" not in page
    assert "/learning/calendar/" in page


def test_my_learning_has_an_empty_state(cast, client_for):
    page = text(client_for(cast.alice).get("/learning/"))

    assert "You have no enrolments yet." in page
    assert 'href="/catalog/"' in page


def test_my_learning_links_to_the_completion_pages_by_name(cast, client_for):
    over = make_offering(cast, title="Finished series", sessions=0)
    from trellis.catalog.tests.factories import OfferingSessionFactory

    OfferingSessionFactory(offering=over, starts_at=in_days(-3))
    enrollment = EnrollmentFactory(offering=over, educator=cast.alice)

    page = text(client_for(cast.alice).get("/learning/"))

    # The completion pages belong to the attendance work; linked only when their URLs exist.
    from django.urls import NoReverseMatch, reverse

    for name in ("survey", "complete"):
        try:
            url = reverse(f"catalog:{name}", kwargs={"public_id": enrollment.public_id})
        except NoReverseMatch:
            continue
        assert f'href="{url}"' in page


def test_my_learning_query_count_does_not_grow_with_enrolments(
    cast, client_for, django_assert_max_num_queries
):
    client = client_for(cast.alice)

    def fill(n: int, start: int) -> None:
        for k in range(start, start + n):
            ask(cast, cast.alice, make_offering(cast, title=f"Free {k}", sessions=2))
            ask(cast, cast.alice, paid(cast, title=f"Paid {k}"))
            full = make_offering(cast, title=f"Full {k}", capacity=1)
            ask(cast, person(cast.district_a, f"x{k}@n.test", "X", [Role.EDUCATOR]), full)
            ask(cast, cast.alice, full)
            EnrollmentFactory(
                offering=make_offering(cast),
                educator=cast.alice,
                status=EnrollmentStatus.COMPLETED,
                completed_at=timezone.now(),
            )
            EnrollmentFactory(offering=make_offering(cast), educator=cast.alice, status="withdrawn")

    fill(1, 0)
    client.get("/learning/")
    with CaptureQueriesContext(connection) as few:
        client.get("/learning/")
    fill(4, 1)

    with django_assert_max_num_queries(14), CaptureQueriesContext(connection) as many:
        response = client.get("/learning/")

    assert text(response).count("Paid ") >= 5
    assert len(many) == len(few)


# ---------------------------------------------------------------------------------------------
# withdrawing
# ---------------------------------------------------------------------------------------------


def test_withdrawing_asks_for_confirmation_first(cast, client_for):
    offering = make_offering(cast, title="Book study", capacity=1)
    enrollment = ask(cast, cast.alice, offering)
    ask(cast, cast.eve, offering)
    client = client_for(cast.alice)

    confirm = client.get(f"/learning/{enrollment.public_id}/withdraw/")
    unchanged = fresh(enrollment).status
    response = client.post(
        f"/learning/{enrollment.public_id}/withdraw/", {"reason": "Schedule clash"}
    )

    assert confirm.status_code == 200
    assert "<h1>Withdraw from “Book study”?</h1>" in text(confirm)
    assert "The seat is released and goes to the first person on the waitlist." in text(confirm)
    assert unchanged == "enrolled"  # the GET changed nothing
    assert response.status_code == 302
    assert response["Location"] == "/learning/"
    assert statuses(offering) == [("alice", "withdrawn"), ("eve", "enrolled")]


def test_withdrawing_twice_is_explained(cast, client_for):
    enrollment = ask(cast, cast.alice, make_offering(cast))
    client = client_for(cast.alice)
    client.post(f"/learning/{enrollment.public_id}/withdraw/", {})

    page = client.get(f"/learning/{enrollment.public_id}/withdraw/")
    again = client.post(f"/learning/{enrollment.public_id}/withdraw/", {})

    assert "there is nothing to withdraw" in text(page)
    assert again.status_code == 409


def test_someone_elses_or_another_districts_enrolment_is_404(cast, client_for):
    enrollment = ask(cast, cast.alice, make_offering(cast))
    path = f"/learning/{enrollment.public_id}/withdraw/"

    assert client_for(cast.eve).post(path).status_code == 404
    assert client_for(cast.bea).post(path).status_code == 404
    assert client_for(cast.bob).get(path).status_code == 404
    assert fresh(enrollment).status == "enrolled"


def test_a_manager_withdraws_an_educator_from_the_offerings_enrolments(cast, client_for):
    offering = make_offering(cast, title="Book study")
    enrollment = ask(cast, cast.alice, offering)

    response = client_for(cast.dana).post(
        f"/learning/{enrollment.public_id}/withdraw/", {"reason": "Left"}
    )

    assert response["Location"] == f"/catalog/{offering.public_id}/enrollments/"
    assert fresh(enrollment).status == "withdrawn"


# ---------------------------------------------------------------------------------------------
# an offering's enrolments, for managers
# ---------------------------------------------------------------------------------------------


def test_managers_see_an_offerings_enrolments(cast, client_for):
    offering = paid(cast, title="Number talks", capacity=1)
    ask(cast, cast.alice, offering)
    ask(cast, cast.eve, offering)
    client = client_for(cast.dana)

    page = text(client.get(f"/catalog/{offering.public_id}/enrollments/"))
    filtered = text(client.get(f"/catalog/{offering.public_id}/enrollments/?status=waitlisted"))

    assert "Alice Archer" in page
    assert "Waiting for approval" in page
    assert "On the waitlist (number 1)" in page
    assert "Alice Archer" not in filtered
    assert "Eve Evans" in filtered


def test_an_offerings_enrolments_are_for_managers_of_its_district(cast, client_for):
    path = f"/catalog/{make_offering(cast).public_id}/enrollments/"

    assert client_for(cast.alice).get(path).status_code == 403
    assert client_for(cast.bea).get(path).status_code == 404


@pytest.mark.parametrize("who", ["alice", "pat", "dana"])
def test_the_nav_links_my_learning_and_approvals_by_role(cast, client_for, who):
    page = text(client_for(getattr(cast, who)).get("/learning/"))

    assert '<a href="/learning/" aria-current="page">My learning</a>' in page
    assert ('<a href="/approvals/">Approvals</a>' in page) == (who != "alice")
