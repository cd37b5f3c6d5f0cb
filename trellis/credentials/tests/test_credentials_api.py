"""GET /api/v1/credentials, GET /api/v1/credentials/{id}, POST …/{id}/revoke."""

import pytest

from trellis.credentials.models import CredentialStatus, IssuedCredential
from trellis.credentials.tests.test_issuing import issue

pytestmark = pytest.mark.django_db


def test_list_own_for_educators_district_for_admins(
    cast, api_client_for, settings, django_assert_max_num_queries
):
    mine = issue(cast, key="a")
    issue(cast, key="e", recipient=cast.eve)
    listing = api_client_for(cast.alice).get("/api/v1/credentials").json()
    assert listing["count"] == 1
    assert listing["items"] == [
        {
            "id": f"{settings.SITE_URL}/credentials/{mine.public_id}",
            "public_id": str(mine.public_id),
            "name": "Hinge questions",
            "recipient": {"name": "Alice Archer", "email": "alice@northfield.test"},
            "issued_at": "2026-03-02T15:00:00Z",
            "status": "active",
            "status_reason": "",
            "visibility": "private",
        }
    ]
    dana = api_client_for(cast.dana)
    with django_assert_max_num_queries(8):
        assert dana.get("/api/v1/credentials").json()["count"] == 2
    assert api_client_for(cast.bea).get("/api/v1/credentials").json()["count"] == 0


def test_get_document(cast, api_client_for):
    credential = issue(cast)
    response = api_client_for(cast.alice).get(f"/api/v1/credentials/{credential.public_id}")
    assert response.status_code == 200
    assert response.json() == credential.document
    assert (
        api_client_for(cast.eve).get(f"/api/v1/credentials/{credential.public_id}").status_code
        == 404
    )
    assert (
        api_client_for(cast.bea).get(f"/api/v1/credentials/{credential.public_id}").status_code
        == 404
    )


def test_revoke(cast, api_client_for):
    credential = issue(cast)
    path = f"/api/v1/credentials/{credential.public_id}/revoke"
    dana = api_client_for(cast.dana)
    missing = dana.post(path, {}, content_type="application/json")
    assert missing.status_code == 400
    assert missing.json()["error"]["code"] == "reason_required"
    assert (
        api_client_for(cast.alice)
        .post(path, {"reason": "x"}, content_type="application/json")
        .status_code
        == 403
    )
    other = api_client_for(cast.bea).post(path, {"reason": "x"}, content_type="application/json")
    assert other.status_code == 404
    assert IssuedCredential.objects.get().status == CredentialStatus.ACTIVE
    done = dana.post(path, {"reason": "Issued in error"}, content_type="application/json")
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["status_reason"]) == ("revoked", "Issued in error")
    again = dana.post(path, {"reason": "again"}, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_revoked"


def test_openapi_lists_the_routes(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/credentials", "/api/v1/credentials/{credential_id}"} <= set(paths)
    assert "/api/v1/credentials/{credential_id}/revoke" in paths
    assert "/vc-api/credentials/issue" in client.get("/vc-api/openapi.json").json()["paths"]
