"""The voice API: topic requests, upvotes, the caller's volunteering, the demand report."""

from __future__ import annotations

import pytest

from trellis.voice import services
from trellis.voice.models import TopicRequest, TopicVote, VolunteerOffer

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_list_and_create_topic_requests(cast, adopted, ask, upvote, api_client_for) -> None:
    c11 = adopted.competencies[0]
    first = ask(cast.eve, "Phonics", competency=c11.public_id)
    upvote(cast.carol, first)
    client = api_client_for(cast.alice)
    response = client.post(
        f"{API}/topic-requests",
        {
            "title": "Student talk",
            "details": "Protocols",
            "competency": str(c11.public_id),
            "preferred_format": "plc",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    created = TopicRequest.objects.get(title="Student talk")
    assert body["id"] == str(created.public_id)
    assert body["competency"] == {
        "id": str(c11.public_id),
        "code": "1.1",
        "title": "Competency 1.1",
    }
    assert (body["status"], body["school"], body["votes"], body["mine"], body["voted"]) == (
        "open",
        "Northfield Middle",
        0,
        True,
        False,
    )
    listed = client.get(f"{API}/topic-requests").json()
    assert listed["count"] == 2
    assert [(i["title"], i["votes"], i["mine"]) for i in listed["items"]] == [
        ("Phonics", 1, False),
        ("Student talk", 0, True),
    ]
    assert client.get(f"{API}/topic-requests?q=talk").json()["count"] == 1
    assert client.get(f"{API}/topic-requests?competency=none").json()["count"] == 0
    bad = client.get(f"{API}/topic-requests?competency=zzz")
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "unknown_competency"
    assert client.get(f"{API}/topic-requests?status=bogus").status_code == 422


def test_a_similar_request_is_a_409_naming_it(cast, ask, api_client_for) -> None:
    first = ask(cast.eve, "Structured student talk in math")
    client = api_client_for(cast.alice)
    response = client.post(
        f"{API}/topic-requests",
        {"title": "Student talk", "details": "x"},
        content_type="application/json",
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "similar_request"
    assert error["details"]["similar"] == str(first.public_id)
    forced = client.post(
        f"{API}/topic-requests",
        {"title": "Student talk", "details": "x", "allow_similar": True},
        content_type="application/json",
    )
    assert forced.status_code == 201


def test_missing_fields_are_a_clear_error(cast, api_client_for) -> None:
    response = api_client_for(cast.alice).post(
        f"{API}/topic-requests", {"title": "  ", "details": "x"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "title_required",
        "message": "Enter the topic.",
        "details": {"field": "title"},
    }
    assert TopicRequest.objects.count() == 0


def test_vote_and_take_it_back(cast, ask, api_client_for) -> None:
    created = ask(cast.alice, "Phonics")
    client = api_client_for(cast.eve)
    url = f"{API}/topic-requests/{created.public_id}/vote"
    first = client.post(url)
    assert (first.status_code, first.json()) == (
        201,
        {"id": str(created.public_id), "votes": 1, "voted": True},
    )
    again = client.post(url)
    assert (again.status_code, again.json()["votes"]) == (200, 1)
    gone = client.delete(url)
    assert (gone.status_code, gone.json()) == (
        200,
        {"id": str(created.public_id), "votes": 0, "voted": False},
    )
    own = api_client_for(cast.alice).post(url)
    assert (own.status_code, own.json()["error"]["code"]) == (400, "own_request")


def test_another_districts_request_is_404(cast, ask, api_client_for) -> None:
    theirs = ask(cast.bob, "Phonics")
    client = api_client_for(cast.alice)
    for method in ("post", "delete"):
        response = getattr(client, method)(f"{API}/topic-requests/{theirs.public_id}/vote")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert client.post(f"{API}/topic-requests/not-a-uuid/vote").status_code in (404, 422)
    assert TopicVote.objects.count() == 0
    assert api_client_for(cast.alice).get(f"{API}/topic-requests").json()["count"] == 0


def test_my_volunteering(cast, adopted, api_client_for) -> None:
    client = api_client_for(cast.eve)
    response = client.post(
        f"{API}/me/volunteering",
        {
            "kind": "mentor",
            "competencies": [str(adopted.competencies[0].public_id)],
            "note": "Yes",
            "availability": "Tue",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["kind_label"], body["status"], body["note"]) == (
        "mentor",
        "Mentor a new teacher",
        "open",
        "Yes",
    )
    assert [c["code"] for c in body["competencies"]] == ["1.1"]
    duplicate = client.post(
        f"{API}/me/volunteering", {"kind": "mentor"}, content_type="application/json"
    )
    assert (duplicate.status_code, duplicate.json()["error"]["code"]) == (409, "already_offered")
    unknown = client.post(
        f"{API}/me/volunteering", {"kind": "astronaut"}, content_type="application/json"
    )
    assert unknown.status_code == 422
    listed = client.get(f"{API}/me/volunteering").json()
    assert [i["kind"] for i in listed["items"]] == ["mentor"]
    assert api_client_for(cast.alice).get(f"{API}/me/volunteering").json()["count"] == 0
    assert VolunteerOffer.objects.count() == 1


def test_demand_report_for_pd_leaders_only(cast, adopted, ask, upvote, api_client_for) -> None:
    created = ask(cast.alice, "Phonics", competency=adopted.competencies[0].public_id)
    upvote(cast.eve, created)
    services.offer_to_volunteer(
        access=cast.access(cast.eve),
        actor=cast.eve,
        kind="present",
        competencies=[adopted.competencies[0].public_id],
    )
    response = api_client_for(cast.dana).get(f"{API}/reports/demand")
    assert response.status_code == 200
    body = response.json()
    assert (body["total_requests"], body["total_votes"]) == (1, 1)
    top = body["by_competency"][0]
    assert (
        top["competency"]["code"],
        top["requests"],
        top["votes"],
        top["demand"],
        top["volunteers"],
        top["published_offerings"],
    ) == (
        "1.1",
        1,
        1,
        2,
        1,
        0,
    )
    assert body["by_school"][0] == {
        "school": "Northfield Middle",
        "school_id": str(cast.middle_a.public_id),
        "requests": 1,
        "votes": 1,
        "demand": 2,
    }
    denied = api_client_for(cast.alice).get(f"{API}/reports/demand")
    assert (denied.status_code, denied.json()["error"]["code"]) == (403, "permission_denied")
    other = api_client_for(cast.bea).get(f"{API}/reports/demand").json()
    assert other["total_requests"] == 0


def test_the_voice_endpoints_are_in_the_openapi_document(db, client) -> None:
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    assert set(paths[f"{API}/topic-requests"]) == {"get", "post"}
    assert set(paths[f"{API}/topic-requests/{{request_id}}/vote"]) == {"post", "delete"}
    assert set(paths[f"{API}/me/volunteering"]) == {"get", "post"}
    assert set(paths[f"{API}/reports/demand"]) == {"get"}
