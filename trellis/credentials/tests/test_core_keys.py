"""Multikey / did:key encodings and the offline key resolver."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from trellis.credentials.core.errors import KeyProblem
from trellis.credentials.core.multikey import (
    P256_PUB,
    b58_decode,
    b58_encode,
    decode_multikey,
    did_key,
    did_key_document,
    did_key_verification_method,
    ed25519_multikey,
)
from trellis.credentials.core.resolver import KeyResolver, did_web_url
from trellis.credentials.tests.core_helpers import did_key_signer, raw_public

# The 1EdTech sample key, and its raw bytes.
SAMPLE_MULTIKEY = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"


def test_did_key_round_trip():
    key, did, method = did_key_signer()
    public = raw_public(key)
    assert did == "did:key:" + ed25519_multikey(public)
    assert method == f"{did}#{ed25519_multikey(public)}"
    assert ed25519_multikey(public).startswith("z6Mk")
    assert decode_multikey(ed25519_multikey(public)) == ("Ed25519", public)
    document = did_key_document(method)
    assert document["id"] == did
    assert document["assertionMethod"] == [method]
    resolved = KeyResolver()(method)
    assert (resolved.algorithm, resolved.public_key, resolved.controller) == (
        "Ed25519",
        public,
        did,
    )


def test_sample_multikey_decodes_to_32_bytes():
    algorithm, raw = decode_multikey(SAMPLE_MULTIKEY)
    assert algorithm == "Ed25519"
    assert len(raw) == 32
    assert ed25519_multikey(raw) == SAMPLE_MULTIKEY


def test_p256_multikey_decodes():
    public = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)
    )
    multikey = b58_encode(P256_PUB + public)
    assert multikey.startswith("zDn")
    assert decode_multikey(multikey) == ("P-256", public)
    resolved = KeyResolver()(f"did:key:{multikey}#{multikey}")
    assert resolved.algorithm == "P-256"


def test_a_bare_did_key_resolves_to_its_one_key_and_a_wrong_fragment_is_refused():
    _, did, method_id = did_key_signer()
    bare = KeyResolver()(did)
    assert (bare.method_id, bare.controller) == (did, did)
    assert bare.public_key == KeyResolver()(method_id).public_key
    with pytest.raises(KeyProblem, match="does not list that verification method"):
        KeyResolver()(f"{did}#z6MkOther")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("6MkjZRZ", "starting with “z”"),
        ("z0OIl", "not valid base58btc"),
        (b58_encode(b"\xed\x01" + bytes(31)), "not an Ed25519 or P-256 Multikey"),
        (b58_encode(b"\x12\x34" + bytes(32)), "not an Ed25519 or P-256 Multikey"),
    ],
)
def test_bad_multikeys_are_refused(value, message):
    with pytest.raises(KeyProblem, match=message):
        decode_multikey(value)


def test_b58_round_trip_and_bad_key_lengths():
    assert b58_decode(b58_encode(b"\x00\x01trellis")) == b"\x00\x01trellis"
    with pytest.raises(KeyProblem, match="32 bytes"):
        ed25519_multikey(bytes(31))
    with pytest.raises(KeyProblem, match="Not a did:key"):
        did_key_document("did:web:example.com")
    assert did_key(bytes(32)).startswith("did:key:z6Mk")
    assert did_key_verification_method(bytes(32)).count("#") == 1


def test_did_web_urls():
    assert did_web_url("did:web:example.com") == "https://example.com/.well-known/did.json"
    assert (
        did_web_url("did:web:example.com:issuers:42#key-1")
        == "https://example.com/issuers/42/did.json"
    )
    assert did_web_url("did:web:localhost%3A8443") == "https://localhost:8443/.well-known/did.json"


def test_seeded_documents_resolve_and_unseeded_ones_are_offline():
    resolver = KeyResolver()
    method = f"https://trellis.example/issuers/1#{SAMPLE_MULTIKEY}"
    resolver.seed(
        "https://trellis.example/issuers/1",
        {
            "id": "https://trellis.example/issuers/1",
            "verificationMethod": [
                {"id": method, "type": "Multikey", "publicKeyMultibase": SAMPLE_MULTIKEY}
            ],
        },
    )
    assert resolver(method).controller == method
    with pytest.raises(KeyProblem, match="does not list that verification method"):
        resolver("https://trellis.example/issuers/1#other")
    with pytest.raises(KeyProblem, match="works offline"):
        resolver("https://elsewhere.example/key")
    with pytest.raises(KeyProblem, match="cannot resolve the verification method"):
        resolver("urn:example:key")


def test_did_web_resolves_through_the_fetch_function():
    fetched = []

    def fetch(url):
        fetched.append(url)
        return {
            "id": "did:web:example.com",
            "verificationMethod": [
                {
                    "id": "did:web:example.com#key-1",
                    "type": "Multikey",
                    "controller": "did:web:example.com",
                    "publicKeyMultibase": SAMPLE_MULTIKEY,
                }
            ],
        }

    resolver = KeyResolver(fetch=fetch)
    assert resolver("did:web:example.com#key-1").controller == "did:web:example.com"
    assert resolver("did:web:example.com#key-1").algorithm == "Ed25519"
    assert fetched == ["https://example.com/.well-known/did.json"]  # cached after the first
