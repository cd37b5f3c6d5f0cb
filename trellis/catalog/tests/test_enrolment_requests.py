"""Asking for a place: validation, approval chains built from the district's rules (and the
default chain), automatic approval, seats and the waitlist, notifications and audit rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404

from trellis.audit.models import AuditEvent
from trellis.catalog.models import (
    ApprovalRule,
    ApprovalStep,
    Enrollment,
    EnrollmentStatus,
    OfferingSession,
    OfferingStatus,
)
from trellis.catalog.services.chains import set_approval_chain
from trellis.catalog.tests.enrolment_support import (
    ask,
    in_days,
    make_offering,
    paid,
    per_session,
    person,
    rules,
    sessions_of,
    statuses,
    steps,
)
from trellis.catalog.tests.factories import OfferingFactory, OfferingSessionFactory
from trellis.core.errors import ConflictError, DomainError
from trellis.districts.models import Role

PENDING, ENROLLED, WAITLISTED = "pending", "enrolled", "waitlisted"
MIDDLE = "Northfield Middle"


def chain(cast, *specs: tuple[str, str, int]) -> None:
    set_approval_chain(access=cast.access(cast.dana), actor=cast.dana, rules=list(specs))


def nothing_written() -> tuple[int, int, int]:
    return (
        Enrollment.objects.count(),
        ApprovalStep.objects.count(),
        AuditEvent.objects.filter(action__startswith="enrollment.").count(),
    )


# ---------------------------------------------------------------------------------------------
# the default chain
# ---------------------------------------------------------------------------------------------


def test_a_paid_offering_needs_the_principal_then_the_pd_office_by_default(cast):
    offering = paid(cast)

    enrollment = ask(cast, cast.alice, offering, note="For my algebra classes")

    assert enrollment.status == PENDING
    assert enrollment.school == cast.middle_a
    assert enrollment.note == "For my algebra classes"
    assert steps(enrollment) == [
        (1, "principal", MIDDLE, "pending"),
        (2, "pd_office", None, "waiting"),
    ]
    first, second = enrollment.approval_steps.order_by("position")
    assert first.reason_required == "cost_or_school_hours"
    assert second.reason_required == "cost"
    assert abs(first.due_at - (enrollment.requested_at + dt.timedelta(days=5))) < dt.timedelta(
        seconds=1
    )
    assert second.due_at is None


def test_the_default_chain_is_saved_on_first_use_with_an_audit_row(cast):
    assert rules(cast.district_a) == []

    ask(cast, cast.alice, make_offering(cast))

    assert rules(cast.district_a) == [
        (1, "principal", "cost_or_school_hours", 5),
        (2, "pd_office", "cost", 5),
    ]
    event = AuditEvent.objects.get(action="approval_chain.updated")
    assert event.district == cast.district_a
    assert event.data["default"] is True
    assert rules(cast.district_b) == []


def test_school_hours_alone_need_only_the_principal_by_default(cast):
    enrollment = ask(cast, cast.alice, make_offering(cast, during_school_hours=True))

    assert steps(enrollment) == [(1, "principal", MIDDLE, "pending")]


def test_a_free_offering_outside_school_hours_is_approved_automatically(cast):
    enrollment = ask(cast, cast.alice, make_offering(cast))

    assert enrollment.status == ENROLLED
    assert enrollment.decided_at is not None
    assert steps(enrollment) == []


def test_an_emptied_chain_stays_empty_and_approves_everything(cast):
    chain(cast)  # an admin saved an empty chain

    enrollment = ask(cast, cast.alice, paid(cast, during_school_hours=True))

    assert enrollment.status == ENROLLED
    assert rules(cast.district_a) == []


# ---------------------------------------------------------------------------------------------
# each condition of a configured chain
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "cost", "school_hours", "applies"),
    [
        ("always", "0", False, True),
        ("cost", "25", False, True),
        ("cost", "0", True, False),
        ("school_hours", "0", True, True),
        ("school_hours", "25", False, False),
        ("cost_or_school_hours", "25", False, True),
        ("cost_or_school_hours", "0", True, True),
        ("cost_or_school_hours", "0", False, False),
    ],
)
def test_each_condition_adds_its_step_only_when_it_applies(
    cast, condition, cost, school_hours, applies
):
    chain(cast, ("principal", condition, 3))
    offering = make_offering(cast, cost=Decimal(cost), during_school_hours=school_hours)

    enrollment = ask(cast, cast.alice, offering)

    if applies:
        assert enrollment.status == PENDING
        assert steps(enrollment) == [(1, "principal", MIDDLE, "pending")]
        step = enrollment.approval_steps.get()
        assert step.reason_required == condition
        assert abs(step.due_at - (enrollment.requested_at + dt.timedelta(days=3))) < (
            dt.timedelta(seconds=1)
        )
    else:
        assert (enrollment.status, steps(enrollment)) == (ENROLLED, [])


def test_rules_apply_in_their_order(cast):
    chain(cast, ("pd_office", "always", 2), ("principal", "cost", 4))

    enrollment = ask(cast, cast.alice, paid(cast))

    assert steps(enrollment) == [
        (1, "pd_office", None, "pending"),
        (2, "principal", MIDDLE, "waiting"),
    ]


def test_a_principal_step_goes_to_the_pd_office_when_the_school_has_no_approver(cast):
    # Northfield Elementary has no approver in the cast.
    enrollment = ask(cast, cast.eve, paid(cast))

    assert enrollment.school == cast.elementary_a
    assert steps(enrollment) == [(1, "pd_office", None, "pending")]  # two PD steps are one


def test_a_principal_step_goes_to_the_pd_office_for_an_educator_without_a_school(cast):
    floater = person(cast.district_a, "fay@northfield.test", "Fay Fox", [Role.EDUCATOR])

    enrollment = ask(cast, floater, make_offering(cast, during_school_hours=True))

    assert enrollment.school is None
    assert steps(enrollment) == [(1, "pd_office", None, "pending")]


def test_a_principal_never_approves_their_own_request(cast):
    enrollment = ask(cast, cast.pat, make_offering(cast, during_school_hours=True))

    assert steps(enrollment) == [(1, "pd_office", None, "pending")]


def test_a_co_principal_decides_a_principals_own_request(cast):
    person(cast.district_a, "cody@northfield.test", "Cody", [Role.APPROVER], cast.middle_a)

    enrollment = ask(cast, cast.pat, make_offering(cast, during_school_hours=True))

    assert steps(enrollment) == [(1, "principal", MIDDLE, "pending")]


# ---------------------------------------------------------------------------------------------
# bad requests: a clear message, nothing written
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "code", "message"),
    [
        (
            {"status": OfferingStatus.DRAFT},
            "enrolment_closed",
            "“Coaching moves” is draft, not published, so it is not open for enrolment.",
        ),
        (
            {"enrolment_opens": False},
            "enrolment_closed",
            "“Coaching moves” is listed for information only; enrolment is not open.",
        ),
    ],
)
def test_an_offering_that_is_not_open_refuses_requests(cast, change, code, message):
    offering = make_offering(cast, title="Coaching moves", **change)

    with pytest.raises(DomainError) as caught:
        ask(cast, cast.alice, offering)

    assert (caught.value.code, caught.value.message) == (code, message)
    assert nothing_written() == (0, 0, 0)


def test_an_offering_whose_sessions_are_over_refuses_requests(cast):
    offering = OfferingFactory(district=cast.district_a, title="Last spring")
    OfferingSessionFactory(offering=offering, starts_at=in_days(-30))

    with pytest.raises(DomainError) as caught:
        ask(cast, cast.alice, offering)

    assert caught.value.message == (
        "“Last spring” has no upcoming sessions: it has already taken place."
    )
    assert nothing_written() == (0, 0, 0)


def test_an_offering_without_sessions_is_open(cast):
    offering = make_offering(cast, sessions=0)

    assert ask(cast, cast.alice, offering).status == ENROLLED


def test_another_districts_offering_is_not_found(cast):
    offering = make_offering(cast, district=cast.district_b)

    with pytest.raises(Http404):
        ask(cast, cast.alice, offering)

    assert nothing_written() == (0, 0, 0)


def test_a_second_request_for_the_same_offering_is_a_conflict(cast):
    offering = paid(cast, title="Number talks")
    ask(cast, cast.alice, offering)

    with pytest.raises(ConflictError) as caught:
        ask(cast, cast.alice, offering)

    assert caught.value.status == 409
    assert caught.value.message == (
        "You already have a place or a request for “Number talks” (waiting for approval). "
        "See My learning."
    )
    assert Enrollment.objects.count() == 1


def test_a_new_request_is_allowed_after_a_withdrawal(cast):
    offering = make_offering(cast)
    first = ask(cast, cast.alice, offering)
    first.status = EnrollmentStatus.WITHDRAWN
    first.save()

    assert ask(cast, cast.alice, offering).status == ENROLLED


def test_a_note_longer_than_2000_characters_is_refused(cast):
    with pytest.raises(DomainError) as caught:
        ask(cast, cast.alice, make_offering(cast), note="x" * 2001)

    assert caught.value.code == "note_too_long"
    assert caught.value.message == "The note is too long: at most 2000 characters (2001 given)."
    assert nothing_written() == (0, 0, 0)


def test_a_per_session_offering_needs_an_upcoming_session_of_its_own(cast):
    offering = per_session(cast, [5, 5], title="Math lab")
    other = per_session(cast, [5])
    first, second = sessions_of(offering)
    second.status = OfferingSession.Status.CANCELLED
    second.save()
    past = OfferingSessionFactory(offering=offering, starts_at=in_days(-1))

    problems = []
    for session in (None, sessions_of(other)[0], second, past):
        with pytest.raises(DomainError) as caught:
            ask(cast, cast.alice, offering, session=session)
        problems.append(caught.value.code)

    assert problems == ["session_required", "unknown_session", "session_cancelled", "session_past"]
    assert nothing_written() == (0, 0, 0)
    assert ask(cast, cast.alice, offering, session=first).session == first


def test_a_whole_offering_registration_takes_no_session(cast):
    offering = make_offering(cast, title="Series")

    with pytest.raises(DomainError) as caught:
        ask(cast, cast.alice, offering, session=sessions_of(offering)[0])

    assert caught.value.message == (
        "“Series” is one registration for all of its sessions; do not choose a session."
    )
    assert nothing_written() == (0, 0, 0)


# ---------------------------------------------------------------------------------------------
# seats and the waitlist
# ---------------------------------------------------------------------------------------------


def test_requests_beyond_capacity_go_to_the_waitlist_in_order(cast):
    offering = paid(cast, capacity=2)

    for user in (cast.alice, cast.eve, cast.carol, cast.ada):
        ask(cast, user, offering)

    assert statuses(offering) == [
        ("alice", PENDING),  # a pending request holds its seat
        ("eve", PENDING),
        ("carol", WAITLISTED),
        ("ada", WAITLISTED),
    ]
    carol = Enrollment.objects.get(educator=cast.carol)
    assert carol.waitlisted_at is not None
    assert carol.approval_steps.count() == 0  # the chain starts when a seat comes


def test_a_full_offering_without_a_waitlist_refuses(cast):
    offering = make_offering(cast, title="Small group", capacity=1, waitlist_enabled=False)
    ask(cast, cast.alice, offering)

    with pytest.raises(DomainError) as caught:
        ask(cast, cast.eve, offering)

    assert (caught.value.code, caught.value.message) == (
        "offering_full",
        "“Small group” is full and has no waitlist.",
    )
    assert statuses(offering) == [("alice", ENROLLED)]


def test_each_session_has_its_own_seats(cast):
    offering = per_session(cast, [1, 1])
    first, second = sessions_of(offering)

    ask(cast, cast.alice, offering, session=first)
    ask(cast, cast.eve, offering, session=first)
    ask(cast, cast.carol, offering, session=second)

    assert statuses(offering) == [("alice", ENROLLED), ("eve", WAITLISTED), ("carol", ENROLLED)]


def test_a_per_session_offering_ignores_the_offering_capacity(cast):
    offering = per_session(cast, [None], capacity=1)
    session = sessions_of(offering)[0]

    ask(cast, cast.alice, offering, session=session)
    ask(cast, cast.eve, offering, session=session)

    assert statuses(offering) == [("alice", ENROLLED), ("eve", ENROLLED)]


def test_free_seats_go_to_people_already_waiting_before_a_newcomer(cast):
    offering = make_offering(cast, capacity=1)
    ask(cast, cast.alice, offering)
    ask(cast, cast.eve, offering)
    offering.capacity = 2  # raised by a manager, without promoting
    offering.save()

    ask(cast, cast.carol, offering)

    assert statuses(offering) == [("alice", ENROLLED), ("eve", ENROLLED), ("carol", WAITLISTED)]


# ---------------------------------------------------------------------------------------------
# audit and notifications
# ---------------------------------------------------------------------------------------------


def test_each_request_is_audited(cast):
    offering = paid(cast, title="Number talks", capacity=1)

    first = ask(cast, cast.alice, offering)
    ask(cast, cast.eve, offering)

    events = list(
        AuditEvent.objects.filter(action__startswith="enrollment.")
        .order_by("id")
        .values_list("action", "summary", "target_id")
    )
    assert events == [
        (
            "enrollment.requested",
            "alice@northfield.test asked to enrol in “Number talks”: 2 approval step(s)",
            str(first.public_id),
        ),
        (
            "enrollment.waitlisted",
            "eve@northfield.test is number 1 on the waitlist of “Number talks”",
            str(Enrollment.objects.get(educator=cast.eve).public_id),
        ),
    ]


def test_the_educator_and_the_principal_are_told(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    offering = paid(cast, title="Number talks")

    with django_capture_on_commit_callbacks(execute=True):
        enrollment = ask(cast, cast.alice, offering, note="For my algebra classes")

    step = enrollment.approval_steps.get(position=1)
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["pat@northfield.test"], "Trellis: A request waits for your decision: Number talks"),
        (["alice@northfield.test"], "Trellis: Waiting for approval: Number talks"),
    ]
    to_pat, to_alice = (m.body for m in mailoutbox)
    assert "Alice Archer asks to take part in “Number talks”." in to_pat
    assert "Cost: $120.00." in to_pat
    assert "Their note: For my algebra classes" in to_pat
    assert f"/approvals/{step.public_id}/" in to_pat
    assert "It now waits for approval from the principal of Northfield Middle (by " in to_alice
    assert "After that: the district PD office." in to_alice
    assert "/learning/" in to_alice


def test_automatic_enrolment_and_the_waitlist_are_told(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    offering = make_offering(cast, title="Book study", capacity=1)

    with django_capture_on_commit_callbacks(execute=True):
        ask(cast, cast.alice, offering)
        ask(cast, cast.eve, offering)

    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["alice@northfield.test"], "Trellis: You are enrolled: Book study"),
        (["eve@northfield.test"], "Trellis: On the waitlist: Book study"),
    ]
    assert "You are enrolled: no approval is needed." in mailoutbox[0].body
    assert "so you are on its waitlist (number 1)" in mailoutbox[1].body


def test_a_rolled_back_request_sends_nothing(cast, mailoutbox, django_capture_on_commit_callbacks):
    offering = make_offering(cast, capacity=1, waitlist_enabled=False)
    ask(cast, cast.alice, offering)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        ask(cast, cast.eve, offering)

    assert mailoutbox == []
    assert ApprovalRule.objects.filter(district=cast.district_a).count() == 2
