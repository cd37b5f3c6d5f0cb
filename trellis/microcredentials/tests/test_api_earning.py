"""The earning API: start (201, 409 with the open submission's id), my submissions, one
submission, PATCH answers (revisions, last write wins), artifacts (multipart or url), submit."""

from __future__ import annotations

import pytest

from trellis.microcredentials.models import Artifact, Submission, SubmissionStatus
from trellis.microcredentials.tests.earning_support import (
    PNG,
    SVG,
    make_definition,
    part,
    upload,
    use_tmp_storage,
)


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    use_tmp_storage(settings, tmp_path)


@pytest.fixture
def definition(cast):
    return make_definition(cast)


def start(client, definition):
    return client.post(
        f"/api/v1/micro-credentials/{definition.micro_credential.public_id}/submissions"
    )


def test_start_201_then_409_with_the_open_submissions_id(cast, definition, api_client_for):
    client = api_client_for(cast.alice)
    response = start(client, definition)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "draft"
    assert body["title"] == "Hinge questions"
    assert body["version"] == 1
    assert [p["kind"] for p in body["parts"]] == ["overview", "artifact", "reflection"]
    assert {a["revision"] for a in body["answers"]} == {0}
    assert body["missing"][-1] == "Confirm that your evidence protects student privacy."
    again = start(client, definition)
    assert again.status_code == 409
    error = again.json()["error"]
    assert error["code"] == "submission_open"
    assert error["details"] == {"submission": body["id"]}


def test_start_another_districts_micro_credential_is_404(cast, api_client_for):
    from trellis.microcredentials.tests.factories import published_definition

    response = start(api_client_for(cast.alice), published_definition(cast.district_b))
    assert response.status_code == 404
    assert Submission.objects.count() == 0


def test_patch_answers_returns_revisions_and_flags_overwrites(cast, definition, api_client_for):
    client = api_client_for(cast.alice)
    sid = start(client, definition).json()["id"]
    o = str(part(definition, "overview").public_id)
    url = f"/api/v1/submissions/{sid}"
    first = client.patch(
        url,
        {"answers": {o: "tab A"}, "base_revisions": {o: 0}, "client_id": "tab-a"},
        content_type="application/json",
    )
    assert first.status_code == 200
    assert first.json()["revisions"] == {o: 1}
    assert first.json()["overwritten"] == []
    second = client.patch(
        url,
        {
            "answers": {o: "tab B"},
            "base_revisions": {o: 0},
            "client_id": "tab-b",
            "privacy_confirmed": True,
        },
        content_type="application/json",
    )
    assert second.json()["revisions"] == {o: 2}
    assert second.json()["overwritten"] == [o]
    assert second.json()["privacy_confirmed"] is True
    detail = client.get(url).json()
    assert [a for a in detail["answers"] if a["part"] == o] == [
        {"part": o, "text": "tab B", "revision": 2}
    ]


def test_patch_bad_input_is_refused_and_writes_nothing(cast, definition, api_client_for):
    client = api_client_for(cast.alice)
    sid = start(client, definition).json()["id"]
    a = str(part(definition, "artifact").public_id)
    response = client.patch(
        f"/api/v1/submissions/{sid}", {"answers": {a: "text"}}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "not_a_text_part"
    response = client.patch(
        f"/api/v1/submissions/{sid}", {"answers": "nope"}, content_type="application/json"
    )
    assert response.status_code == 422


def test_artifacts_multipart_and_url(cast, definition, api_client_for):
    client = api_client_for(cast.alice)
    sid = start(client, definition).json()["id"]
    a = str(part(definition, "artifact").public_id)
    response = client.post(
        f"/api/v1/submissions/{sid}/artifacts",
        {"part": a, "file": upload("photo.pdf", PNG), "description": "Board"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["kind"] == "image"
    assert body["content_type"] == "image/png"
    assert body["original_name"] == "photo.pdf"
    assert body["url"] == f"http://testserver/micro-credentials/evidence/{body['id']}/"
    response = client.post(
        f"/api/v1/submissions/{sid}/artifacts", {"part": a, "url": "https://video.example.org/1"}
    )
    assert response.status_code == 201
    assert response.json()["url"] == "https://video.example.org/1"
    refused = client.post(
        f"/api/v1/submissions/{sid}/artifacts", {"part": a, "file": upload("x.png", SVG)}
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "unsupported_file"
    assert Artifact.objects.count() == 2


def test_submit_incomplete_then_complete_then_409(cast, definition, api_client_for):
    client = api_client_for(cast.alice)
    sid = start(client, definition).json()["id"]
    response = client.post(f"/api/v1/submissions/{sid}/submit")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "submission_incomplete"
    assert len(response.json()["error"]["details"]["missing"]) == 4
    o, r, a = (str(part(definition, k).public_id) for k in ("overview", "reflection", "artifact"))
    client.patch(
        f"/api/v1/submissions/{sid}",
        {"answers": {o: "Context", r: "Reflection"}, "privacy_confirmed": True},
        content_type="application/json",
    )
    client.post(f"/api/v1/submissions/{sid}/artifacts", {"part": a, "file": upload("b.png", PNG)})
    response = client.post(f"/api/v1/submissions/{sid}/submit")
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    assert response.json()["expected_by"] is not None
    again = client.post(f"/api/v1/submissions/{sid}/submit")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_submitted"
    locked = client.patch(
        f"/api/v1/submissions/{sid}", {"answers": {o: "late"}}, content_type="application/json"
    )
    assert locked.status_code == 409
    assert locked.json()["error"]["code"] == "submission_locked"
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED


def test_my_submissions_and_other_peoples_are_404(cast, definition, api_client_for):
    client = api_client_for(cast.alice)
    sid = start(client, definition).json()["id"]
    listing = client.get("/api/v1/me/submissions").json()
    assert listing["count"] == 1
    assert listing["items"][0]["id"] == sid
    assert api_client_for(cast.eve).get("/api/v1/me/submissions").json()["count"] == 0
    for who in (cast.eve, cast.dana, cast.bob):
        other = api_client_for(who)
        assert other.get(f"/api/v1/submissions/{sid}").status_code == 404
        assert other.post(f"/api/v1/submissions/{sid}/submit").status_code == 404
        assert (
            other.patch(
                f"/api/v1/submissions/{sid}", {"answers": {}}, content_type="application/json"
            ).status_code
            == 404
        )
