"""VC-JWT: EdDSA and ES256 signing, decoding (both payload shapes) and verification."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from trellis.credentials.core import jwt
from trellis.credentials.core.errors import CredentialError, KeyProblem, ProofError
from trellis.credentials.core.multikey import P256_PUB, b58_encode
from trellis.credentials.core.resolver import KeyResolver
from trellis.credentials.tests.core_helpers import did_key_signer, ob3_credential, shared_path


def b64(data: dict | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def p256_signer() -> tuple[ec.EllipticCurvePrivateKey, str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
    )
    multikey = b58_encode(P256_PUB + public)
    return key, f"did:key:{multikey}", f"did:key:{multikey}#{multikey}"


@pytest.mark.parametrize(("signer", "alg"), [(did_key_signer, "EdDSA"), (p256_signer, "ES256")])
def test_sign_and_verify(signer, alg):
    key, did, kid = signer()
    credential = ob3_credential(did, validUntil="2031-01-15T00:00:00Z")
    token = jwt.sign_jwt(credential, private_key=key, kid=kid)
    parts = jwt.decode_jwt(token)
    assert parts.header == {"alg": alg, "kid": kid, "typ": "JWT"}
    assert parts.claims["iss"] == did
    assert parts.claims["jti"] == credential["id"]
    assert parts.claims["sub"] == "did:example:learner-1"
    assert parts.claims["nbf"] == 1768435200
    assert parts.claims["exp"] == 1926201600
    assert "vc" not in parts.claims
    assert parts.credential == credential
    assert jwt.verify_jwt(token, resolve=KeyResolver()) == credential
    if alg == "ES256":
        assert len(base64.urlsafe_b64decode(token.split(".")[2] + "==")) == 64  # raw r‖s


def test_no_exp_without_valid_until_and_generate_key():
    key = jwt.generate_key("EdDSA")
    assert isinstance(key, Ed25519PrivateKey)
    assert isinstance(jwt.generate_key("ES256"), ec.EllipticCurvePrivateKey)
    with pytest.raises(KeyProblem, match="Unsupported JWT algorithm 'RS256'"):
        jwt.generate_key("RS256")
    token = jwt.sign_jwt(ob3_credential("did:example:i"), private_key=key, kid="did:example:i#1")
    assert "exp" not in jwt.decode_jwt(token).claims


def test_sign_refuses_unusable_input():
    key, did, kid = did_key_signer()
    with pytest.raises(KeyProblem, match="needs a kid"):
        jwt.sign_jwt(ob3_credential(did), private_key=key, kid="")
    with pytest.raises(CredentialError, match="no issuer id"):
        jwt.sign_jwt(ob3_credential(did, issuer={"name": "x"}), private_key=key, kid=kid)
    with pytest.raises(CredentialError, match="validFrom 'yesterday' is not a date-time"):
        jwt.sign_jwt(ob3_credential(did, validFrom="yesterday"), private_key=key, kid=kid)
    with pytest.raises(CredentialError, match="has no time zone"):
        jwt.sign_jwt(ob3_credential(did, validFrom="2026-01-01T00:00:00"), private_key=key, kid=kid)
    with pytest.raises(KeyProblem, match="Ed25519 or P-256"):
        jwt.sign_jwt(
            ob3_credential(did), private_key=ec.generate_private_key(ec.SECP384R1()), kid=kid
        )


def test_tampered_payload_fails():
    key, did, kid = did_key_signer()
    header, _, signature = jwt.sign_jwt(ob3_credential(did), private_key=key, kid=kid).split(".")
    claims = jwt.claims_for(ob3_credential(did, name="Forged"))
    with pytest.raises(ProofError, match="signature does not match"):
        jwt.verify_jwt(f"{header}.{b64(claims)}.{signature}", resolve=KeyResolver())


def test_other_key_fails_and_unknown_kid_is_reported():
    key, did, _ = did_key_signer()
    _, _, other_kid = did_key_signer()
    token = jwt.sign_jwt(ob3_credential(did), private_key=key, kid=other_kid)
    with pytest.raises(ProofError, match="signature does not match"):
        jwt.verify_jwt(token, resolve=KeyResolver())
    token = jwt.sign_jwt(ob3_credential(did), private_key=key, kid="https://elsewhere.example/k")
    with pytest.raises(ProofError, match=r"could not be resolved: .*works offline"):
        jwt.verify_jwt(token, resolve=KeyResolver())


def test_alg_key_mismatch_fails():
    key, did, _ = did_key_signer()
    _, _, p256_kid = p256_signer()
    token = jwt.sign_jwt(ob3_credential(did), private_key=key, kid=p256_kid)
    with pytest.raises(ProofError, match=r"says EdDSA but its key .* is a P-256 key"):
        jwt.verify_jwt(token, resolve=KeyResolver())


def test_iss_must_be_the_issuer():
    key, did, kid = did_key_signer()
    claims = {**jwt.claims_for(ob3_credential(did)), "iss": "did:example:someone-else"}
    signing_input = f"{b64({'alg': 'EdDSA', 'kid': kid, 'typ': 'JWT'})}.{b64(claims)}"
    token = f"{signing_input}.{b64(key.sign(signing_input.encode()))}"
    with pytest.raises(ProofError, match="iss 'did:example:someone-else' is not the credential"):
        jwt.verify_jwt(token, resolve=KeyResolver())


def test_vc_claim_tokens_are_accepted():
    key, did, kid = did_key_signer()
    credential = ob3_credential(did)
    claims = {"iss": did, "jti": credential["id"], "nbf": 1768435200, "vc": credential}
    signing_input = f"{b64({'alg': 'EdDSA', 'kid': kid})}.{b64(claims)}"
    token = f"{signing_input}.{b64(key.sign(signing_input.encode()))}"
    assert jwt.verify_jwt(token, resolve=KeyResolver()) == credential


def test_1edtech_sample_jwt_decodes_as_vc_claim_and_rs256_is_not_verified():
    token = shared_path("samples/ob30/simple.jwt").read_text(encoding="utf-8")
    parts = jwt.decode_jwt(token)
    assert parts.header["alg"] == "RS256"
    assert parts.credential["id"] == "http://example.edu/credentials/3732"
    assert parts.credential["issuer"]["id"] == "https://example.edu/issuers/565049"
    with pytest.raises(ProofError, match="Unsupported JWT algorithm 'RS256'"):
        jwt.verify_jwt(token, resolve=KeyResolver())


CREDENTIAL = {"@context": ["x"], "type": ["VerifiableCredential"], "issuer": "did:example:i"}


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("abc.def", "three dot-separated parts; this one has 2"),
        ("a.b.c.d", "this one has 4"),
        ("!!!." + b64(CREDENTIAL) + ".AAAA", "header is not base64url"),
        (b64({"alg": "EdDSA"}) + ".e30=.AAAA", "payload is not base64url"),
        (b64(b"not json") + "." + b64(CREDENTIAL) + ".AAAA", "header is not JSON"),
        (b64(b"[1]") + "." + b64(CREDENTIAL) + ".AAAA", "header must be a JSON object"),
        (b64({"alg": "none"}) + "." + b64(CREDENTIAL) + ".AAAA", "alg “none”"),
        (b64({"alg": "EdDSA"}) + "." + b64(CREDENTIAL) + ".", "signature is not base64url"),
        (b64({"alg": "EdDSA", "typ": "JOSE"}) + "." + b64(CREDENTIAL) + ".AA", "typ must be"),
        (b64({"alg": "EdDSA"}) + "." + b64({"iss": "x"}) + ".AAAA", "does not carry a verifiable"),
        ("a" * (jwt.MAX_TOKEN_LENGTH + 1), "too large"),
    ],
)
def test_malformed_tokens_are_refused(token, message):
    with pytest.raises(CredentialError, match=message):
        jwt.decode_jwt(token)


def test_non_text_and_missing_kid():
    with pytest.raises(CredentialError, match="must be text"):
        jwt.decode_jwt(b"abc")  # type: ignore[arg-type]
    token = b64({"alg": "EdDSA"}) + "." + b64(CREDENTIAL) + ".AAAA"
    with pytest.raises(ProofError, match="no kid"):
        jwt.verify_jwt(token, resolve=KeyResolver())
