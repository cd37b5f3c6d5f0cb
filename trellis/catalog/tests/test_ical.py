"""The iCalendar feed: RFC 5545 writing (escaping, folding, UTC times, CRLF) and the signed-token
feed of an educator's registered sessions."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import signing

from trellis.catalog import ical
from trellis.catalog.models import EnrollmentStatus, OfferingSession
from trellis.catalog.tests.enrolment_support import (
    ask,
    in_days,
    make_offering,
    paid,
    per_session,
    sessions_of,
)
from trellis.catalog.tests.factories import EnrollmentFactory
from trellis.catalog.views.calendar import FEED_SALT, feed_token
from trellis.districts.models import Membership

CHICAGO = dt.timezone(dt.timedelta(hours=-6))


# ---------------------------------------------------------------------------------------------
# the writer
# ---------------------------------------------------------------------------------------------


def test_text_values_are_escaped():
    assert ical.escape_text("Room 4, Building B; bring a \\ laptop\nand notes\r\nthanks") == (
        "Room 4\\, Building B\\; bring a \\\\ laptop\\nand notes\\nthanks"
    )


def test_times_are_written_in_utc():
    assert ical.utc(dt.datetime(2026, 3, 3, 16, 0, tzinfo=CHICAGO)) == "20260303T220000Z"
    with pytest.raises(ValueError, match="aware datetimes"):
        ical.utc(dt.datetime(2026, 3, 3, 16, 0))  # noqa: DTZ001 - a naive time is the point


def test_long_lines_are_folded_at_75_octets():
    line = "SUMMARY:" + "a" * 150

    folded = ical.fold(line)

    parts = folded.split("\r\n")
    assert [len(p.encode()) for p in parts] == [75, 75, 10]
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line


def test_folding_never_splits_a_multibyte_character():
    line = "SUMMARY:" + "é" * 60  # 8 + 120 octets

    parts = ical.fold(line).split("\r\n")

    assert all(len(p.encode()) <= 75 for p in parts)
    assert [len(p.encode()) for p in parts] == [74, 55]  # 75 would cut an é in two
    assert "".join([parts[0], parts[1][1:]]) == line


def test_a_short_line_is_left_alone():
    assert ical.fold("VERSION:2.0") == "VERSION:2.0"


def test_a_calendar_has_crlf_lines_and_the_required_properties():
    start = dt.datetime(2026, 3, 3, 16, 0, tzinfo=CHICAGO)
    body = ical.calendar(
        [
            ical.Event(
                uid="abc@trellis",
                starts_at=start,
                ends_at=start + dt.timedelta(hours=3),
                summary="Number talks, part 1",
                location="Room 4; Central office",
                url="https://trellis.example/catalog/x/",
                cancelled=True,
            )
        ],
        name="Trellis: Alice",
        stamp=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )

    assert body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert body.split("\r\n")[:-1] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Trellis//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Trellis: Alice",
        "BEGIN:VEVENT",
        "UID:abc@trellis",
        "DTSTAMP:20260101T000000Z",
        "DTSTART:20260303T220000Z",
        "DTEND:20260304T010000Z",
        "SUMMARY:Number talks\\, part 1",
        "LOCATION:Room 4\\; Central office",
        "URL:https://trellis.example/catalog/x/",
        "STATUS:CANCELLED",
        "END:VEVENT",
        "END:VCALENDAR",
    ]


# ---------------------------------------------------------------------------------------------
# the feed
# ---------------------------------------------------------------------------------------------


def unfold(body: str) -> list[str]:
    return body.replace("\r\n ", "").split("\r\n")


def events(body: str) -> list[dict[str, str]]:
    found, current = [], None
    for line in unfold(body):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            key, _, value = line.partition(":")
            current[key] = value
    return found


def feed(client, user, district) -> tuple[int, str]:
    response = client.get(f"/learning/calendar/{feed_token(user, district)}.ics")
    return response.status_code, response.content.decode() if response.status_code == 200 else ""


def test_the_feed_lists_the_sessions_of_the_educators_enrolments(cast, client):
    series = make_offering(cast, title="Coaching, cycles; and more", sessions=2)
    cancelled = sessions_of(series)[1]
    cancelled.status = OfferingSession.Status.CANCELLED
    cancelled.save()
    ask(cast, cast.alice, series)
    workshop = per_session(cast, [5, 5], title="Math lab")
    chosen = sessions_of(workshop)[1]
    ask(cast, cast.alice, workshop, session=chosen)
    ask(cast, cast.alice, paid(cast, title="Pending conference"))

    response = client.get(f"/learning/calendar/{feed_token(cast.alice, cast.district_a)}.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    found = events(body)
    assert [(e["SUMMARY"], e["STATUS"]) for e in found] == [
        ("Coaching\\, cycles\\; and more", "CONFIRMED"),
        ("Coaching\\, cycles\\; and more", "CANCELLED"),
        ("Math lab", "CONFIRMED"),  # only the chosen session
        ("Pending conference", "TENTATIVE"),
    ]
    assert found[2]["DTSTART"] == chosen.starts_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert found[2]["LOCATION"] == "Central office\\, room 4"
    assert found[0]["URL"] == f"http://127.0.0.1:8000/catalog/{series.public_id}/"
    assert len({e["UID"] for e in found}) == 4
    assert all(re.fullmatch(r"\d{8}T\d{6}Z", e["DTSTAMP"]) for e in found)


def test_waitlisted_withdrawn_and_denied_enrolments_stay_out_of_the_feed(cast, client):
    for status in (
        EnrollmentStatus.WAITLISTED,
        EnrollmentStatus.WITHDRAWN,
        EnrollmentStatus.DENIED,
        EnrollmentStatus.NO_SHOW,
    ):
        EnrollmentFactory(offering=make_offering(cast), educator=cast.alice, status=status)
    EnrollmentFactory(
        offering=make_offering(cast, title="Done"),
        educator=cast.alice,
        status=EnrollmentStatus.COMPLETED,
    )

    status, body = feed(client, cast.alice, cast.district_a)

    assert status == 200
    assert [e["SUMMARY"] for e in events(body)] == ["Done"]


def test_the_feed_is_per_district(cast, client):
    ask(cast, cast.alice, make_offering(cast, title="Northfield only"))
    Membership.objects.create(user=cast.alice, district=cast.district_b, role="educator")
    theirs = make_offering(cast, district=cast.district_b, title="Southport only")
    EnrollmentFactory(offering=theirs, educator=cast.alice)

    _, northfield = feed(client, cast.alice, cast.district_a)
    _, southport = feed(client, cast.alice, cast.district_b)

    assert [e["SUMMARY"] for e in events(northfield)] == ["Northfield only"]
    assert [e["SUMMARY"] for e in events(southport)] == ["Southport only"]


def test_a_bad_token_is_404(cast, client):
    good = feed_token(cast.alice, cast.district_a)
    forged = signing.dumps({"u": str(cast.bob.public_id), "d": str(cast.district_a.public_id)})
    other_salt = signing.dumps(
        {"u": str(cast.alice.public_id), "d": str(cast.district_a.public_id)}, salt="other"
    )
    not_a_dict = signing.dumps("alice", salt=FEED_SALT)

    for token in ("nonsense", good[:-2] + "xx", forged, other_salt, not_a_dict):
        assert client.get(f"/learning/calendar/{token}.ics").status_code == 404


def test_the_feed_stops_when_the_membership_ends(cast, client):
    Membership.objects.filter(user=cast.alice, district=cast.district_a).update(is_active=False)

    assert feed(client, cast.alice, cast.district_a)[0] == 404
    assert feed(client, cast.bob, cast.district_a)[0] == 404  # never a member there


def test_my_learning_shows_the_feed_address(cast, client_for):
    page = client_for(cast.alice).get("/learning/").content.decode()

    token = feed_token(cast.alice, cast.district_a)
    assert f'value="http://testserver/learning/calendar/{token}.ics"' in page
    assert "copy it" in page


def test_sessions_in_the_past_stay_in_the_feed(cast, client):
    offering = make_offering(cast, sessions=0)
    from trellis.catalog.tests.factories import OfferingSessionFactory

    OfferingSessionFactory(offering=offering, starts_at=in_days(-10))
    EnrollmentFactory(offering=offering, educator=cast.alice, status=EnrollmentStatus.COMPLETED)

    _, body = feed(client, cast.alice, cast.district_a)

    assert len(events(body)) == 1
