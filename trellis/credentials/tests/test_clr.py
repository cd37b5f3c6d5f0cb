"""CLR 2.0 transcripts (pure core): shape, schema, safe-mode signing, bad input."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from trellis.credentials.core.clr import CLR_CREDENTIAL_SCHEMA, build_clr, embedded_credentials
from trellis.credentials.core.dataintegrity import proofs_of, sign, verify_proof
from trellis.credentials.core.documents import build_credential, hashed_email
from trellis.credentials.core.errors import CredentialError, ProofError
from trellis.credentials.core.loader import CLR_V2, OB_V3, OB_V3_EXTENSIONS, VC_V2
from trellis.credentials.core.multikey import did_key, did_key_verification_method
from trellis.credentials.core.resolver import KeyResolver
from trellis.credentials.core.schema import validate
from trellis.credentials.core.specs import (
    AchievementSpec,
    CredentialSpec,
    IssuerSpec,
    SubjectSpec,
)

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data" / "standards"
BASE = "https://trellis.example/northfield"
WHEN = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


@pytest.fixture(scope="module")
def key():
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return private, did_key(public), did_key_verification_method(public)


def signed_credential(key, slug: str, name: str) -> dict:
    private, did, method = key
    spec = CredentialSpec(
        id=f"{BASE}/credentials/{slug}",
        issuer=IssuerSpec(id=did, name="Northfield Public Schools"),
        subject=SubjectSpec(email="alice@northfield.test", salt="s4lt"),
        achievement=AchievementSpec(
            id=f"{BASE}/mc/{slug}",
            name=name,
            description=f"Demonstrates {name.lower()}.",
            criteria_narrative="Submit evidence scored proficient on the rubric.",
        ),
        valid_from=WHEN,
    )
    return sign(
        build_credential(spec),
        private_key=private,
        verification_method=method,
        created="2025-03-01T12:00:00Z",
    )


def transcript(key, credentials, **changes) -> dict:
    _, did, _ = key
    arguments = {
        "id": f"{BASE}/transcripts/7a1e",
        "issuer": IssuerSpec(id=did, name="Northfield Public Schools", url="https://nf.example"),
        "subject": SubjectSpec(email="Alice@Northfield.test", salt="pepper"),
        "credentials": credentials,
        "valid_from": WHEN,
        "name": "Alice Adams: professional learning transcript",
    }
    arguments.update(changes)
    return build_clr(**arguments)


def test_transcript_carries_signed_credentials_and_their_achievements(key):
    first = signed_credential(key, "feedback", "Effective Feedback")
    second = signed_credential(key, "questioning", "Questioning")
    clr = transcript(key, [first, second], description="Everything Alice earned.")
    assert clr["@context"] == [VC_V2, CLR_V2, OB_V3, OB_V3_EXTENSIONS]
    assert clr["type"] == ["VerifiableCredential", "ClrCredential"]
    assert clr["name"] == "Alice Adams: professional learning transcript"
    assert clr["description"] == "Everything Alice earned."
    assert clr["validFrom"] == "2025-03-01T12:00:00Z"
    assert clr["issuer"] == {
        "id": key[1],
        "type": ["Profile"],
        "name": "Northfield Public Schools",
        "url": "https://nf.example",
    }
    subject = clr["credentialSubject"]
    assert subject["type"] == ["ClrSubject"]
    assert subject["identifier"] == [
        {
            "type": "IdentityObject",
            "hashed": True,
            "identityHash": hashed_email("alice@northfield.test", "pepper"),
            "identityType": "emailAddress",
            "salt": "pepper",
        }
    ]
    assert subject["verifiableCredential"] == [first, second]
    assert [a["id"] for a in subject["achievement"]] == [
        f"{BASE}/mc/feedback",
        f"{BASE}/mc/questioning",
    ]
    assert "association" not in subject
    assert clr["credentialSchema"] == [
        {"id": CLR_CREDENTIAL_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}
    ]
    assert embedded_credentials(clr) == [first, second]
    assert validate(clr, "clrcredential") == []


def test_signed_transcript_and_every_embedded_credential_verify(key):
    private, _, method = key
    credentials = [signed_credential(key, "feedback", "Effective Feedback")]
    clr = transcript(key, credentials)
    signed = sign(
        clr, private_key=private, verification_method=method, created="2025-03-02T08:00:00Z"
    )
    resolver = KeyResolver()
    assert verify_proof(signed, proofs_of(signed)[0], resolve=resolver).method_id == method
    for embedded in embedded_credentials(signed):
        assert verify_proof(embedded, proofs_of(embedded)[0], resolve=resolver).method_id == method
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"][0]["name"] = "Something else"
    with pytest.raises(ProofError):
        verify_proof(tampered, proofs_of(tampered)[0], resolve=resolver)


def test_building_does_not_alias_the_stored_credentials(key):
    credential = signed_credential(key, "feedback", "Effective Feedback")
    before = json.dumps(credential, sort_keys=True)
    clr = transcript(key, [credential])
    clr["credentialSubject"]["verifiableCredential"][0]["name"] = "changed"
    clr["credentialSubject"]["achievement"][0]["name"] = "changed"
    assert json.dumps(credential, sort_keys=True) == before


def test_subject_by_did_and_associations(key):
    first = signed_credential(key, "feedback", "Effective Feedback")
    second = signed_credential(key, "questioning", "Questioning")
    clr = transcript(
        key,
        [first, second],
        subject=SubjectSpec(email="", id="did:example:alice"),
        associations=[("isParentOf", f"{BASE}/mc/feedback", f"{BASE}/mc/questioning")],
    )
    assert clr["credentialSubject"]["id"] == "did:example:alice"
    assert "identifier" not in clr["credentialSubject"]
    assert clr["credentialSubject"]["association"] == [
        {
            "type": "Association",
            "associationType": "isParentOf",
            "sourceId": f"{BASE}/mc/feedback",
            "targetId": f"{BASE}/mc/questioning",
        }
    ]
    assert validate(clr, "clrcredential") == []


def test_two_credentials_for_one_achievement_list_it_once(key):
    first = signed_credential(key, "feedback", "Effective Feedback")
    again = copy.deepcopy(first)
    again["id"] = f"{BASE}/credentials/feedback-2"
    clr = transcript(key, [first, again])
    assert len(clr["credentialSubject"]["achievement"]) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"credentials": []}, "A transcript needs at least one credential."),
        ({"name": "  "}, "The transcript needs a name."),
        ({"id": "not a uri"}, "The transcript id must be a URI (got 'not a uri')."),
        ({"credentials": ["x"]}, "Credential 1 is not a JSON object."),
        (
            {"credentials": [{"type": ["VerifiableCredential"], "proof": {}}]},
            "Credential 1 is not an Open Badges 3.0 credential.",
        ),
        (
            {"subject": SubjectSpec(email="")},
            "The learner needs an id or an e-mail address.",
        ),
        (
            {"subject": SubjectSpec(email="a@b.test")},
            "A hashed e-mail identifier needs a salt.",
        ),
        (
            {"issuer": IssuerSpec(id="did:key:z6Mk", name=" ")},
            "The issuer needs a name.",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(key, changes, message):
    credentials = [signed_credential(key, "feedback", "Effective Feedback")]
    arguments = {"credentials": credentials, **changes}
    with pytest.raises(CredentialError) as raised:
        transcript(key, **arguments)
    assert str(raised.value) == message


def test_unsigned_duplicate_and_naive_dates_are_refused(key):
    credential = signed_credential(key, "feedback", "Effective Feedback")
    unsigned = {k: v for k, v in credential.items() if k != "proof"}
    with pytest.raises(CredentialError, match="Credential 1 has no proof"):
        transcript(key, [unsigned])
    with pytest.raises(CredentialError, match=r"Credential 2 \(.*feedback\) is listed twice"):
        transcript(key, [credential, credential])
    with pytest.raises(CredentialError, match="no time zone"):
        transcript(key, [credential], valid_from=dt.datetime(2025, 3, 1))  # noqa: DTZ001
    no_achievement = copy.deepcopy(credential)
    del no_achievement["credentialSubject"]["achievement"]
    with pytest.raises(CredentialError, match="Credential 1 has no achievement with an id"):
        transcript(key, [no_achievement])


@pytest.mark.parametrize(
    ("association", "message"),
    [
        (("sameAs", "a", "b"), "'sameAs' is not a CLR association type"),
        (("isChildOf", "urn:x", f"{BASE}/mc/feedback"), "sourceId 'urn:x' is not an achievement"),
        (("isChildOf",), r"An association is \(associationType, sourceId, targetId\)."),
    ],
)
def test_bad_associations_are_refused(key, association, message):
    credentials = [signed_credential(key, "feedback", "Effective Feedback")]
    with pytest.raises(CredentialError, match=message):
        transcript(key, credentials, associations=[association])


def test_the_1edtech_sample_has_the_shape_we_build():
    sample = json.loads(shared_path("samples", "clr20", "simple.json").read_text())
    assert validate(sample, "clrcredential") == []
    assert sample["@context"][:3] == [VC_V2, CLR_V2, OB_V3]
    assert sample["credentialSchema"][0]["id"] == CLR_CREDENTIAL_SCHEMA
    assert set(sample["credentialSubject"]) >= {"type", "verifiableCredential", "achievement"}


# --- the educator's transcript page and download (Django) ----------------------------------------


def test_transcript_page_lists_only_my_valid_credentials(
    cast, client_for, django_assert_max_num_queries
):
    from trellis.credentials.tests.portability_helpers import issue

    issue(cast.district_a, cast.alice, "a1", "feedback", "Effective Feedback")
    issue(cast.district_a, cast.alice, "a2", "old", "Revoked One", status="revoked")
    issue(cast.district_a, cast.eve, "e1", "questioning", "Questioning")
    for n in range(5):
        issue(cast.district_b, cast.alice, f"b{n}")  # another district's: not listed here
    client = client_for(cast.alice)
    with django_assert_max_num_queries(10):
        response = client.get("/credentials/transcript")
    assert response.status_code == 200
    names = [c.achievement_name for c in response.context["credentials"]]
    assert names == ["Effective Feedback"]


def test_empty_transcript_page_and_refused_download(cast, client_for):
    client = client_for(cast.alice)
    response = client.get("/credentials/transcript")
    assert b"You have no valid credentials yet" in response.content
    response = client.post("/credentials/transcript", {"scope": "all"})
    assert response.status_code == 400
    assert response.context["error"] == (
        "You have no valid credentials yet, so there is no transcript."
    )


def test_download_all_is_a_signed_verifiable_clr(cast, client_for):
    from trellis.audit.models import AuditEvent
    from trellis.credentials.tests.portability_helpers import issue
    from trellis.credentials.verification import verify_for_server

    first = issue(cast.district_a, cast.alice, "a1", "feedback", "Effective Feedback")
    second = issue(cast.district_a, cast.alice, "a2", "questioning", "Questioning")
    response = client_for(cast.alice).post("/credentials/transcript", {"scope": "all"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert response["Content-Disposition"].startswith('attachment; filename="clr-transcript-')
    clr = json.loads(response.content)
    assert clr["type"] == ["VerifiableCredential", "ClrCredential"]
    assert clr["name"] == "Alice Archer: professional learning transcript"
    assert clr["issuer"]["id"] == first.document["issuer"]["id"]
    assert {c["id"] for c in embedded_credentials(clr)} == {
        first.document["id"],
        second.document["id"],
    }
    assert embedded_credentials(clr)[0]["proof"] in (
        first.document["proof"],
        second.document["proof"],
    )
    assert (
        clr["credentialSubject"]["identifier"] == first.document["credentialSubject"]["identifier"]
    )
    assert validate(clr, "clrcredential") == []
    report = verify_for_server(clr)
    assert report.ok, [c for c in report.checks if c.outcome == "failed"]
    proof = proofs_of(clr)[0]
    assert verify_proof(clr, proof, resolve=KeyResolver()).method_id == proof["verificationMethod"]
    event = AuditEvent.objects.get(action="credential.transcript_exported")
    assert event.summary == "Exported a CLR transcript of 2 credentials"


def test_download_only_the_ticked_credentials(cast, client_for):
    from trellis.credentials.tests.portability_helpers import issue

    first = issue(cast.district_a, cast.alice, "a1", "feedback", "Effective Feedback")
    issue(cast.district_a, cast.alice, "a2", "questioning", "Questioning")
    response = client_for(cast.alice).post(
        "/credentials/transcript", {"scope": "chosen", "credential": [str(first.public_id)]}
    )
    assert response.status_code == 200
    clr = json.loads(response.content)
    assert [c["id"] for c in embedded_credentials(clr)] == [first.document["id"]]


@pytest.mark.parametrize("choice", [[], ["not-a-uuid"], ["other"]])
def test_download_refuses_a_bad_choice_and_writes_nothing(cast, client_for, choice):
    from trellis.audit.models import AuditEvent
    from trellis.credentials.tests.portability_helpers import issue

    issue(cast.district_a, cast.alice, "a1")
    eves = issue(cast.district_a, cast.eve, "e1")
    if choice == ["other"]:
        choice = [str(eves.public_id)]
    response = client_for(cast.alice).post(
        "/credentials/transcript", {"scope": "chosen", "credential": choice}
    )
    assert response.status_code == 400
    expected = (
        "Choose at least one credential for the transcript."
        if not choice
        else "Some chosen credentials are not among your valid credentials; reload the page."
    )
    assert response.context["error"] == expected
    assert not AuditEvent.objects.filter(action="credential.transcript_exported").exists()


def test_transcript_api(cast, api_client_for):
    from trellis.credentials.tests.portability_helpers import issue

    credential = issue(cast.district_a, cast.alice, "a1")
    response = api_client_for(cast.alice).get("/api/v1/me/transcript/clr")
    assert response.status_code == 200
    clr = response.json()
    assert [c["id"] for c in embedded_credentials(clr)] == [credential.document["id"]]
    response = api_client_for(cast.eve).get("/api/v1/me/transcript/clr")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "no_credentials"
