"""The /xapi/ endpoint: auth, headers, limits, storing, conflicts, voiding, filters, mapping."""

# ruff: noqa: E501 (expected messages are quoted whole)

from __future__ import annotations

import json
import uuid

import pytest

from trellis.informal.models import InformalEntry, XapiStatement
from trellis.informal.services import integrations
from trellis.informal.tests.helpers import COMPLETED, VIDEO, Xapi, statement

pytestmark = pytest.mark.django_db


def error(response) -> str:
    return response.json()["error"]["message"]


def test_about_needs_no_auth_and_names_the_version(client) -> None:
    response = client.get("/xapi/about")
    assert response.status_code == 200
    assert response.json() == {"version": ["1.0.3"]}
    assert response["X-Experience-API-Version"] == "1.0.3"


def test_auth_missing_or_wrong_is_401_with_a_challenge(client, video_library) -> None:
    integration, secret = video_library
    for response in (
        client.get("/xapi/statements", HTTP_X_EXPERIENCE_API_VERSION="1.0.3"),
        Xapi(integration.username, "wrong").get(),
        Xapi("nobody", secret).get(),
    ):
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith('Basic realm="Trellis xAPI"')
        assert response["X-Experience-API-Version"] == "1.0.3"
    assert XapiStatement.objects.count() == 0


def test_switched_off_integration_cannot_send(cast, video_library) -> None:
    integration, secret = video_library
    integrations.deactivate_integration(
        access=cast.access(cast.dana), actor=cast.dana, integration=integration
    )
    assert Xapi(integration.username, secret).post(statement()).status_code == 401


@pytest.mark.parametrize(
    ("version", "message"),
    [
        (None, "Send the header X-Experience-API-Version: 1.0.3."),
        ("0.95", "X-Experience-API-Version 0.95 is not supported; use 1.0.3."),
        ("2.0.0", "X-Experience-API-Version 2.0.0 is not supported; use 1.0.3."),
    ],
)
def test_version_header_is_required(video_library, version, message) -> None:
    integration, secret = video_library
    response = Xapi(integration.username, secret, version=version).post(statement())
    assert response.status_code == 400
    assert error(response) == message
    assert XapiStatement.objects.count() == 0


def test_oversized_body_is_413(xapi) -> None:
    padding = "x" * (1024 * 1024)
    response = xapi.post(statement(result={"response": padding}))
    assert response.status_code == 413
    assert XapiStatement.objects.count() == 0


def test_json_only(xapi) -> None:
    response = xapi.client.post("/xapi/statements", data="actor=x", content_type="text/plain")
    assert response.status_code == 400
    assert error(response) == "Send statements as JSON with Content-Type: application/json."
    response = xapi.client.post("/xapi/statements", data="{", content_type="application/json")
    assert response.status_code == 400


def test_post_stores_as_received_with_stored_and_authority(cast, xapi, video_library) -> None:
    sent = statement()
    response = xapi.post(sent)
    assert response.status_code == 200
    [sid] = response.json()
    assert uuid.UUID(sid)
    row = XapiStatement.objects.get()
    assert row.received == sent
    assert row.district == cast.district_a
    assert row.statement["id"] == sid
    assert row.statement["authority"]["account"]["name"] == video_library[0].username
    assert row.statement["stored"].endswith("Z")
    assert row.statement["version"] == "1.0.3"


def test_a_batch_with_one_bad_statement_writes_nothing(xapi) -> None:
    response = xapi.post([statement(), statement(verb={"id": "done"})])
    assert response.status_code == 400
    assert error(response) == (
        "[1].verb.id: must be an absolute IRI such as https://example.org/x, not 'done'"
    )
    assert XapiStatement.objects.count() == 0
    assert InformalEntry.objects.count() == 0


def test_put_with_statement_id_and_conflicts(xapi) -> None:
    sid = str(uuid.uuid4())
    assert xapi.put(sid, statement()).status_code == 204
    assert xapi.put(sid, statement()).status_code == 204  # the same again: accepted, stored once
    assert XapiStatement.objects.count() == 1
    clash = xapi.put(sid, statement(result={"duration": "PT5M"}))
    assert clash.status_code == 409
    assert error(clash) == f"statement: a different statement with the id {sid} is already stored"
    mismatch = xapi.put(str(uuid.uuid4()), statement(id=sid))
    assert mismatch.status_code == 400
    assert error(mismatch) == "id: does not match the statementId parameter"
    assert (
        xapi.client.put("/xapi/statements", data="{}", content_type="application/json").status_code
        == 400
    )


def test_completed_video_becomes_an_entry_for_the_matching_educator(cast, xapi) -> None:
    xapi.post(statement())
    entry = InformalEntry.objects.get()
    assert entry.educator == cast.alice
    assert (entry.title, entry.url, entry.minutes, entry.format, entry.source) == (
        "Checking for understanding in 5 minutes",
        VIDEO,
        45,
        "video",
        "xapi",
    )
    assert str(entry.learned_on) == "2026-11-20"


def test_account_name_matches_by_email(cast, xapi) -> None:
    actor = {"account": {"homePage": "https://videos.example.org", "name": "eve@northfield.test"}}
    xapi.post(statement(actor=actor))
    assert InformalEntry.objects.get().educator == cast.eve


