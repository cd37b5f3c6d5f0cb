"""The facilitator's roster: who is on it, marking present / part / absent, corrections, bad input,
permissions, the sessions list, the check-in code screen and no-shows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from trellis.audit.models import AuditEvent
from trellis.catalog.models import AttendanceRecord, EnrollmentStatus, OfferingSession, Registration
from trellis.catalog.services.attendance import Mark, ensure_check_in_code, record_roster
from trellis.catalog.services.completion import mark_no_shows
from trellis.catalog.tests.attendance_setup import (
    _fresh_cache,  # noqa: F401 - autouse fixture
    enrol,
    offering_with_sessions,
)
from trellis.core.errors import DomainError, PermissionDenied

P, PART, A = AttendanceRecord.Status.PRESENT, AttendanceRecord.Status.PARTIAL, "absent"


def text(response) -> str:
    return response.content.decode()


def records() -> list[tuple]:
    return [
        (r.enrollment.educator.email, r.status, r.hours, r.method)
        for r in AttendanceRecord.objects.order_by("enrollment__educator__email")
    ]


@pytest.fixture
def workshop(cast):
    """A 3-hour session that started an hour ago, facilitated by Carol; Alice and Eve enrolled."""
    offering, (session,) = offering_with_sessions(
        cast.district_a, starts=[-1], facilitator=cast.carol, title="Hinge questions"
    )
    alice = enrol(offering, cast.alice)
    eve = enrol(offering, cast.eve)
    return offering, session, alice, eve


def test_the_roster_holds_confirmed_seats_of_the_whole_offering(cast, client_for, workshop):
    offering, session, alice, _eve = workshop
    enrol(offering, cast.pat, status=EnrollmentStatus.WAITLISTED)
    enrol(offering, cast.ada, status=EnrollmentStatus.PENDING_APPROVAL)

    response = client_for(cast.carol).get(f"/facilitate/sessions/{session.public_id}/")

    assert response.status_code == 200
    page = text(response)
    assert "Alice Archer" in page
    assert "Eve Evans" in page
    assert "Pat Park" not in page
    assert "Ada Abbott" not in page
    assert f'name="status-{alice.public_id}"' in page


def test_a_per_session_roster_holds_only_those_who_chose_that_session(cast, client_for):
    offering, (first, second) = offering_with_sessions(
        cast.district_a,
        starts=[-1, 24],
        facilitator=cast.carol,
        registration=Registration.ONE_SESSION,
    )
    enrol(offering, cast.alice, session=first)
    enrol(offering, cast.eve, session=second)

    page = text(client_for(cast.carol).get(f"/facilitate/sessions/{first.public_id}/"))

    assert "Alice Archer" in page
    assert "Eve Evans" not in page


def test_present_part_and_absent_are_saved_with_hours(cast, workshop):
    offering, session, alice, eve = workshop
    pat = enrol(offering, cast.pat)

    result = record_roster(
        access=cast.access(cast.carol),
        actor=cast.carol,
        session=session,
        marks=[
            Mark(str(alice.public_id), P),
            Mark(str(eve.public_id), PART, "1.5"),
            Mark(str(pat.public_id), A, "2"),  # hours are ignored for absent
        ],
    )

    assert (result.recorded, result.corrected, result.unchanged) == (3, 0, 0)
    assert records() == [
        ("alice@northfield.test", P, Decimal("3.00"), "roster"),
        ("eve@northfield.test", PART, Decimal("1.50"), "roster"),
        ("pat@northfield.test", A, Decimal("0.00"), "roster"),
    ]
    assert AuditEvent.objects.filter(action="attendance.recorded").count() == 3


@pytest.mark.parametrize(
    ("status", "hours", "message"),
    [
        (PART, "0", "Hours for part of a session must be more than 0."),
        (PART, "-1", "Hours for part of a session must be more than 0."),
        (
            PART,
            "3",
            "Part of the session must be less than its 3 hours; choose Present for the whole "
            "session.",
        ),
        (PART, "abc", "“abc” is not a number of hours."),
        (PART, "", "Enter the hours attended (less than the session's 3)."),
        (PART, "1.255", "Enter hours with at most two decimals, e.g. 1.5 or 1.25."),
        (PART, "NaN", "Hours for part of a session must be more than 0."),
        ("late", "", "Choose Present, Part or Absent."),
    ],
)
def test_a_bad_line_saves_nothing_and_says_why(cast, workshop, status, hours, message):
    _, session, alice, eve = workshop

    with pytest.raises(DomainError) as caught:
        record_roster(
            access=cast.access(cast.carol),
            actor=cast.carol,
            session=session,
            marks=[Mark(str(alice.public_id), P), Mark(str(eve.public_id), status, hours)],
        )

    assert caught.value.code == "bad_attendance"
    assert caught.value.message == "1 line of the roster needs attention; nothing was saved."
    assert caught.value.details == {"rows": {str(eve.public_id): message}}
    assert records() == []
    assert not AuditEvent.objects.filter(action__startswith="attendance.").exists()


def test_someone_not_on_the_roster_is_refused(cast, workshop):
    offering, session, _, _ = workshop
    stranger = enrol(offering, cast.pat, status=EnrollmentStatus.WITHDRAWN)

    with pytest.raises(DomainError) as caught:
        record_roster(
            access=cast.access(cast.carol),
            actor=cast.carol,
            session=session,
            marks=[Mark(str(stranger.public_id), P), Mark("not-an-id", P)],
        )

    assert caught.value.details["rows"] == {
        str(stranger.public_id): "This person is not on the session's roster.",
        "not-an-id": "This person is not on the session's roster.",
    }
    assert records() == []


def test_the_form_shows_line_errors_and_keeps_what_was_typed(cast, client_for, workshop):
    _, session, alice, eve = workshop

    response = client_for(cast.carol).post(
        f"/facilitate/sessions/{session.public_id}/",
        {
            f"status-{alice.public_id}": P,
            f"status-{eve.public_id}": PART,
            f"hours-{eve.public_id}": "7",
        },
    )

    assert response.status_code == 400
    page = text(response)
    assert "1 line of the roster needs attention; nothing was saved." in page
    assert "Part of the session must be less than its 3 hours" in page
    assert f'name="hours-{eve.public_id}" value="7"' in page
    assert records() == []


def test_the_form_saves_and_can_fill_everyone_else_as_present(cast, client_for, workshop):
    _, session, alice, eve = workshop

    response = client_for(cast.carol).post(
        f"/facilitate/sessions/{session.public_id}/",
        {
            f"row-{alice.public_id}": "1",
            f"row-{eve.public_id}": "1",
            f"status-{eve.public_id}": PART,
            f"hours-{eve.public_id}": "2",
            "fill": "present",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert "Attendance saved: 2 recorded." in text(response)
    assert [(email, status, hours) for email, status, hours, _ in records()] == [
        ("alice@northfield.test", P, Decimal("3.00")),
        ("eve@northfield.test", PART, Decimal("2.00")),
    ]


def test_an_empty_form_asks_for_a_mark(cast, client_for, workshop):
    _, session, _, _ = workshop

    response = client_for(cast.carol).post(f"/facilitate/sessions/{session.public_id}/", {})

    assert response.status_code == 400
    assert "Choose Present, Part or Absent for at least one person." in text(response)


def test_attendance_can_be_corrected_and_the_correction_is_audited(cast, workshop):
    _, session, alice, _ = workshop
    access = cast.access(cast.carol)
    record_roster(
        access=access, actor=cast.carol, session=session, marks=[Mark(str(alice.public_id), A)]
    )

    result = record_roster(
        access=cast.access(cast.dana),
        actor=cast.dana,
        session=session,
        marks=[Mark(str(alice.public_id), PART, "2.25")],
    )
    again = record_roster(
        access=access,
        actor=cast.carol,
        session=session,
        marks=[Mark(str(alice.public_id), PART, "2.25")],
    )

    assert (result.recorded, result.corrected) == (0, 1)
    assert (again.corrected, again.unchanged) == (0, 1)
    record = AttendanceRecord.objects.get()
    assert (record.status, record.hours, record.recorded_by) == (PART, Decimal("2.25"), cast.dana)
    event = AuditEvent.objects.get(action="attendance.corrected")
    assert event.actor == cast.dana
    assert event.subject == cast.alice
    assert event.data["before"] == {"status": "absent", "hours": "0.00", "method": "roster"}
    assert event.summary.startswith(
        "Corrected to Part of the session (2.25 h) at “Hinge questions”"
    )


def test_only_the_facilitator_or_a_catalog_manager_takes_attendance(cast, client_for, workshop):
    _, session, alice, _ = workshop
    url = f"/facilitate/sessions/{session.public_id}/"

    assert client_for(cast.dana).get(url).status_code == 200
    assert client_for(cast.eve).get(url).status_code == 403
    assert client_for(cast.pat).post(url, {f"status-{alice.public_id}": P}).status_code == 403
    assert client_for(cast.eve).get(url + "code/").status_code == 403
    assert client_for(cast.bob).get(url).status_code == 404
    assert client_for(cast.bea).get(url + "code/").status_code == 404
    assert client_for(cast.carol).get("/facilitate/sessions/not-a-uuid/").status_code == 404
    with pytest.raises(PermissionDenied):
        record_roster(
            access=cast.access(cast.eve),
            actor=cast.eve,
            session=session,
            marks=[Mark(str(alice.public_id), P)],
        )
    assert records() == []


def test_attendance_waits_for_the_session_and_skips_cancelled_ones(cast, client_for):
    offering, (later, cancelled) = offering_with_sessions(
        cast.district_a, starts=[2, -1], facilitator=cast.carol
    )
    cancelled.status = OfferingSession.Status.CANCELLED
    cancelled.save()
    alice = enrol(offering, cast.alice)
    access = cast.access(cast.carol)

    with pytest.raises(DomainError) as not_yet:
        record_roster(
            access=access, actor=cast.carol, session=later, marks=[Mark(str(alice.public_id), P)]
        )
    with pytest.raises(DomainError) as gone:
        record_roster(
            access=access,
            actor=cast.carol,
            session=cancelled,
            marks=[Mark(str(alice.public_id), P)],
        )

    assert not_yet.value.code == "session_not_started"
    assert gone.value.code == "session_cancelled"
    page = text(client_for(cast.carol).get(f"/facilitate/sessions/{later.public_id}/"))
    assert "Attendance can be taken from" in page
    assert records() == []


def test_the_roster_page_has_a_fixed_query_budget(
    cast, client_for, django_assert_max_num_queries, workshop
):
    offering, session, alice, _ = workshop
    educators = [cast.pat, cast.ada, cast.dana]
    for educator in educators:
        enrol(offering, educator)
    record_roster(
        access=cast.access(cast.carol),
        actor=cast.carol,
        session=session,
        marks=[Mark(str(alice.public_id), P)],
    )
    client = client_for(cast.carol)

    with django_assert_max_num_queries(10):
        response = client.get(f"/facilitate/sessions/{session.public_id}/")

    assert response.status_code == 200
    assert text(response).count('type="radio"') == 5 * 3


def test_sessions_i_facilitate(cast, client_for, django_assert_max_num_queries):
    mine, _ = offering_with_sessions(
        cast.district_a, starts=[24, 48, -48], facilitator=cast.carol, title="Mine"
    )
    offering_with_sessions(cast.district_a, starts=[24], facilitator=cast.pat, title="Pat's")
    offering_with_sessions(cast.district_b, starts=[24], facilitator=cast.bea, title="Southport")
    enrol(mine, cast.alice)
    client = client_for(cast.carol)

    with django_assert_max_num_queries(10):
        upcoming = text(client.get("/facilitate/"))
    recent = text(client.get("/facilitate/?when=recent"))
    admin = text(client_for(cast.dana).get("/facilitate/"))
    admin_mine = text(client_for(cast.dana).get("/facilitate/?mine=on"))

    assert upcoming.count(">Mine</a>") == 2
    assert "Pat's" not in upcoming
    assert "1 of 1" not in upcoming
    assert "<td>1</td>" in upcoming
    assert recent.count(">Mine</a>") == 1
    assert "Mine" in admin
    assert "Pat&#x27;s" in admin
    assert "Southport" not in admin
    assert "No upcoming sessions." in admin_mine
    assert "No upcoming sessions that you facilitate." in text(
        client_for(cast.eve).get("/facilitate/")
    )


def test_the_sessions_list_query_count_does_not_grow_with_the_page(
    cast, client_for, django_assert_max_num_queries
):
    for n in range(12):
        offering, _ = offering_with_sessions(
            cast.district_a, starts=[24 + n], facilitator=cast.carol
        )
        enrol(offering, cast.alice)
    per_session, (session,) = offering_with_sessions(
        cast.district_a, starts=[30], facilitator=cast.carol, registration=Registration.ONE_SESSION
    )
    enrol(per_session, cast.eve, session=session)
    client = client_for(cast.carol)

    with django_assert_max_num_queries(10):
        response = client.get("/facilitate/")

    assert response.status_code == 200
    assert text(response).count("<td>1</td>") == 13


def test_the_check_in_screen_shows_the_code_and_a_qr_code(cast, client_for, settings, workshop):
    settings.SITE_URL = "https://trellis.example.org"
    _, session, _, _ = workshop

    page = text(client_for(cast.carol).get(f"/facilitate/sessions/{session.public_id}/code/"))

    assert session.check_in_code in page
    assert '<svg role="img" viewBox=' in page
    assert 'class="qr-code"' in page
    assert f"https://trellis.example.org/check-in/{session.check_in_code}/" in page
    assert "https://trellis.example.org/check-in/" in page
    assert "<script" not in page.split("<main")[1]


def test_a_session_without_a_code_gets_one(cast, client_for, workshop):
    _, session, _, _ = workshop
    OfferingSession.objects.filter(pk=session.pk).update(check_in_code="")
    url = f"/facilitate/sessions/{session.public_id}/code/"

    assert "Create a check-in code" in text(client_for(cast.carol).get(url))
    response = client_for(cast.carol).post(url)

    session.refresh_from_db()
    assert response.status_code == 302
    assert len(session.check_in_code) == 6
    assert (
        ensure_check_in_code(access=cast.access(cast.carol), actor=cast.carol, session=session)
        == session.check_in_code
    )
    assert AuditEvent.objects.filter(action="attendance.code_created").count() == 1


# --- no-shows --------------------------------------------------------------------------------


@pytest.fixture
def ended(cast):
    offering, sessions = offering_with_sessions(
        cast.district_a, starts=[-30, -6], facilitator=cast.carol, title="Ended series"
    )
    return offering, sessions, enrol(offering, cast.alice), enrol(offering, cast.eve)


def test_no_shows_are_marked_after_the_last_session(
    cast, ended, mailoutbox, django_capture_on_commit_callbacks
):
    offering, (first, _), alice, eve = ended
    record_roster(
        access=cast.access(cast.carol),
        actor=cast.carol,
        session=first,
        marks=[Mark(str(alice.public_id), PART, "1"), Mark(str(eve.public_id), A)],
    )
    with django_capture_on_commit_callbacks(execute=True):
        marked = mark_no_shows(access=cast.access(cast.carol), actor=cast.carol, offering=offering)

    assert [e.educator for e in marked] == [cast.eve]
    eve.refresh_from_db()
    alice.refresh_from_db()
    assert eve.status == EnrollmentStatus.NO_SHOW
    assert eve.credit_awarded is None
    assert alice.status == EnrollmentStatus.ENROLLED
    assert AuditEvent.objects.get(action="enrollment.no_show").subject == cast.eve
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["eve@northfield.test"], "Trellis: Marked absent from Ended series")
    ]
    assert "earns no credit" in mailoutbox[0].body
    assert mark_no_shows(access=cast.access(cast.dana), actor=cast.dana, offering=offering) == []


def test_no_shows_wait_for_the_last_session_and_need_the_right_person(cast):
    offering, _ = offering_with_sessions(cast.district_a, starts=[-30, 24], facilitator=cast.carol)
    alice = enrol(offering, cast.alice)

    assert mark_no_shows(access=cast.access(cast.carol), actor=cast.carol, offering=offering) == []
    with pytest.raises(PermissionDenied):
        mark_no_shows(access=cast.access(cast.eve), actor=cast.eve, offering=offering)
    alice.refresh_from_db()
    assert alice.status == EnrollmentStatus.ENROLLED


def test_the_roster_offers_no_shows_and_can_reverse_one(cast, client_for, ended):
    _offering, (first, _), _alice, eve = ended
    client = client_for(cast.carol)

    page = text(client.get(f"/facilitate/sessions/{first.public_id}/"))
    assert "Mark 2 as not attending" in page
    response = client.post(f"/facilitate/sessions/{first.public_id}/no-shows/", follow=True)
    assert "2 people marked as not attending." in text(response)
    assert "Did not attend" in text(response)

    record_roster(
        access=cast.access(cast.carol),
        actor=cast.carol,
        session=first,
        marks=[Mark(str(eve.public_id), PART, "1")],
    )

    eve.refresh_from_db()
    assert eve.status == EnrollmentStatus.ENROLLED
    assert AuditEvent.objects.filter(action="enrollment.no_show_reversed").count() == 1
