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
