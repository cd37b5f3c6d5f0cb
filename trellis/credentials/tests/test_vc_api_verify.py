"""The verification APIs: POST /api/v1/verify and the VC-API's /credentials/verify and
/presentations/verify (public; problem details on failure, never a 500)."""

from __future__ import annotations

import copy
import json

import pytest
from django.test import Client

from trellis.credentials.core.dataintegrity import hash_data
from trellis.credentials.core.jwt import sign_jwt
from trellis.credentials.core.loader import VC_V2
from trellis.credentials.core.multikey import b58_encode
from trellis.credentials.tests.test_verify_core import Issuer, unsigned
from trellis.credentials.tests.test_verify_views import issue

VC_CREDENTIALS = "/vc-api/credentials/verify"
VC_PRESENTATIONS = "/vc-api/presentations/verify"
V1 = "/api/v1/verify"
PROBLEM = "https://www.w3.org/TR/vc-data-model#"


def post(url: str, body, client: Client | None = None):
    raw = body if isinstance(body, str | bytes) else json.dumps(body)
    return (client or Client()).post(url, raw, content_type="application/json")


@pytest.fixture
def issuer() -> Issuer:
    return Issuer()


@pytest.fixture
def signed(issuer) -> dict:
    return issuer.sign(unsigned(issuer.did))


def presentation(*credentials, holder: Issuer | None = None, challenge: str | None = None):
    document = {
        "@context": [VC_V2],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": list(credentials),
    }
    if holder is None:
        return document
    document["holder"] = holder.did
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2026-01-01T00:00:00Z",
        "verificationMethod": holder.method,
        "proofPurpose": "authentication",
    }
    if challenge:
        proof["challenge"] = challenge
    value = b58_encode(holder.key.sign(hash_data(document, proof, safe=False)))
    return {**document, "proof": {**proof, "proofValue": value}}


# --- /api/v1/verify ------------------------------------------------------------------------------


def test_v1_verify_is_public_and_itemised(db, signed, issuer):
    response = post(V1, {"credential": signed})
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["format"] == "data-integrity"
    assert [check["id"] for check in body["checks"]] == [
        "parse",
        "data-model",
        "contexts",
        "signature",
        "issuer",
        "dates",
        "status",
        "schema",
    ]
    assert body["checks"][3] == {
        "id": "signature",
        "label": "Signature",
        "outcome": "passed",
        "detail": f"The eddsa-rdfc-2022 proof by {issuer.method} is valid.",
    }
    assert body["summary"]["issuer_name"] == "Northfield Schools"
    assert body["summary"]["achievement_name"] == "Feedback Literacy"


def test_v1_verify_accepts_a_jwt(db, issuer):
    token = sign_jwt(unsigned(issuer.did), private_key=issuer.key, kid=issuer.method)
    body = post(V1, {"credential": token}).json()
    assert body["ok"] is True
    assert body["format"] == "vc-jwt"


def test_v1_failed_credential_is_still_200(db, signed):
    signed["name"] = "Forged"
    response = post(V1, {"credential": signed})
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is False
    assert [c["id"] for c in body["checks"] if c["outcome"] == "failed"] == ["signature"]


@pytest.mark.parametrize("body", ["{not json", "[]", json.dumps({}), json.dumps({"credential": 5})])
def test_v1_bad_bodies(db, body):
    response = post(V1, body)
    assert response.status_code in (400, 422)
    assert set(response.json()["error"]) == {"code", "message", "details"}


# --- VC-API credentials --------------------------------------------------------------------------


def test_vc_api_valid_credential(db, signed):
    response = post(VC_CREDENTIALS, {"verifiableCredential": signed, "options": {}})
    assert response.status_code == 200
    assert response.json() == {
        "verified": True,
        "checks": ["parse", "data-model", "contexts", "signature", "issuer", "dates"],
        "warnings": [],
        "errors": [],
    }


def test_vc_api_our_own_credential_with_status(cast):
    credential = issue(cast, "vc-api-verify")
    response = post(VC_CREDENTIALS, {"verifiableCredential": credential.document})
    assert response.status_code == 200
    assert "status" in response.json()["checks"]


def test_vc_api_tampered_credential_is_a_problem(db, signed):
    signed["credentialSubject"]["achievement"]["name"] = "Forged"
    response = post(VC_CREDENTIALS, {"verifiableCredential": signed})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == PROBLEM + "CRYPTOGRAPHIC_SECURITY_ERROR"
    assert body["title"] == "The verification failed."
    assert body["detail"].startswith("Signature: The signature does not match the credential")
    assert body["verified"] is False
    assert [error["title"] for error in body["errors"]] == ["Signature"]


