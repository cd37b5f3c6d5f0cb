"""POST /vc-api/credentials/issue: signing a posted credential, refusals as problem details."""

import pytest

from trellis.credentials.models import IssuedCredential, SourceKind, StatusList
from trellis.credentials.services import keys
from trellis.credentials.verification import verify_for_server

pytestmark = pytest.mark.django_db
VC = "https://www.w3.org/ns/credentials/v2"
OB = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def body(**overrides):
    credential = {
        "@context": [VC, OB],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Workshop: Formative assessment",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "id": "did:example:learner",
            "achievement": {
                "id": "https://example.org/achievements/fa",
                "type": ["Achievement"],
                "name": "Formative assessment",
                "description": "Attended and applied.",
                "criteria": {"narrative": "Attend all sessions."},
            },
        },
    }
    credential.update(overrides)
    return {"credential": credential, "options": {}}


def post(client, payload):
    return client.post("/vc-api/credentials/issue", payload, content_type="application/json")


def test_issue_sets_issuer_signs_and_is_idempotent(cast, api_client_for):
    client = api_client_for(cast.dana)
    response = post(client, body(id="urn:uuid:7f9d3c1e-0000-4000-8000-000000000001"))
    assert response.status_code == 201
    signed = response.json()["verifiableCredential"]
    issuer = keys.ensure_issuer(cast.district_a)
    key = keys.active_key(issuer)
    assert signed["issuer"] == {
        "id": f"did:key:{key.public_key_multibase}",
        "type": ["Profile"],
        "name": "Northfield",
    }
    assert signed["credentialStatus"]["statusPurpose"] == "revocation"
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert verify_for_server(signed).ok
    row = IssuedCredential.objects.get()
    assert (row.source_kind, row.source_key, row.recipient) == (
        SourceKind.API,
        "urn:uuid:7f9d3c1e-0000-4000-8000-000000000001",
        None,
    )
    again = post(client, body(id="urn:uuid:7f9d3c1e-0000-4000-8000-000000000001"))
    assert again.status_code == 200
    assert again.json()["verifiableCredential"] == signed
    assert IssuedCredential.objects.count() == 1


def test_issue_without_id_gets_ours(cast, api_client_for, settings):
    response = post(api_client_for(cast.dana), body())
    assert response.status_code == 201
    row = IssuedCredential.objects.get()
    assert response.json()["verifiableCredential"]["id"] == (
        f"{settings.SITE_URL}/credentials/{row.public_id}"
    )


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"@context": [OB]}, "invalid_context"),
        ({"type": ["OpenBadgeCredential"]}, "invalid_type"),
        ({"issuer": "did:example:someone-else"}, "issuer_mismatch"),
        ({"credentialSubject": []}, "invalid_subject"),
        ({"proof": {"type": "DataIntegrityProof"}}, "already_signed"),
        ({"credentialStatus": {"type": "BitstringStatusListEntry"}}, "status_not_allowed"),
        ({"id": "no colon"}, "invalid_id"),
        ({"validFrom": "not a date"}, "invalid_credential"),
    ],
)
def test_bad_credentials_are_refused(cast, api_client_for, overrides, code):
    response = post(api_client_for(cast.dana), body(**overrides))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == f"urn:trellis:error:{code}"
    assert not IssuedCredential.objects.exists()


def test_undefined_terms_are_listed(cast, api_client_for):
    payload = body()
    payload["credential"]["credentialSubject"]["favouriteColour"] = "teal"
    response = post(api_client_for(cast.dana), payload)
    assert response.status_code == 400
    problem = response.json()
    assert problem["type"] == "urn:trellis:error:undefined_terms"
    assert "favouriteColour" in problem["detail"]
    assert any("favouriteColour" in term for term in problem["errors"][0]["terms"])
    assert not IssuedCredential.objects.exists()
    # The status index taken for the refused credential was given back (rolled back).
    assert StatusList.objects.filter(next_index__gt=0).count() == 0


def test_auth_and_permissions(cast, api_client_for, client):
    assert post(client, body()).status_code == 401
    forbidden = post(api_client_for(cast.alice), body())
    assert forbidden.status_code == 403
    assert forbidden["Content-Type"] == "application/problem+json"
    not_json = api_client_for(cast.dana).post(
        "/vc-api/credentials/issue", "{", content_type="application/json"
    )
    assert not_json.status_code == 400
    assert post(api_client_for(cast.dana), {"options": {}}).status_code == 400
    assert not IssuedCredential.objects.exists()


def test_a_suspendable_issuer_gives_vc_api_credentials_both_entries_as_the_ui_path_does(
    cast, api_client_for
):
    from trellis.credentials.tests.test_issuing import issue
    from trellis.credentials.tests.test_suspension import SUSPENDED, suspendable

    suspendable(cast)
    from_ui = issue(cast)
    dana = api_client_for(cast.dana)
    response = post(dana, body(id="urn:uuid:7f9d3c1e-0000-4000-8000-000000000002"))
    assert response.status_code == 201
    signed = response.json()["verifiableCredential"]
    row = IssuedCredential.objects.get(source_kind=SourceKind.API)
    # the same lists as the UI-issued credential, the next index in each, the same shape
    assert (row.revocation_list, row.suspension_list) == (
        from_ui.revocation_list,
        from_ui.suspension_list,
    )
    assert (row.revocation_index, row.suspension_index) == (1, 1)
    entries = signed["credentialStatus"]
    assert [e["statusPurpose"] for e in entries] == ["revocation", "suspension"]
    assert [
        {k: v for k, v in e.items() if k not in ("id", "statusListIndex")}
        for e in from_ui.document["credentialStatus"]
    ] == [{k: v for k, v in e.items() if k not in ("id", "statusListIndex")} for e in entries]
    assert [e["statusListIndex"] for e in entries] == ["1", "1"]
    report = verify_for_server(signed)
    assert report.ok, [(c.id, c.detail) for c in report.failed]
    assert report.check("status").detail == "Not revoked or suspended."

    url = f"/api/v1/credentials/{row.public_id}"
    done = dana.post(f"{url}/suspend", {"reason": "Under review"}, content_type="application/json")
    assert (done.status_code, done.json()["status"]) == (200, "suspended")
    assert verify_for_server(signed).check("status").detail == SUSPENDED
    assert verify_for_server(row.jwt).check("status").detail == SUSPENDED
    assert verify_for_server(from_ui.document).ok  # only its own bit flipped
    lifted = dana.post(f"{url}/unsuspend", {}, content_type="application/json")
    assert (lifted.status_code, lifted.json()["status"]) == (200, "active")
    assert verify_for_server(signed).ok


def test_a_default_issuer_gives_vc_api_credentials_one_plain_status_object(cast, api_client_for):
    response = post(api_client_for(cast.dana), body())
    status = response.json()["verifiableCredential"]["credentialStatus"]
    assert isinstance(status, dict)
    assert status["statusPurpose"] == "revocation"
    row = IssuedCredential.objects.get()
    assert (row.suspension_list, row.suspension_index) == (None, None)
    refused = api_client_for(cast.dana).post(
        f"/api/v1/credentials/{row.public_id}/suspend",
        {"reason": "Under review"},
        content_type="application/json",
    )
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "not_suspendable")
