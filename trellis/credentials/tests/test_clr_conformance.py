"""CLR 2.0 conformance: our canonicalization reproduces 1EdTech's CLR document vector byte for
byte, and a ClrCredential Trellis signs verifies (eddsa-rdfc-2022), matches the 1EdTech CLR 2.0
schema from ../shared, and every AchievementCredential inside it verifies on its own."""

import copy
import json

import pytest
from jsonschema import Draft201909Validator

from trellis.credentials.core.canon import canonize
from trellis.credentials.core.dataintegrity import proofs_of, verify_proof
from trellis.credentials.core.loader import OB_V3, OB_V3_EXTENSIONS, VC_V2
from trellis.credentials.core.resolver import KeyResolver
from trellis.credentials.services import keys, lifecycle, transcripts
from trellis.credentials.tests.core_helpers import fragment_resolver, sample, shared_path, vector
from trellis.credentials.tests.test_issuing import issue
from trellis.credentials.verification import verify_for_server

VECTOR_CREDENTIAL_ID = "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002"
VECTOR_KEY = "https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"


def vector_clr() -> dict:
    """The ClrCredential of 1EdTech's clrv2p0 document vector: their clr20/simple.json sample
    (without its proof) with the AchievementCredential of the spec example embedded, which
    the University issued for "Achievement 1" and signed (its proof is in the vector)."""
    clr = sample("clr20/simple.json")
    del clr["proof"]
    subject = clr["credentialSubject"]
    embedded = {
        "@context": [VC_V2, OB_V3, OB_V3_EXTENSIONS],
        "id": VECTOR_CREDENTIAL_ID,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": copy.deepcopy(clr["issuer"]),
        "validFrom": "2010-01-01T00:00:00Z",
        "name": "Example University Degree",
        "credentialSubject": {
            "id": subject["id"],
            "type": ["AchievementSubject"],
            "achievement": copy.deepcopy(subject["achievement"][0]),
        },
        "credentialSchema": [
            {
                "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
                "ob_v3p0_achievementcredential_schema.json",
                "type": "1EdTechJsonSchemaValidator2019",
            }
        ],
        "proof": [
            {
                "type": "DataIntegrityProof",
                "created": "2010-01-01T19:23:24Z",
                "verificationMethod": VECTOR_KEY,
                "cryptosuite": "eddsa-rdfc-2022",
                "proofPurpose": "assertionMethod",
                "proofValue": "z45QnLySMt2mWuW787G6cf3SLkP97ZkMZxLeXH5yaaTQPCtTup4GCV95tU8HEnQJ"
                "SyGCokSj3AvUhmJtvveTmN4Vu",
            }
        ],
    }
    subject["verifiableCredential"] = [embedded]
    return clr


def test_clr_document_vector_byte_for_byte():
    clr = vector_clr()
    assert canonize(clr) == vector("clrv2p0-document-canon.txt")
    [embedded] = clr["credentialSubject"]["verifiableCredential"]
    # The embedded credential is exactly what was signed: its own proof verifies.
    key = verify_proof(embedded, proofs_of(embedded)[0], resolve=fragment_resolver(embedded))
    assert key.method_id == VECTOR_KEY


def test_clr_document_vector_differs_from_the_plain_sample():
    clr = sample("clr20/simple.json")
    del clr["proof"]
    assert canonize(clr) != vector("clrv2p0-document-canon.txt")


def shared_validator(relative: str) -> Draft201909Validator:
    path = shared_path(f"schemas/{relative}")
    return Draft201909Validator(json.loads(path.read_text(encoding="utf-8")))


def errors_of(validator: Draft201909Validator, document: dict) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


@pytest.mark.django_db
def test_trellis_clr_verifies_matches_the_schema_and_so_does_each_credential(cast):
    first = issue(cast, key="a")
    second = issue(cast, key="b")
    clr = transcripts.export_transcript(access=cast.access(cast.alice), actor=cast.alice)
    assert clr["type"] == ["VerifiableCredential", "ClrCredential"]
    [proof] = proofs_of(clr)
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert (
        verify_proof(clr, proof, resolve=KeyResolver()).method_id == (proof["verificationMethod"])
    )
    report = verify_for_server(clr)
    assert report.ok, [(c.id, c.detail) for c in report.failed]
    assert errors_of(shared_validator("clr_v2p0/clr_v2p0_clrcredential_schema.json"), clr) == []
    ob3 = shared_validator("ob_v3p0/ob_v3p0_achievementcredential_schema.json")
    embedded = clr["credentialSubject"]["verifiableCredential"]
    assert {c["id"] for c in embedded} == {first.document["id"], second.document["id"]}
    documents = {row.document["id"]: row.document for row in (first, second)}
    for credential in embedded:
        assert credential == documents[credential["id"]]
        assert errors_of(ob3, credential) == []
        alone = verify_for_server(credential)
        assert alone.ok, [(c.id, c.detail) for c in alone.failed]
        assert alone.check("signature").outcome == "passed"


@pytest.mark.django_db
def test_a_transcript_of_suspendable_credentials_still_verifies(cast):
    issuer = keys.ensure_issuer(cast.district_a)
    issuer.suspendable = True
    issuer.save(update_fields=["suspendable"])
    credential = issue(cast)
    clr = transcripts.export_transcript(access=cast.access(cast.alice), actor=cast.alice)
    report = verify_for_server(clr)
    assert report.ok, [(c.id, c.detail) for c in report.failed]
    assert report.check("schema").outcome == "passed"
    lifecycle.suspend_credential(
        cast.access(cast.dana), credential.public_id, reason="Review", actor=cast.dana
    )
    [embedded] = clr["credentialSubject"]["verifiableCredential"]
    assert verify_for_server(embedded).check("status").detail == (
        "Suspended: the issuer's status list marks it suspended."
    )