def test_vc_api_expired_credential(db, issuer):
    signed = issuer.sign(unsigned(issuer.did, validUntil="2020-01-01T00:00:00Z"))
    body = post(VC_CREDENTIALS, {"verifiableCredential": signed}).json()
    assert body["type"] == PROBLEM + "RANGE_ERROR"
    assert body["errors"][0]["detail"] == "Expired: validUntil was 2020-01-01T00:00:00Z."


def test_vc_api_missing_type_is_malformed(db, issuer):
    document = unsigned(issuer.did)
    document["type"] = ["OpenBadgeCredential"]
    body = post(VC_CREDENTIALS, {"verifiableCredential": document}).json()
    assert body["type"] == PROBLEM + "MALFORMED_VALUE_ERROR"
    assert "type must include VerifiableCredential" in body["detail"]


def test_vc_api_jwt_string(db, issuer):
    token = sign_jwt(unsigned(issuer.did), private_key=issuer.key, kid=issuer.method)
    response = post(VC_CREDENTIALS, {"verifiableCredential": token})
    assert response.status_code == 200
    assert response.json()["verified"] is True


def test_vc_api_presentation_sent_to_credentials_endpoint(db, signed):
    response = post(VC_CREDENTIALS, {"verifiableCredential": presentation(signed)})
    assert response.status_code == 400
    assert "use /vc-api/presentations/verify" in response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        "[]",
        json.dumps({}),
        json.dumps({"verifiableCredential": 42}),
        json.dumps({"verifiableCredential": {}, "options": "fast"}),
        json.dumps({"verifiableCredential": "garbage"}),
        json.dumps({"verifiableCredential": {"@context": 5, "type": None, "proof": [1]}}),
    ],
)
def test_vc_api_malformed_bodies_are_problems_not_500(db, body):
    response = post(VC_CREDENTIALS, body)
    assert response.status_code == 400
    problem = response.json()
    assert {"type", "title", "detail", "errors"} <= set(problem)
    assert problem["errors"]


# --- VC-API presentations ------------------------------------------------------------------------


def test_presentation_without_proof(db, signed):
    response = post(VC_PRESENTATIONS, {"verifiablePresentation": presentation(signed)})
    assert response.status_code == 200
    assert "credential-1:signature" in response.json()["checks"]


def test_presentation_with_holder_proof_and_challenge(db, signed):
    holder = Issuer()
    vp = presentation(signed, holder=holder, challenge="c-123")
    ok = post(VC_PRESENTATIONS, {"verifiablePresentation": vp, "options": {"challenge": "c-123"}})
    assert ok.status_code == 200
    assert "holder-proof" in ok.json()["checks"]
    wrong = post(
        VC_PRESENTATIONS, {"verifiablePresentation": vp, "options": {"challenge": "other"}}
    )
    assert wrong.status_code == 400
    assert wrong.json()["errors"][0]["detail"] == (
        "The presentation's proof does not carry the requested challenge."
    )


def test_presentation_with_a_bad_credential(db, signed):
    bad = copy.deepcopy(signed)
    bad["name"] = "Forged"
    response = post(VC_PRESENTATIONS, {"verifiablePresentation": presentation(signed, bad)})
    assert response.status_code == 400
    assert [e["title"] for e in response.json()["errors"]] == ["Credential 2: Signature"]


def test_tampered_holder_proof(db, signed):
    vp = presentation(signed, holder=Issuer())
    vp["holder"] = "did:example:mallory"
    response = post(VC_PRESENTATIONS, {"verifiablePresentation": vp})
    assert response.status_code == 400
    assert response.json()["errors"][0]["title"] == "Holder proof"


def test_credential_sent_to_presentations_endpoint(db, signed):
    response = post(VC_PRESENTATIONS, {"verifiablePresentation": signed})
    assert response.status_code == 400
    assert "must have type VerifiablePresentation" in response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    ["{oops", json.dumps({"verifiablePresentation": "x"}), json.dumps({"nothing": 1})],
)
def test_presentations_malformed_bodies(db, body):
    response = post(VC_PRESENTATIONS, body)
    assert response.status_code == 400
    assert response.json()["type"] == PROBLEM + "PARSING_ERROR"
