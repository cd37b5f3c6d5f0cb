"""Withdrawals and the waitlist: a freed seat goes to the oldest waitlisted request, which then
goes through the approval chain; who may withdraw, and when not."""

from __future__ import annotations

import pytest
from django.http import Http404

from trellis.audit.models import AuditEvent
from trellis.catalog.models import EnrollmentStatus
from trellis.catalog.services.enrolment import promote_waitlist
from trellis.catalog.tests.enrolment_support import (
    ask,
    decide,
    fresh,
    in_days,
    leave,
    make_offering,
    paid,
    per_session,
    sessions_of,
    statuses,
    steps,
)
from trellis.catalog.tests.factories import EnrollmentFactory, OfferingSessionFactory
from trellis.core.errors import ConflictError, PermissionDenied

PENDING, ENROLLED, WAITLISTED, WITHDRAWN, DENIED = (
    "pending",
    "enrolled",
    "waitlisted",
    "withdrawn",
    "denied",
)


def test_a_withdrawal_gives_the_seat_to_the_oldest_waitlisted_request(cast):
    offering = make_offering(cast, capacity=1)
    alice = ask(cast, cast.alice, offering)
    ask(cast, cast.eve, offering)
    ask(cast, cast.carol, offering)

    leave(cast, cast.alice, alice, reason="Schedule clash")

    assert statuses(offering) == [("alice", WITHDRAWN), ("eve", ENROLLED), ("carol", WAITLISTED)]
    alice = fresh(alice)
    assert alice.withdrawn_at is not None
    promoted = AuditEvent.objects.get(action="enrollment.promoted")
    assert promoted.summary == (
        f"A place opened: eve@northfield.test moved from the waitlist of “{offering.title}” "
        "to enrolled"
    )
    assert promoted.actor == cast.alice
    withdrawn = AuditEvent.objects.get(action="enrollment.withdrawn")
    assert withdrawn.data == {"from": "enrolled", "reason": "Schedule clash"}


def test_a_promoted_request_goes_through_the_approval_chain(cast):
    offering = paid(cast, capacity=1)
    alice = ask(cast, cast.alice, offering)
    carol = ask(cast, cast.carol, offering)

    leave(cast, cast.alice, alice)

    carol = fresh(carol)
    assert carol.status == PENDING
    assert steps(carol) == [
        (1, "principal", "Northfield Middle", "pending"),
        (2, "pd_office", None, "waiting"),
    ]
    assert steps(fresh(alice)) == [
        (1, "principal", "Northfield Middle", "cancelled"),
        (2, "pd_office", None, "cancelled"),
    ]


def test_a_denial_frees_the_seat_for_the_waitlist(cast):
    offering = paid(cast, capacity=1)
    alice = ask(cast, cast.alice, offering)
    ask(cast, cast.eve, offering)

    decide(cast, cast.pat, alice, approve=False, reason="No budget left this term")

    assert statuses(offering) == [("alice", DENIED), ("eve", PENDING)]


def test_leaving_the_waitlist_promotes_nobody(cast):
    offering = make_offering(cast, capacity=1)
    ask(cast, cast.alice, offering)
    eve = ask(cast, cast.eve, offering)
    ask(cast, cast.carol, offering)

    leave(cast, cast.eve, eve)

    assert statuses(offering) == [("alice", ENROLLED), ("eve", WITHDRAWN), ("carol", WAITLISTED)]
    assert not AuditEvent.objects.filter(action="enrollment.promoted").exists()


def test_a_session_seat_goes_to_that_sessions_waitlist_only(cast):
    offering = per_session(cast, [1, 1])
    first, second = sessions_of(offering)
    alice = ask(cast, cast.alice, offering, session=first)
    ask(cast, cast.eve, offering, session=second)
    ask(cast, cast.carol, offering, session=second)  # waits for the second session
    ask(cast, cast.ada, offering, session=first)  # waits for the first session

    leave(cast, cast.alice, alice)

    assert statuses(offering) == [
        ("alice", WITHDRAWN),
        ("eve", ENROLLED),
        ("carol", WAITLISTED),
        ("ada", ENROLLED),
    ]


def test_promote_waitlist_fills_a_raised_capacity(cast):
    offering = make_offering(cast, capacity=1)
    for user in (cast.alice, cast.eve, cast.carol, cast.ada):
        ask(cast, user, offering)
    offering.capacity = 3
    offering.save()

    promoted = promote_waitlist(offering, actor=cast.dana)

    assert [e.educator.email for e in promoted] == ["eve@northfield.test", "carol@northfield.test"]
    assert statuses(offering)[-1] == ("ada", WAITLISTED)