@pytest.mark.parametrize(
    "overrides",
    [
        {"actor": {"mbox": "mailto:stranger@example.org"}},
        {"actor": {"mbox": "mailto:bob@southport.test"}},  # another district's educator
        {"actor": {"mbox_sha1sum": "a" * 40}},
        {"verb": {"id": "http://adlnet.gov/expapi/verbs/launched"}},
        {"result": None},
    ],
)
def test_statements_that_create_no_entry_are_still_stored(xapi, overrides) -> None:
    assert xapi.post(statement(**overrides)).status_code == 200
    assert XapiStatement.objects.count() == 1
    assert InformalEntry.objects.count() == 0


def test_voiding_removes_the_entry_and_hides_the_statement(xapi) -> None:
    [sid] = xapi.post(statement()).json()
    voiding = statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": sid},
        result=None,
    )
    assert xapi.post(voiding).status_code == 200
    assert InformalEntry.objects.count() == 0
    assert xapi.get(statementId=sid).status_code == 404
    voided = xapi.get(voidedStatementId=sid)
    assert voided.status_code == 200
    assert voided.json()["id"] == sid
    listed = [s["verb"]["id"] for s in xapi.get().json()["statements"]]
    assert listed == ["http://adlnet.gov/expapi/verbs/voided"]


def test_voiding_an_unknown_statement_is_refused(xapi) -> None:
    missing = str(uuid.uuid4())
    voiding = statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": missing},
    )
    response = xapi.post(voiding)
    assert response.status_code == 400
    assert error(response) == (
        f"statement.object.id: no statement {missing} to void was sent by this district's tools"
    )


def test_get_filters_and_more(xapi) -> None:
    ids = []
    for n in range(5):
        actor = {"mbox": f"mailto:p{n % 2}@example.org"}
        verb = COMPLETED if n < 3 else "http://adlnet.gov/expapi/verbs/attended"
        ids += xapi.post(
            statement(actor=actor, verb={"id": verb}, object={"id": f"https://x.org/a{n}"})
        ).json()
    page = xapi.get(limit=2).json()
    assert [s["id"] for s in page["statements"]] == [ids[4], ids[3]]
    assert page["more"].startswith("/xapi/statements?")
    following = xapi.client.get(page["more"]).json()
    assert [s["id"] for s in following["statements"]] == [ids[2], ids[1]]
    assert [s["id"] for s in xapi.get(ascending="true", limit=1).json()["statements"]] == [ids[0]]
    assert xapi.get(limit=10).json()["more"] == ""
    by_agent = xapi.get(agent=json.dumps({"mbox": "mailto:p1@example.org"})).json()["statements"]
    assert {s["id"] for s in by_agent} == {ids[1], ids[3]}
    by_verb = xapi.get(verb="http://adlnet.gov/expapi/verbs/attended").json()["statements"]
    assert {s["id"] for s in by_verb} == {ids[3], ids[4]}
    assert [s["id"] for s in xapi.get(activity="https://x.org/a2").json()["statements"]] == [ids[2]]
    assert xapi.get(since="2999-01-01T00:00:00Z").json()["statements"] == []
    assert len(xapi.get(until="2999-01-01T00:00:00Z").json()["statements"]) == 5
    single = xapi.get(statementId=ids[0])
    assert single.json()["id"] == ids[0]
    ids_only = xapi.get(statementId=ids[0], format="ids").json()
    assert "definition" not in ids_only["object"]


def test_related_filters(xapi) -> None:
    parent = "https://x.org/course"
    [sid] = xapi.post(
        statement(
            context={
                "contextActivities": {"parent": [{"id": parent}]},
                "instructor": {"mbox": "mailto:coach@example.org"},
            }
        )
    ).json()
    xapi.post(statement())
    assert xapi.get(activity=parent).json()["statements"] == []
    related = xapi.get(activity=parent, related_activities="true").json()["statements"]
    assert [s["id"] for s in related] == [sid]
    agent = json.dumps({"mbox": "mailto:coach@example.org"})
    assert [s["id"] for s in xapi.get(agent=agent, related_agents="true").json()["statements"]] == [
        sid
    ]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": "many"}, "limit must be a whole number."),
        ({"since": "yesterday"}, "since must be an ISO 8601 date and time."),
        ({"verb": "done"}, "verb must be an IRI."),
        ({"ascending": "maybe"}, "ascending must be true or false."),
        ({"colour": "red"}, "Unknown parameter “colour”."),
        ({"statementId": "x"}, "statementId must be a UUID."),
        (
            {"statementId": str(uuid.UUID(int=1)), "verb": COMPLETED},
            "statementId and voidedStatementId cannot be combined with other filters.",
        ),
        (
            {"agent": "{}"},
            "agent must be an Agent or Group as JSON (agent: an Agent needs exactly one of mbox, mbox_sha1sum, openid, account).",
        ),
    ],
)
def test_bad_filters(xapi, params, message) -> None:
    response = xapi.get(**params)
    assert response.status_code == 400
    assert error(response) == message


def test_another_districts_integration_never_sees_these_statements(cast, xapi) -> None:
    [sid] = xapi.post(statement()).json()
    _, secret = integrations.create_integration(
        access=cast.access(cast.bea), actor=cast.bea, name="Southport videos"
    )
    other = Xapi(
        integrations.XapiIntegration.objects.get(district=cast.district_b).username, secret
    )
    assert other.get().json() == {"statements": [], "more": ""}
    assert other.get(statementId=sid).status_code == 404
    # The same id in another district is that district's own statement, not a conflict.
    assert (
        other.post(statement(id=sid, actor={"mbox": "mailto:bob@southport.test"})).status_code
        == 200
    )
    assert InformalEntry.objects.get(district=cast.district_b).educator == cast.bob
