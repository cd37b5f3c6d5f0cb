"""Self check-in with the session code: the window, wrong codes, other districts, seats,
idempotence, the throttle and the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from trellis.audit.models import AuditEvent
from trellis.catalog.models import AttendanceRecord, EnrollmentStatus, OfferingSession, Registration
from trellis.catalog.services.attendance import (
    CHECK_IN_FAILURE_LIMIT,
    Mark,
    check_in,
    record_roster,
)
from trellis.catalog.tests.attendance_setup import (
    _fresh_cache,  # noqa: F401 - autouse fixture
    enrol,
    offering_with_sessions,
)
from trellis.core.errors import DomainError, TooManyAttempts


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def live(cast):
    """A session that started half an hour ago (3 hours long), with Alice enrolled."""
    offering, (session,) = offering_with_sessions(
        cast.district_a, starts=[-0.5], facilitator=cast.carol, title="Number talks"
    )
    session.check_in_code = "K7M2QX"
    session.save()
    return offering, session, enrol(offering, cast.alice)


def attempt(cast, user, code):
    return check_in(access=cast.access(user), actor=user, code=code)


def test_checking_in_marks_the_whole_session_present(cast, live):
    _, session, alice = live

    result = attempt(cast, cast.alice, " k7m2-qx ")

    assert result.session == session
    assert not result.already
    record = AttendanceRecord.objects.get()
    assert (record.enrollment, record.status, record.hours, record.method, record.recorded_by) == (
        alice,
        "present",
        Decimal("3.00"),
        "self_check_in",
        cast.alice,
    )
    event = AuditEvent.objects.get(action="attendance.checked_in")
    assert (event.actor, event.subject, event.data["hours"]) == (cast.alice, cast.alice, "3.00")


def test_checking_in_twice_is_harmless(cast, live):
    attempt(cast, cast.alice, "K7M2QX")

    again = attempt(cast, cast.alice, "K7M2QX")

    assert again.already
    assert AttendanceRecord.objects.count() == 1
    assert AuditEvent.objects.filter(action="attendance.checked_in").count() == 1


def test_the_facilitators_record_is_kept(cast, live):
    _, session, alice = live
    record_roster(
        access=cast.access(cast.carol),
        actor=cast.carol,
        session=session,
        marks=[Mark(str(alice.public_id), "partial", "1")],
    )

    result = attempt(cast, cast.alice, "K7M2QX")

    assert result.already
    assert (result.record.status, result.record.hours) == ("partial", Decimal("1.00"))


def test_the_window_opens_30_minutes_before_the_start_and_closes_at_the_end(cast, live):
    _, session, _ = live
    start = session.starts_at

    with (
        time_machine.travel(start - dt.timedelta(minutes=31), tick=False),
        pytest.raises(DomainError) as early,
    ):
        attempt(cast, cast.alice, "K7M2QX")
    with (
        time_machine.travel(session.ends_at + dt.timedelta(seconds=1), tick=False),
        pytest.raises(DomainError) as late,
    ):
        attempt(cast, cast.alice, "K7M2QX")
    with time_machine.travel(start - dt.timedelta(minutes=30), tick=False):
        opened = attempt(cast, cast.alice, "K7M2QX")

    assert early.value.code == "check_in_not_open"
    assert early.value.message.startswith("Check-in for “Number talks” opens at ")
    assert early.value.message.endswith(", 30 minutes before it starts.")
    assert late.value.code == "check_in_closed"
    assert late.value.message.endswith(
        "so check-in is closed. Ask the facilitator to record your attendance."
    )
    assert not opened.already


def test_a_wrong_code_or_another_districts_code_gets_the_same_answer(cast, live):
    _, (southport,) = offering_with_sessions(cast.district_b, starts=[-0.5])
    southport.check_in_code = "SOUTH9"
    southport.save()
    enrol(southport.offering, cast.bob)

    with pytest.raises(DomainError) as wrong:
        attempt(cast, cast.alice, "ZZZZZZ")
    with pytest.raises(DomainError) as other:
        attempt(cast, cast.alice, "south9")
    with pytest.raises(DomainError) as junk:
        attempt(cast, cast.alice, "<script>")

    assert wrong.value.code == other.value.code == junk.value.code == "unknown_code"
    assert other.value.message == (
        "No session has the code “SOUTH9”. Check the code on the screen and try again "
        "(letters and digits; capitals do not matter)."
    )
    assert AttendanceRecord.objects.count() == 0


def test_an_empty_code_is_explained_without_counting(cast, live):
    with pytest.raises(DomainError) as empty:
        attempt(cast, cast.alice, "  ")

    assert (empty.value.code, empty.value.message) == (
        "code_required",
        "Enter the code shown on the screen.",
    )


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (
            None,
            "You are not enrolled in “Number talks”, so you can't check in. Ask the facilitator "
            "to add you, or request a place from the catalog.",
        ),
        (
            EnrollmentStatus.PENDING_APPROVAL,
            "Your request for “Number talks” is still waiting for approval, so you can't check "
            "in yet.",
        ),
        (
            EnrollmentStatus.WAITLISTED,
            "You are on the waitlist for “Number talks”, so you can't check in. Ask the "
            "facilitator.",
        ),
    ],
)
def test_only_people_with_a_seat_check_in(cast, live, status, message):
    offering, _, _ = live
    if status:
        enrol(offering, cast.eve, status=status)

    with pytest.raises(DomainError) as caught:
        attempt(cast, cast.eve, "K7M2QX")

    assert (caught.value.code, caught.value.message) == ("not_enrolled", message)
    assert AttendanceRecord.objects.count() == 0


def test_a_per_session_seat_is_for_its_own_session(cast):
    offering, (today, later) = offering_with_sessions(
        cast.district_a,
        starts=[-0.5, 48],
        registration=Registration.ONE_SESSION,
        title="Phonics clinic",
    )
    OfferingSession.objects.filter(pk=today.pk).update(check_in_code="TODAY2")
    enrol(offering, cast.alice, session=later)

    with pytest.raises(DomainError) as caught:
        attempt(cast, cast.alice, "TODAY2")

    assert caught.value.message.startswith(
        "You are registered for the session of “Phonics clinic” on "
    )


def test_a_cancelled_session_is_refused(cast, live):
    _, session, _ = live
    OfferingSession.objects.filter(pk=session.pk).update(status=OfferingSession.Status.CANCELLED)

    with pytest.raises(DomainError) as caught:
        attempt(cast, cast.alice, "K7M2QX")

    assert caught.value.message == "This session of “Number talks” was cancelled."


def test_wrong_codes_are_throttled_per_person(cast, live):
    for n in range(CHECK_IN_FAILURE_LIMIT):
        with pytest.raises(DomainError):
            attempt(cast, cast.alice, f"WRONG{n}")

    with pytest.raises(TooManyAttempts) as caught:
        attempt(cast, cast.alice, "K7M2QX")  # even the right code waits
    enrol(live[0], cast.eve)  # other people are unaffected
    assert not attempt(cast, cast.eve, "K7M2QX").already

    assert caught.value.status == 429
    assert caught.value.message == (
        "Too many wrong codes. Wait 10 minutes and try again, or ask the facilitator to mark "
        "you present."
    )
    assert AttendanceRecord.objects.filter(enrollment__educator=cast.alice).count() == 0


def test_the_check_in_pages(cast, client_for, live):
    client = client_for(cast.alice)

    blank = client.get("/check-in/")
    prefilled = client.get("/check-in/K7M2QX/")
    wrong = client.post("/check-in/", {"code": "NOPE99"})
    done = client.post("/check-in/K7M2QX/", {"code": "K7M2QX"})
    again = client.post("/check-in/", {"code": "k7m2qx"})

    assert blank.status_code == 200
    assert 'name="code"' in text(blank)
    assert 'value="K7M2QX"' in text(prefilled)
    assert "confirm to check in" in text(prefilled)
    assert wrong.status_code == 400
    assert "No session has the code “NOPE99”." in text(wrong)
    assert done.status_code == 200
    assert "You&#x27;re checked in" in text(done) or "You're checked in" in text(done)
    assert f"/learning/{live[2].public_id}/complete/" in text(done)
    assert "Already checked in" in text(again)
    assert AttendanceRecord.objects.count() == 1


def test_the_check_in_page_shows_the_throttle_and_links_facilitators(cast, client_for, live):
    client = client_for(cast.alice)
    for n in range(CHECK_IN_FAILURE_LIMIT):
        client.post("/check-in/", {"code": f"BAD{n}"})

    throttled = client.post("/check-in/", {"code": "K7M2QX"})
    carol = text(client_for(cast.carol).get("/check-in/"))

    assert throttled.status_code == 429
    assert "Too many wrong codes." in text(throttled)
    assert "Sessions you facilitate" in carol
    assert "Sessions you facilitate" not in text(client_for(cast.eve).get("/check-in/"))


def test_check_in_needs_a_sign_in(client, live):
    response = client.get("/check-in/K7M2QX/")

    assert response.status_code == 302
    assert "/check-in/K7M2QX/" in response["Location"]
