"""The credential core against 1EdTech's canonicalization vectors and signed samples."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from trellis.credentials.core.canon import canonize
from trellis.credentials.core.dataintegrity import proofs_of, verify_proof
from trellis.credentials.core.errors import KeyProblem, ProofError
from trellis.credentials.core.resolver import KeyResolver
from trellis.credentials.tests.core_helpers import fragment_resolver, sample, vector

VECTOR_ISSUER = "https://example.edu/issuers/565049"


def _proof_options(proof: dict[str, Any], context: Any) -> dict[str, Any]:
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    options["@context"] = context
    return options


def test_ob30_document_vector_is_simple_json_with_the_example_edu_issuer():
    credential = sample("ob30/simple.json")
    del credential["proof"]
    credential["issuer"] = {
        **credential["issuer"],
        "id": VECTOR_ISSUER,
        "url": "https://www.imsglobal.org",
    }
    assert canonize(credential) == vector("obv3p0-document-canon.txt")


def test_ob30_proof_vector_is_simple_json_proof_with_the_example_edu_key():
    credential = sample("ob30/simple.json")
    [proof] = credential["proof"]
    multikey = proof["verificationMethod"].split("#", 1)[1]
    proof = {**proof, "verificationMethod": f"{VECTOR_ISSUER}#{multikey}"}
    assert canonize(_proof_options(proof, credential["@context"])) == vector(
        "obv3p0-proof-canon.txt"
    )


def test_clr20_proof_vector_is_clr_simple_json_proof_options():
    credential = sample("clr20/simple.json")
    [proof] = credential["proof"]
    assert canonize(_proof_options(proof, credential["@context"])) == vector(
        "clrv2p0-proof-canon.txt"
    )


def test_vectors_differ_from_the_unmodified_sample():
    """Guards the two tests above: the substitution is what makes them match."""
    credential = sample("ob30/simple.json")
    del credential["proof"]
    assert canonize(credential) != vector("obv3p0-document-canon.txt")


SIGNED = [
    ("ob30/simple.json", 0),
    ("ob30/complete.json", 0),
    ("ob30/endorsement-valid.json", 0),
    ("ob30/bitstring-credential-status-revoked.json", 0),
    ("ob30/simple-multiple-proofs.json", 1),
    ("clr20/simple.json", 0),
]


@pytest.mark.parametrize(("name", "index"), SIGNED)
def test_1edtech_signed_samples_verify(name, index):
    credential = sample(name)
    proof = proofs_of(credential)[index]
    key = verify_proof(credential, proof, resolve=fragment_resolver(credential))
    assert key.algorithm == "Ed25519"
    assert key.method_id == proof["verificationMethod"]


def test_clr_nested_achievement_credential_verifies_too():
    clr = sample("clr20/simple.json")
    [nested] = clr["credentialSubject"]["verifiableCredential"]
    [proof] = proofs_of(nested)
    assert verify_proof(nested, proof, resolve=fragment_resolver(nested)).method_id == (
        "https://example.com/issuers/876543#z6MkvREVgsHx7Ppae68vCoByy73ZD4aMSJiPML2cryVL8JAx"
    )


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("name",), "Another name"),
        (("credentialSubject", "id"), "did:example:someone-else"),
        (("validFrom",), "2011-01-01T00:00:00Z"),
    ],
)
def test_changing_one_field_of_a_signed_sample_breaks_the_proof(path, value):
    credential = sample("ob30/simple.json")
    resolver = fragment_resolver(credential)
    tampered = copy.deepcopy(credential)
    target = tampered
    for key in path[:-1]:
        target = target[key]
    assert target[path[-1]] != value
    target[path[-1]] = value
    with pytest.raises(ProofError, match="does not match the credential"):
        verify_proof(tampered, proofs_of(tampered)[0], resolve=resolver)


def test_changing_the_proof_created_date_breaks_the_proof():
    credential = sample("ob30/simple.json")
    proof = {**proofs_of(credential)[0], "created": "2010-01-01T19:23:25Z"}
    with pytest.raises(ProofError, match="does not match the credential"):
        verify_proof(credential, proof, resolve=fragment_resolver(credential))


def test_sample_with_another_key_fails():
    credential = sample("ob30/simple.json")
    proof = proofs_of(credential)[0]
    other = "z6MkvREVgsHx7Ppae68vCoByy73ZD4aMSJiPML2cryVL8JAx"
    method = proof["verificationMethod"].split("#")[0] + "#" + other
    with pytest.raises(ProofError, match="does not match the credential"):
        verify_proof(
            credential,
            {**proof, "verificationMethod": method},
            resolve=fragment_resolver({"verificationMethod": method}),
        )


def test_legacy_and_unknown_proof_types_are_refused_with_the_reason():
    legacy = sample("ob30/credential-status-revoked.json")
    with pytest.raises(ProofError, match="Unsupported proof type 'Ed25519Signature2020'"):
        verify_proof(legacy, proofs_of(legacy)[0], resolve=KeyResolver())
    multiple = sample("ob30/simple-multiple-proofs.json")
    with pytest.raises(ProofError, match="Unsupported proof type 'SomeProofType'"):
        verify_proof(multiple, proofs_of(multiple)[0], resolve=KeyResolver())


def test_the_retired_eddsa_2022_cryptosuite_is_refused():
    credential = sample("ob30/simple-eddsa-2022.json")
    with pytest.raises(ProofError, match="Unsupported cryptosuite 'eddsa-2022'"):
        verify_proof(credential, proofs_of(credential)[0], resolve=fragment_resolver(credential))


def test_a_bare_did_key_as_verification_method_means_its_one_key():
    credential = sample("ob30/simple-did-key-method.json")
    did = "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
    assert proofs_of(credential)[0]["verificationMethod"] == did

    key = verify_proof(credential, proofs_of(credential)[0], resolve=KeyResolver())

    named = KeyResolver()(f"{did}#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi")
    assert (key.algorithm, key.public_key) == (named.algorithm, named.public_key)
    assert key.method_id == did
    assert key.controller == did
    tampered = copy.deepcopy(credential)
    tampered["name"] = "test 2"
    with pytest.raises(ProofError):
        verify_proof(tampered, proofs_of(tampered)[0], resolve=KeyResolver())


def test_https_key_is_not_fetched_when_offline():
    credential = sample("ob30/simple.json")
    with pytest.raises(KeyProblem, match="this verifier works offline"):
        verify_proof(credential, proofs_of(credential)[0], resolve=KeyResolver())


@pytest.mark.parametrize(
    "name",
    [
        "ob30/simple.json",
        "ob30/complete.json",
        "ob30/endorsement-valid.json",
        "ob30/bitstring-credential-status-revoked.json",
        "ob30/simple-noproof.json",
        "clr20/simple.json",
        "clr20/complex.json",
    ],
)
def test_cached_canonize_matches_uncached_pyld_on_every_sample(name):
    from trellis.credentials.tests.test_core_dataintegrity import reference_canonize

    credential = sample(name)
    expected = reference_canonize(credential)
    assert canonize(credential) == expected
    assert canonize(credential) == expected  # second call: from the warm caches