def test_nobody_is_promoted_into_a_session_that_has_started(cast):
    offering = per_session(cast, [1])
    session = sessions_of(offering)[0]
    alice = ask(cast, cast.alice, offering, session=session)
    ask(cast, cast.eve, offering, session=session)
    session.starts_at = in_days(-1)
    session.ends_at = in_days(-0.9)
    session.save()

    leave(cast, cast.alice, alice)

    assert statuses(offering) == [("alice", WITHDRAWN), ("eve", WAITLISTED)]


def test_the_educator_is_told_about_the_withdrawal_and_the_promotion(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    offering = make_offering(cast, title="Book study", capacity=1)
    alice = ask(cast, cast.alice, offering)
    ask(cast, cast.eve, offering)

    with django_capture_on_commit_callbacks(execute=True):
        leave(cast, cast.alice, alice, reason="Schedule clash")

    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["alice@northfield.test"], "Trellis: Withdrawn: Book study"),
        (["eve@northfield.test"], "Trellis: You are enrolled: Book study"),
    ]
    assert "You withdrew from “Book study”. Your place is released." in mailoutbox[0].body
    assert "Reason: Schedule clash" in mailoutbox[0].body
    assert "A place opened up in “Book study” and it is yours." in mailoutbox[1].body


# ---------------------------------------------------------------------------------------------
# who may withdraw, and when
# ---------------------------------------------------------------------------------------------


def test_a_district_admin_may_withdraw_an_educator(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    enrollment = ask(cast, cast.alice, make_offering(cast, title="Book study"))

    with django_capture_on_commit_callbacks(execute=True):
        leave(cast, cast.dana, enrollment, reason="Left the district")

    assert fresh(enrollment).status == WITHDRAWN
    assert AuditEvent.objects.get(action="enrollment.withdrawn").summary == (
        "dana@northfield.test withdrew alice@northfield.test from “Book study”"
    )
    assert "Dana Diaz withdrew you from “Book study”." in mailoutbox[0].body


def test_another_educator_may_not_withdraw_someone(cast):
    enrollment = ask(cast, cast.alice, make_offering(cast))

    with pytest.raises(PermissionDenied):
        leave(cast, cast.eve, enrollment)
    with pytest.raises(PermissionDenied):
        leave(cast, cast.pat, enrollment)  # an approver does not manage enrolments

    assert fresh(enrollment).status == ENROLLED


def test_another_districts_enrolment_is_not_found(cast):
    enrollment = ask(cast, cast.alice, make_offering(cast))

    with pytest.raises(Http404):
        leave(cast, cast.bea, enrollment)


@pytest.mark.parametrize(
    ("status", "code", "message"),
    [
        (
            EnrollmentStatus.COMPLETED,
            "already_completed",
            "“Book study” is completed; a completed enrolment cannot be withdrawn.",
        ),
        (EnrollmentStatus.WITHDRAWN, "not_active", "This enrolment is already closed (withdrawn)."),
        (EnrollmentStatus.DENIED, "not_active", "This enrolment is already closed (not approved)."),
        (
            EnrollmentStatus.NO_SHOW,
            "not_active",
            "This enrolment is already closed (did not attend).",
        ),
    ],
)
def test_a_closed_enrolment_cannot_be_withdrawn(cast, status, code, message):
    offering = make_offering(cast, title="Book study")
    enrollment = EnrollmentFactory(offering=offering, educator=cast.alice, status=status)

    with pytest.raises(ConflictError) as caught:
        leave(cast, cast.alice, enrollment)

    assert (caught.value.code, caught.value.message) == (code, message)
    assert fresh(enrollment).status == status
    assert not AuditEvent.objects.filter(action="enrollment.withdrawn").exists()


def test_a_whole_offering_keeps_promoting_while_it_has_upcoming_sessions(cast):
    offering = make_offering(cast, capacity=1, sessions=0)
    OfferingSessionFactory(offering=offering, starts_at=in_days(-7))  # the series has begun
    OfferingSessionFactory(offering=offering, starts_at=in_days(7))
    alice = ask(cast, cast.alice, offering)
    ask(cast, cast.eve, offering)

    leave(cast, cast.alice, alice)

    assert statuses(offering) == [("alice", WITHDRAWN), ("eve", ENROLLED)]
