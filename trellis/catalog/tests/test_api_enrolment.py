"""The enrolment API: POST /offerings/{id}/enrollments, GET /me/enrollments, POST
/enrollments/{id}/decision and /withdraw; one error shape, 403/404/409 as the services say."""

from __future__ import annotations

import json

from trellis.catalog.models import Enrollment
from trellis.catalog.tests.enrolment_support import (
    ask,
    fresh,
    make_offering,
    paid,
    per_session,
    person,
    sessions_of,
    statuses,
)
from trellis.districts.models import Role

API = "/api/v1"


def send(client, method: str, path: str, body=None):
    return getattr(client, method)(
        f"{API}{path}",
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
    )


def error(response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


# ---------------------------------------------------------------------------------------------
# POST /offerings/{id}/enrollments
# ---------------------------------------------------------------------------------------------


def test_an_educator_asks_for_a_place(cast, api_client_for):
    offering = paid(cast, title="Number talks")

    response = send(
        api_client_for(cast.alice),
        "post",
        f"/offerings/{offering.public_id}/enrollments",
        {"note": "For my algebra classes"},
    )

    assert response.status_code == 201
    body = response.json()
    enrollment = Enrollment.objects.get()
    assert body["id"] == str(enrollment.public_id)
    assert body["offering"] == {"id": str(offering.public_id), "title": "Number talks"}
    assert body["session"] is None
    assert (body["status"], body["status_label"]) == ("pending", "Waiting for approval")
    assert body["note"] == "For my algebra classes"
    assert body["waiting_for"] == "the principal of Northfield Middle"
    assert body["waitlist_position"] is None
    assert [
        (s["position"], s["approver"], s["school"], s["status"], s["approver_label"])
        for s in body["approval_steps"]
    ] == [
        (1, "principal", "Northfield Middle", "pending", "the principal of Northfield Middle"),
        (2, "pd_office", None, "waiting", "the district PD office"),
    ]
    assert body["approval_steps"][0]["due_at"] is not None


def test_a_session_is_chosen_by_its_id(cast, api_client_for):
    offering = per_session(cast, [1, 1])
    second = sessions_of(offering)[1]
    client = api_client_for(cast.alice)

    missing = send(client, "post", f"/offerings/{offering.public_id}/enrollments", {})
    unknown = send(
        client,
        "post",
        f"/offerings/{offering.public_id}/enrollments",
        {"session": str(offering.public_id)},
    )
    chosen = send(
        client,
        "post",
        f"/offerings/{offering.public_id}/enrollments",
        {"session": str(second.public_id)},
    )

    assert error(missing) == (400, "session_required")
    assert missing.json()["error"]["details"] == {"field": "session"}
    assert error(unknown) == (400, "unknown_session")
    assert chosen.status_code == 201
    assert chosen.json()["session"]["id"] == str(second.public_id)
    assert chosen.json()["status"] == "enrolled"


def test_the_waitlist_and_a_full_offering_through_the_api(cast, api_client_for):
    open_list = make_offering(cast, capacity=1)
    closed = make_offering(cast, title="Small group", capacity=1, waitlist_enabled=False)
    ask(cast, cast.eve, open_list)
    ask(cast, cast.eve, closed)
    client = api_client_for(cast.alice)

    waitlisted = send(client, "post", f"/offerings/{open_list.public_id}/enrollments", {})
    full = send(client, "post", f"/offerings/{closed.public_id}/enrollments", {})

    assert waitlisted.status_code == 201
    assert (waitlisted.json()["status"], waitlisted.json()["waitlist_position"]) == (
        "waitlisted",
        1,
    )
    assert error(full) == (400, "offering_full")
    assert full.json()["error"]["message"] == "“Small group” is full and has no waitlist."


def test_a_second_request_is_409_and_a_bad_body_is_422(cast, api_client_for):
    offering = make_offering(cast)
    client = api_client_for(cast.alice)
    send(client, "post", f"/offerings/{offering.public_id}/enrollments", {})

    again = send(client, "post", f"/offerings/{offering.public_id}/enrollments", {})
    bad = send(client, "post", f"/offerings/{offering.public_id}/enrollments", {"note": 5})
    long = send(
        client, "post", f"/offerings/{offering.public_id}/enrollments", {"note": "x" * 2001}
    )

    assert error(again) == (409, "already_enrolled")
    assert error(bad) == (422, "validation_error")
    assert error(long) == (422, "validation_error")
    assert Enrollment.objects.count() == 1


def test_another_districts_offering_is_404(cast, api_client_for):
    theirs = make_offering(cast, district=cast.district_b)

    response = send(
        api_client_for(cast.alice), "post", f"/offerings/{theirs.public_id}/enrollments", {}
    )

    assert error(response) == (404, "not_found")
    assert Enrollment.objects.count() == 0


# ---------------------------------------------------------------------------------------------
# GET /me/enrollments
# ---------------------------------------------------------------------------------------------


def test_my_enrollments_are_paginated_and_filtered(cast, api_client_for):
    for n in range(3):
        ask(cast, cast.alice, make_offering(cast, title=f"Free {n}"))
    ask(cast, cast.alice, paid(cast, title="Paid"))
    ask(cast, cast.eve, make_offering(cast, title="Eve's"))
    client = api_client_for(cast.alice)

    everything = client.get(f"{API}/me/enrollments?limit=2").json()
    pending = client.get(f"{API}/me/enrollments?status=pending").json()
    bad = client.get(f"{API}/me/enrollments?status=maybe")

    assert everything["count"] == 4
    assert [e["offering"]["title"] for e in everything["items"]] == ["Paid", "Free 2"]
    assert [e["offering"]["title"] for e in pending["items"]] == ["Paid"]
    assert error(bad) == (400, "unknown_status")


def test_my_enrollments_are_those_of_the_current_district(cast, api_client_for):
    ask(cast, cast.alice, make_offering(cast))

    body = api_client_for(cast.bob).get(f"{API}/me/enrollments").json()

    assert body == {"items": [], "count": 0}


# ---------------------------------------------------------------------------------------------
# POST /enrollments/{id}/decision
# ---------------------------------------------------------------------------------------------


def test_an_approver_decides_through_the_api(cast, api_client_for):
    enrollment = ask(cast, cast.alice, paid(cast))

    first = send(
        api_client_for(cast.pat),
        "post",
        f"/enrollments/{enrollment.public_id}/decision",
        {"decision": "approve"},
    )
    second = send(
        api_client_for(cast.dana),
        "post",
        f"/enrollments/{enrollment.public_id}/decision",
        {"decision": "deny", "reason": "No budget"},
    )

    assert first.status_code == 200
    assert first.json()["waiting_for"] == "the district PD office"
    assert second.status_code == 200
    assert second.json()["status"] == "denied"
    assert second.json()["approval_steps"][1]["reason"] == "No budget"
    assert second.json()["approval_steps"][1]["decided_by"] == "Dana Diaz"


def test_a_double_approval_is_409(cast, api_client_for):
    enrollment = ask(cast, cast.alice, make_offering(cast, during_school_hours=True))
    client = api_client_for(cast.pat)
    path = f"/enrollments/{enrollment.public_id}/decision"

    assert send(client, "post", path, {"decision": "approve"}).status_code == 200
    assert error(send(client, "post", path, {"decision": "approve"})) == (409, "already_decided")


def test_the_wrong_people_get_403_and_other_districts_404(cast, api_client_for):
    ella = person(
        cast.district_a, "ella@northfield.test", "Ella", [Role.APPROVER], cast.elementary_a
    )
    enrollment = ask(cast, cast.alice, paid(cast))
    own = ask(cast, cast.pat, paid(cast))
    path = f"/enrollments/{enrollment.public_id}/decision"
    approve = {"decision": "approve"}

    assert error(send(api_client_for(ella), "post", path, approve)) == (403, "permission_denied")
    assert error(send(api_client_for(cast.alice), "post", path, approve)) == (
        403,
        "permission_denied",
    )
    assert error(
        send(api_client_for(cast.pat), "post", f"/enrollments/{own.public_id}/decision", approve)
    ) == (403, "permission_denied")
    assert error(send(api_client_for(cast.bea), "post", path, approve)) == (404, "not_found")
    assert fresh(enrollment).status == "pending"


def test_a_denial_without_a_reason_is_400_and_a_bad_decision_422(cast, api_client_for):
    enrollment = ask(cast, cast.alice, paid(cast))
    client = api_client_for(cast.pat)
    path = f"/enrollments/{enrollment.public_id}/decision"

    no_reason = send(client, "post", path, {"decision": "deny"})
    unknown = send(client, "post", path, {"decision": "maybe"})

    assert error(no_reason) == (400, "reason_required")
    assert no_reason.json()["error"]["details"] == {"field": "reason"}
    assert error(unknown) == (422, "validation_error")
    assert fresh(enrollment).status == "pending"


# ---------------------------------------------------------------------------------------------
# POST /enrollments/{id}/withdraw
# ---------------------------------------------------------------------------------------------


def test_withdrawing_through_the_api_promotes_the_waitlist(cast, api_client_for):
    offering = make_offering(cast, capacity=1)
    enrollment = ask(cast, cast.alice, offering)
    ask(cast, cast.eve, offering)
    client = api_client_for(cast.alice)
    path = f"/enrollments/{enrollment.public_id}/withdraw"

    response = send(client, "post", path, {"reason": "Clash"})
    again = send(client, "post", path, {})

    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert statuses(offering) == [("alice", "withdrawn"), ("eve", "enrolled")]
    assert error(again) == (409, "not_active")


def test_someone_elses_enrolment_cannot_be_withdrawn_through_the_api(cast, api_client_for):
    enrollment = ask(cast, cast.alice, make_offering(cast))
    path = f"/enrollments/{enrollment.public_id}/withdraw"

    assert error(send(api_client_for(cast.eve), "post", path, {})) == (404, "not_found")
    assert error(send(api_client_for(cast.bea), "post", path, {})) == (404, "not_found")
    assert send(api_client_for(cast.dana), "post", path, {}).status_code == 200


def test_the_routes_are_in_the_openapi_document(cast, api_client_for):
    paths = api_client_for(cast.alice).get(f"{API}/openapi.json").json()["paths"]

    assert "post" in paths["/api/v1/offerings/{offering_id}/enrollments"]
    assert "get" in paths["/api/v1/me/enrollments"]
    assert "post" in paths["/api/v1/enrollments/{enrollment_id}/decision"]
    assert "post" in paths["/api/v1/enrollments/{enrollment_id}/withdraw"]
