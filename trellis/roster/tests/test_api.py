"""The roster import API: upload, poll, list, apply; tenancy and bad input."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from trellis.api.v1 import roster as roster_api
from trellis.roster.models import RosterImport
from trellis.roster.tests.conftest import roster_csv

pytestmark = pytest.mark.django_db

DATA = roster_csv(
    "new1@northfield.test,Nia New,educator,Northfield Middle,teacher,2,Mathematics,6-8,N-1",
    "bad-email,Bad Row,educator,,,,,,",
)
URL = "/api/v1/roster-imports"


def post(client, data: bytes = DATA, **fields):
    return client.post(URL, {"file": SimpleUploadedFile("roster.csv", data), **fields})


def test_upload_poll_and_apply(cast, api_client_for, django_capture_on_commit_callbacks):
    client = api_client_for(cast.dana)

    with django_capture_on_commit_callbacks(execute=True):
        created = post(client, dry_run="true")
    assert created.status_code == 201
    body = created.json()
    assert (body["status"], body["phase"], body["dry_run"], body["format"]) == (
        "queued",
        "preview",
        True,
        "csv",
    )
    assert body["created_by"] == "dana@northfield.test"

    polled = client.get(f"{URL}/{body['id']}").json()
    assert (polled["status"], polled["progress"], polled["can_apply"]) == ("succeeded", 100, True)
    assert (polled["total_rows"], polled["processed_rows"]) == (2, 2)
    assert polled["counts"]["created"] == 1
    assert polled["counts"]["invalid"] == 1
    assert polled["errors"] == [
        {"row": 3, "column": "email", "message": "“bad-email” is not a valid e-mail address."}
    ]
    assert polled["preview"]["creates"][0]["email"] == "new1@northfield.test"

    with django_capture_on_commit_callbacks(execute=True):
        applied = client.post(f"{URL}/{body['id']}/apply")
    assert applied.status_code == 200
    done = client.get(f"{URL}/{body['id']}").json()
    assert (done["phase"], done["status"], done["can_apply"]) == ("apply", "succeeded", False)
    assert done["applied_at"] is not None

    again = client.post(f"{URL}/{body['id']}/apply")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "cannot_apply"


def test_imports_are_listed_newest_first_with_a_count(cast, api_client_for):
    for name in ("first.csv", "second.csv"):
        RosterImport.objects.create(district=cast.district_a, format="csv", file_name=name)
    RosterImport.objects.create(district=cast.district_b, format="csv", file_name="theirs.csv")

    body = api_client_for(cast.dana).get(f"{URL}?limit=1").json()

    assert body["count"] == 2
    assert [item["file_name"] for item in body["items"]] == ["second.csv"]


def test_another_districts_import_is_not_found(cast, api_client_for):
    item = RosterImport.objects.create(district=cast.district_a, format="csv", file_name="a.csv")
    client = api_client_for(cast.bea)

    for response in (
        client.get(f"{URL}/{item.public_id}"),
        client.post(f"{URL}/{item.public_id}/apply"),
    ):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_only_district_admins_may_import(cast, api_client_for):
    response = post(api_client_for(cast.alice))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert api_client_for(cast.pat).get(URL).status_code == 403


def test_bad_files_get_the_error_shape_and_nothing_is_kept(cast, api_client_for):
    response = post(api_client_for(cast.dana), b"name\nAna\n")

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "missing_columns",
            "message": "The file is missing column(s): email. Found: name.",
            "details": {},
        }
    }
    assert RosterImport.objects.count() == 0


def test_an_oversized_upload_is_413(cast, api_client_for, monkeypatch):
    monkeypatch.setattr(roster_api, "MAX_UPLOAD_BYTES", 10)

    response = post(api_client_for(cast.dana))

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "file_too_large"


def test_the_endpoints_are_in_the_openapi_document(cast, api_client_for):
    paths = api_client_for(cast.dana).get("/api/v1/openapi.json").json()["paths"]

    assert set(paths[URL]) == {"get", "post"}
    assert set(paths[URL + "/{import_id}"]) == {"get"}
    assert set(paths[URL + "/{import_id}/apply"]) == {"post"}
