"""eddsa-rdfc-2022 sign/verify, safe mode, the offline loader and the canonicalization speed-ups."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld

from trellis.credentials.core.canon import canonize, canonize_safely
from trellis.credentials.core.dataintegrity import proofs_of, sign, verify_proof
from trellis.credentials.core.errors import CredentialError, ProofError, UnsafeDocument
from trellis.credentials.core.loader import load_context
from trellis.credentials.core.multikey import b58_encode
from trellis.credentials.core.resolver import KeyResolver
from trellis.credentials.tests.core_helpers import did_key_signer, ob3_credential

CREATED = "2026-01-15T10:00:00Z"


def _signed():
    key, did, method = did_key_signer()
    credential = ob3_credential(did)
    return sign(credential, private_key=key, verification_method=method, created=CREATED), method


def test_sign_then_verify_with_did_key():
    signed, method = _signed()
    assert signed["proof"]["type"] == "DataIntegrityProof"
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert signed["proof"]["created"] == CREATED
    assert signed["proof"]["proofValue"].startswith("z")
    key = verify_proof(signed, signed["proof"], resolve=KeyResolver())
    assert key.method_id == method
    assert key.controller == method.split("#")[0]


def test_sign_does_not_change_the_input():
    key, did, method = did_key_signer()
    credential = ob3_credential(did)
    before = copy.deepcopy(credential)
    sign(credential, private_key=key, verification_method=method, created=CREATED)
    assert credential == before


def test_signing_a_document_that_has_a_proof_is_refused():
    signed, method = _signed()
    key, _, _ = did_key_signer()
    with pytest.raises(CredentialError, match="already has a proof"):
        sign(signed, private_key=key, verification_method=method, created=CREATED)


def test_tampered_subject_fails_with_a_reason():
    signed, _ = _signed()
    signed["credentialSubject"]["achievement"]["name"] = "Something else"
    with pytest.raises(ProofError, match="does not match the credential"):
        verify_proof(signed, signed["proof"], resolve=KeyResolver())


def test_signature_from_another_key_fails():
    signed, _ = _signed()
    _, _, other_method = did_key_signer()
    proof = {**signed["proof"], "verificationMethod": other_method}
    with pytest.raises(ProofError, match="signed by another key"):
        verify_proof(signed, proof, resolve=KeyResolver())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "Ed25519Signature2020"}, "Unsupported proof type"),
        ({"cryptosuite": "ecdsa-rdfc-2019"}, "Unsupported cryptosuite"),
        ({"proofPurpose": "authentication"}, "proof purpose must be assertionMethod"),
        ({"verificationMethod": ""}, "no verificationMethod"),
        ({"proofValue": None}, "no proofValue"),
        ({"proofValue": "uAAAA"}, "not multibase base58btc"),
        ({"proofValue": b58_encode(b"short")}, "not a 64-byte Ed25519 signature"),
    ],
)
def test_malformed_proofs_are_refused(change, message):
    signed, _ = _signed()
    proof = {**signed["proof"], **change}
    with pytest.raises(ProofError, match=message):
        verify_proof(signed, proof, resolve=KeyResolver())


def test_proofs_of_accepts_one_or_many_and_refuses_other_shapes():
    signed, _ = _signed()
    assert proofs_of(signed) == [signed["proof"]]
    assert proofs_of({**signed, "proof": [signed["proof"]]}) == [signed["proof"]]
    assert proofs_of({"id": "x"}) == []
    with pytest.raises(ProofError, match="must be an object or a list of objects"):
        proofs_of({"proof": ["text"]})


def test_safe_mode_names_undefined_terms_and_signs_nothing():
    key, did, method = did_key_signer()
    credential = ob3_credential(did, favouriteColour="green")
    credential["credentialSubject"]["shoeSize"] = 42
    with pytest.raises(UnsafeDocument) as raised:
        sign(credential, private_key=key, verification_method=method, created=CREATED)
    assert raised.value.terms == ["favouriteColour", "shoeSize"]
    assert "favouriteColour, shoeSize" in str(raised.value)


def test_safe_mode_refuses_an_undefined_type():
    _, did, _ = did_key_signer()
    credential = ob3_credential(did, type=["VerifiableCredential", "MadeUpCredential"])
    with pytest.raises(UnsafeDocument) as raised:
        canonize_safely(credential)
    assert raised.value.terms == ["MadeUpCredential"]


def test_safe_mode_refuses_a_relative_iri():
    _, did, _ = did_key_signer()
    credential = ob3_credential(did, id="credentials/42")
    with pytest.raises(UnsafeDocument) as raised:
        canonize_safely(credential)
    assert raised.value.terms == ["credentials/42"]


def test_plain_canonize_silently_drops_undefined_terms():
    """Why safe mode exists: without it the extra term is not signed at all."""
    _, did, _ = did_key_signer()
    assert canonize(ob3_credential(did, favouriteColour="green")) == canonize(ob3_credential(did))


def test_unknown_context_is_refused_without_network():
    _, did, _ = did_key_signer()
    credential = ob3_credential(did)
    credential["@context"] = [*credential["@context"], "https://example.org/my-context.jsonld"]
    with pytest.raises(CredentialError) as raised:
        canonize(credential)
    assert str(raised.value) == (
        "The document is not valid JSON-LD: The JSON-LD context "
        "'https://example.org/my-context.jsonld' is not one Trellis knows; "
        "contexts are never fetched from the network."
    )
    with pytest.raises(CredentialError, match="not one Trellis knows"):
        load_context("https://example.org/my-context.jsonld")


# The canonicalization speed-ups (static context caching, cheaper context keys, reused scoped
# child contexts) must give exactly what plain pyld gives with a fresh, uncached loader.


def _reference_loader(url, options=None):
    return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(load_context(url))}


def reference_canonize(document):
    return jsonld.normalize(
        copy.deepcopy(document),
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": _reference_loader,
        },
    )


text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=text,
    description=text,
    narrative=text,
    achievement_type=st.sampled_from(["Competency", "Badge", "Certificate", "Course"]),
    with_result=st.booleans(),
    endorsed=st.booleans(),
)
def test_canonize_matches_uncached_pyld(
    name, description, narrative, achievement_type, with_result, endorsed
):
    credential = ob3_credential("did:example:issuer", name=name)
    achievement = credential["credentialSubject"]["achievement"]
    achievement.update(
        description=description,
        criteria={"narrative": narrative},
        achievementType=achievement_type,
    )
    if with_result:
        achievement["resultDescription"] = [
            {
                "id": "urn:uuid:rd-1",
                "type": ["ResultDescription"],
                "name": "Rubric",
                "resultType": "RubricCriterionLevel",
            }
        ]
        credential["credentialSubject"]["result"] = [
            {"type": ["Result"], "resultDescription": "urn:uuid:rd-1", "value": narrative}
        ]
    if endorsed:
        credential["credentialSubject"]["source"] = {
            "id": "https://trellis.example/schools/1",
            "type": ["Profile"],
            "name": description,
        }
    assert canonize(credential) == reference_canonize(credential)
    assert canonize_safely(credential) == reference_canonize(credential)


@settings(max_examples=15, deadline=None)
@given(name=text, subject=st.from_regex(r"did:example:[a-z0-9]{1,12}", fullmatch=True))
def test_sign_verify_round_trip_for_any_text(name, subject):
    key, did, method = did_key_signer()
    credential = ob3_credential(did, name=name)
    credential["credentialSubject"]["id"] = subject
    signed = sign(credential, private_key=key, verification_method=method, created=CREATED)
    assert verify_proof(signed, signed["proof"], resolve=KeyResolver()).method_id == method
