"""Sessions: adding, rescheduling (nothing lost, everyone told), cancelling."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from decimal import Decimal

import pytest

from trellis.audit.models import AuditEvent
from trellis.catalog.models import (
    AttendanceRecord,
    Enrollment,
    EnrollmentStatus,
    OfferingSession,
    Registration,
)
from trellis.catalog.services import sessions as services
from trellis.catalog.services.sessions import CHECK_IN_ALPHABET
from trellis.catalog.tests.factories import (
    EnrollmentFactory,
    OfferingFactory,
    OfferingSessionFactory,
)
from trellis.core.errors import ConflictError, DomainError

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def session_post(**overrides) -> dict:
    data = {
        "date": "2031-03-04",
        "start_time": "09:00",
        "end_time": "12:00",
        "location": "Room 4",
        "link": "",
        "capacity": "",
        "facilitator": "",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------------------------------------
# adding
# ---------------------------------------------------------------------------------------------


def test_a_manager_adds_a_session_in_the_district_time_zone(cast, client_for):
    o = OfferingFactory(district=cast.district_a)
    response = client_for(cast.dana).post(
        f"/catalog/{o.public_id}/sessions/new/",
        session_post(facilitator=str(cast.carol.public_id), capacity="12"),
    )
    assert response.status_code == 302
    session = o.sessions.get()
    assert session.starts_at == dt.datetime(2031, 3, 4, 9, tzinfo=CHICAGO)
    assert session.ends_at == dt.datetime(2031, 3, 4, 12, tzinfo=CHICAGO)
    assert session.location == "Room 4"
    assert session.capacity == 12
    assert session.facilitator == cast.carol
    assert re.fullmatch(f"[{CHECK_IN_ALPHABET}]{{6}}", session.check_in_code)
    event = AuditEvent.objects.get(action="session.created")
    assert event.summary.endswith("Tuesday, March 4, 2031, 9:00 AM – 12:00 PM (America/Chicago)")


def test_check_in_codes_are_unambiguous_and_differ(cast):
    o = OfferingFactory(district=cast.district_a)
    access = cast.access(cast.dana)
    start = dt.datetime(2031, 3, 4, 9, tzinfo=CHICAGO)
    codes = {
        services.add_session(
            access=access,
            actor=cast.dana,
            offering=o,
            starts_at=start + dt.timedelta(days=i),
            ends_at=start + dt.timedelta(days=i, hours=1),
        ).check_in_code
        for i in range(30)
    }
    assert len(codes) == 30
    assert not set("".join(codes)) & set("0O1I")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_time": "08:00"}, "end_time", "The session must end after it starts."),
        ({"end_time": "09:00"}, "end_time", "The session must end after it starts."),
        ({"date": "someday"}, "date", "Enter a valid date."),
        ({"start_time": "9am"}, "start_time", "Enter a valid time."),
        ({"capacity": "0"}, "capacity", "Ensure this value is greater than or equal to 1."),
        ({"facilitator": "nobody"}, "facilitator", "Select a valid choice."),
    ],
)
def test_bad_session_input_writes_nothing(cast, client_for, overrides, field, message):
    o = OfferingFactory(district=cast.district_a)
    response = client_for(cast.dana).post(
        f"/catalog/{o.public_id}/sessions/new/", session_post(**overrides)
    )
    assert response.status_code == 400
    assert response.context["form"].errors[field][0].startswith(message)
    assert not OfferingSession.objects.exists()


def test_a_facilitator_from_another_district_is_not_offered_nor_accepted(cast, client_for):
    o = OfferingFactory(district=cast.district_a)
    response = client_for(cast.dana).post(
        f"/catalog/{o.public_id}/sessions/new/", session_post(facilitator=str(cast.bob.public_id))
    )
    assert response.status_code == 400
    assert not OfferingSession.objects.exists()
    with pytest.raises(DomainError) as caught:
        services.add_session(
            access=cast.access(cast.dana),
            actor=cast.dana,
            offering=o,
            starts_at=dt.datetime(2031, 3, 4, 9, tzinfo=CHICAGO),
            ends_at=dt.datetime(2031, 3, 4, 10, tzinfo=CHICAGO),
            facilitator=cast.bob,
        )
    assert caught.value.code == "facilitator_not_member"


def test_sessions_are_at_most_a_day_long(cast):
    o = OfferingFactory(district=cast.district_a)
    with pytest.raises(DomainError) as caught:
        services.add_session(
            access=cast.access(cast.dana),
            actor=cast.dana,
            offering=o,
            starts_at=dt.datetime(2031, 3, 4, 9, tzinfo=CHICAGO),
            ends_at=dt.datetime(2031, 3, 5, 10, tzinfo=CHICAGO),
        )
    assert caught.value.code == "session_too_long"


def test_a_retired_offering_takes_no_new_session(cast):
    o = OfferingFactory(district=cast.district_a, status="retired")
    with pytest.raises(ConflictError) as caught:
        services.add_session(
            access=cast.access(cast.dana),
            actor=cast.dana,
            offering=o,
            starts_at=dt.datetime(2031, 3, 4, 9, tzinfo=CHICAGO),
            ends_at=dt.datetime(2031, 3, 4, 10, tzinfo=CHICAGO),
        )
    assert caught.value.code == "offering_retired"


def test_another_districts_session_is_missing(cast, client_for):
    theirs = OfferingSessionFactory(offering=OfferingFactory(district=cast.district_b))
    client = client_for(cast.dana)
    assert client.get(f"/catalog/sessions/{theirs.public_id}/edit/").status_code == 404
    assert client.post(f"/catalog/sessions/{theirs.public_id}/cancel/").status_code == 404
    assert OfferingSession.objects.get().status == OfferingSession.Status.SCHEDULED


# ---------------------------------------------------------------------------------------------
# rescheduling
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def workshop(cast):
    """A whole-offering workshop with two sessions and people in every state."""
    o = OfferingFactory(district=cast.district_a, title="Number talks")
    first = OfferingSessionFactory(
        offering=o,
        starts_at=dt.datetime(2031, 3, 4, 9, tzinfo=CHICAGO),
        ends_at=dt.datetime(2031, 3, 4, 12, tzinfo=CHICAGO),
    )
    OfferingSessionFactory(
        offering=o,
        starts_at=dt.datetime(2031, 3, 11, 9, tzinfo=CHICAGO),
        ends_at=dt.datetime(2031, 3, 11, 12, tzinfo=CHICAGO),
    )
    enrolled = EnrollmentFactory(offering=o, educator=cast.alice, status=EnrollmentStatus.ENROLLED)
    EnrollmentFactory(offering=o, educator=cast.eve, status=EnrollmentStatus.WAITLISTED)
    EnrollmentFactory(offering=o, educator=cast.carol, status=EnrollmentStatus.PENDING_APPROVAL)
    EnrollmentFactory(offering=o, educator=cast.pat, status=EnrollmentStatus.WITHDRAWN)
    AttendanceRecord.objects.create(
        enrollment=enrolled,
        session=first,
        status=AttendanceRecord.Status.PRESENT,
        hours=Decimal(3),
        method=AttendanceRecord.Method.ROSTER,
    )
    return o, first


def test_rescheduling_keeps_enrolments_and_attendance_and_tells_everyone_enrolled(
    cast, client_for, workshop, django_capture_on_commit_callbacks, mailoutbox
):
    o, first = workshop
    before = list(Enrollment.objects.order_by("pk").values_list("pk", "status", "session_id"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.dana).post(
            f"/catalog/sessions/{first.public_id}/edit/",
            session_post(date="2031-03-05", start_time="13:00", end_time="16:00"),
        )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.starts_at == dt.datetime(2031, 3, 5, 13, tzinfo=CHICAGO)
    assert first.check_in_code.startswith("CODE")  # unchanged
    assert list(Enrollment.objects.order_by("pk").values_list("pk", "status", "session_id")) == (
        before
    )
    assert AttendanceRecord.objects.get().session == first

    assert sorted(m.to[0] for m in mailoutbox) == [
        "alice@northfield.test",
        "carol@northfield.test",
        "eve@northfield.test",
    ]
    mail = mailoutbox[0]
    assert mail.subject == "Trellis: Number talks: a session has moved"
    assert "Was: Tuesday, March 4, 2031, 9:00 AM – 12:00 PM (America/Chicago)." in mail.body
    assert "Now: Wednesday, March 5, 2031, 1:00 PM – 4:00 PM (America/Chicago), Room 4." in (
        mail.body
    )
    assert f"/catalog/{o.public_id}/" in mail.body
    event = AuditEvent.objects.get(action="session.rescheduled")
    assert event.data["changed"] == ["starts_at", "ends_at", "location"]


def test_editing_only_the_seats_tells_nobody(
    cast, client_for, workshop, django_capture_on_commit_callbacks, mailoutbox
):
    _o, first = workshop
    first.location = "Room 4"
    first.save()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(cast.dana).post(
            f"/catalog/sessions/{first.public_id}/edit/", session_post(capacity="40")
        )
    first.refresh_from_db()
    assert first.capacity == 40
    assert mailoutbox == []
    assert AuditEvent.objects.get(action="session.updated").data["changed"] == ["capacity"]


def test_per_session_registration_tells_only_that_sessions_people(
    cast, django_capture_on_commit_callbacks, mailoutbox
):
    o = OfferingFactory(district=cast.district_a, registration=Registration.ONE_SESSION)
    monday, tuesday = (
        OfferingSessionFactory(offering=o, starts_at=dt.datetime(2031, 3, d, 9, tzinfo=CHICAGO))
        for d in (3, 4)
    )
    EnrollmentFactory(offering=o, session=monday, educator=cast.alice)
    EnrollmentFactory(offering=o, session=tuesday, educator=cast.eve)
    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule_session(
            access=cast.access(cast.dana),
            actor=cast.dana,
            session=monday,
            starts_at=dt.datetime(2031, 3, 3, 14, tzinfo=CHICAGO),
            ends_at=dt.datetime(2031, 3, 3, 16, tzinfo=CHICAGO),
            location=monday.location,
        )
    assert [m.to for m in mailoutbox] == [["alice@northfield.test"]]


def test_a_sessions_capacity_cannot_drop_below_its_seats_taken(cast, client_for):
    o = OfferingFactory(district=cast.district_a, registration=Registration.ONE_SESSION)
    session = OfferingSessionFactory(offering=o, capacity=5)
    EnrollmentFactory(offering=o, session=session, educator=cast.alice)
    EnrollmentFactory(offering=o, session=session, educator=cast.eve)
    response = client_for(cast.dana).post(
        f"/catalog/sessions/{session.public_id}/edit/", session_post(capacity="1")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["capacity"] == [
        "2 people hold a seat in this session, so its capacity cannot be less than 2."
    ]
    session.refresh_from_db()
    assert session.capacity == 5


# ---------------------------------------------------------------------------------------------
# cancelling
# ---------------------------------------------------------------------------------------------


def test_cancelling_a_session_tells_everyone_enrolled(
    cast, client_for, django_capture_on_commit_callbacks, mailoutbox
):
    o = OfferingFactory(district=cast.district_a, title="Book study")
    session = OfferingSessionFactory(
        offering=o,
        starts_at=dt.datetime(2031, 3, 4, 9, tzinfo=CHICAGO),
        ends_at=dt.datetime(2031, 3, 4, 10, tzinfo=CHICAGO),
    )
    EnrollmentFactory(offering=o, educator=cast.alice)
    EnrollmentFactory(offering=o, educator=cast.eve, status=EnrollmentStatus.DENIED)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.dana).post(
            f"/catalog/sessions/{session.public_id}/cancel/", {"reason": "Snow day."}
        )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == OfferingSession.Status.CANCELLED
    assert Enrollment.objects.filter(educator=cast.alice, status="enrolled").exists()
    assert [m.to for m in mailoutbox] == [["alice@northfield.test"]]
    assert mailoutbox[0].subject == "Trellis: Book study: a session is cancelled"
    assert "Reason: Snow day." in mailoutbox[0].body
    event = AuditEvent.objects.get(action="session.cancelled")
    assert event.data["reason"] == "Snow day."


def test_a_session_with_attendance_cannot_be_cancelled(cast, workshop):
    _o, first = workshop
    with pytest.raises(ConflictError) as caught:
        services.cancel_session(access=cast.access(cast.dana), actor=cast.dana, session=first)
    assert caught.value.code == "session_has_attendance"
    first.refresh_from_db()
    assert first.status == OfferingSession.Status.SCHEDULED


def test_a_cancelled_session_is_not_rescheduled(cast):
    session = OfferingSessionFactory(
        offering=OfferingFactory(district=cast.district_a),
        status=OfferingSession.Status.CANCELLED,
    )
    with pytest.raises(ConflictError) as caught:
        services.reschedule_session(
            access=cast.access(cast.dana),
            actor=cast.dana,
            session=session,
            starts_at=session.starts_at,
            ends_at=session.ends_at + dt.timedelta(hours=1),
        )
    assert caught.value.code == "session_cancelled"
