"""ES256 VC-JWTs: P-256 issuer keys alongside Ed25519, chosen per issuer, sealed at rest, published
in the did:web document, and verified (tampering rejected) by our verifier."""

import base64
import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from trellis.audit.models import AuditEvent
from trellis.core.errors import DomainError
from trellis.credentials import sealing
from trellis.credentials.core import jwt
from trellis.credentials.core.multikey import P256_PUB, b58_decode, did_key_document
from trellis.credentials.core.resolver import KeyResolver
from trellis.credentials.models import IssuerProfile, JwtAlgorithm, KeyAlgorithm, KeyStatus
from trellis.credentials.services import keys, lifecycle
from trellis.credentials.tests.test_issuing import issue
from trellis.credentials.verification import verify_for_server

pytestmark = pytest.mark.django_db
SITE = "https://pd.example.org"
DID = "did:web:pd.example.org:districts:northfield"


def segment(token: str, index: int) -> dict:
    part = token.split(".")[index]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def b64(data: dict) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.fixture
def es256_issuer(cast, settings):
    settings.SITE_URL = SITE
    return lifecycle.update_issuer_profile(
        cast.access(cast.dana), actor=cast.dana, jwt_algorithm=JwtAlgorithm.ES256
    )


def test_p256_key_is_sealed_and_matches_its_multikey(cast):
    issuer = keys.ensure_issuer(cast.district_a)
    key = keys.active_key(issuer, algorithm=KeyAlgorithm.P256)
    assert key.algorithm == "P-256"
    assert key.public_key_multibase.startswith("zDn")  # did:key prefix of p256-pub (0x1200)
    raw = b58_decode(key.public_key_multibase)
    assert raw[:2] == P256_PUB == b"\x80\x24"
    assert len(raw) == 35
    assert raw[2] in (2, 3)
    secret = sealing.unseal(key.encrypted_private_key, key.kek_id)
    assert len(secret) == 32
    assert secret.hex() not in key.encrypted_private_key
    private = keys.private_key(key)
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    point = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
    )
    assert point == raw[2:]
    assert keys.active_key(issuer, algorithm=KeyAlgorithm.P256) == key  # one active P-256 key
    assert keys.active_key(issuer).algorithm == "Ed25519"  # Ed25519 stays the default
    event = AuditEvent.objects.get(action="credential.key_created", data__algorithm="P-256")
    assert event.summary == "P-256 (ES256) signing key created for Northfield"


def test_es256_needs_did_web_and_a_known_algorithm(cast, settings):
    dana = cast.access(cast.dana)
    keys.ensure_issuer(cast.district_a)
    with pytest.raises(DomainError) as error:
        lifecycle.update_issuer_profile(dana, actor=cast.dana, jwt_algorithm="ES256")
    assert error.value.code == "es256_needs_did_web"
    with pytest.raises(DomainError) as error:
        lifecycle.update_issuer_profile(dana, actor=cast.dana, jwt_algorithm="RS256")
    assert error.value.code == "bad_jwt_algorithm"
    assert IssuerProfile.objects.get(district=cast.district_a).jwt_algorithm == "EdDSA"
    settings.SITE_URL = SITE
    lifecycle.update_issuer_profile(dana, actor=cast.dana, jwt_algorithm="ES256")
    assert IssuerProfile.objects.get(district=cast.district_a).jwt_algorithm == "ES256"


def test_issued_jwt_is_es256_and_verifies_the_proof_stays_eddsa(cast, es256_issuer):
    credential = issue(cast)
    p256 = es256_issuer.keys.get(algorithm="P-256", status=KeyStatus.ACTIVE)
    ed25519 = es256_issuer.keys.get(algorithm="Ed25519", status=KeyStatus.ACTIVE)
    assert segment(credential.jwt, 0) == {
        "alg": "ES256",
        "kid": f"{DID}#{p256.public_key_multibase}",
        "typ": "JWT",
    }
    claims = segment(credential.jwt, 1)
    assert claims["iss"] == DID == credential.document["issuer"]["id"]
    assert credential.document["proof"]["verificationMethod"] == (
        f"{DID}#{ed25519.public_key_multibase}"
    )
    assert credential.signing_key == ed25519
    assert len(base64.urlsafe_b64decode(credential.jwt.split(".")[2] + "==")) == 64  # r‖s
    report = verify_for_server(credential.jwt)
    assert report.ok, [(c.id, c.detail) for c in report.failed]
    assert report.format == "vc-jwt"
    assert verify_for_server(credential.document).ok
    methods = keys.did_document(cast.district_a)["verificationMethod"]
    assert {m["publicKeyMultibase"] for m in methods} == {
        p256.public_key_multibase,
        ed25519.public_key_multibase,
    }


def test_tampered_es256_jwts_are_rejected(cast, es256_issuer):
    token = issue(cast).jwt
    header, payload, signature = token.split(".")
    claims = segment(token, 1)
    claims["name"] = "Something else"
    altered = f"{header}.{b64(claims)}.{signature}"
    report = verify_for_server(altered)
    assert report.check("signature").outcome == "failed"
    assert "does not match" in report.check("signature").detail
    as_eddsa = f"{b64({**segment(token, 0), 'alg': 'EdDSA'})}.{payload}.{signature}"
    assert "says EdDSA but its key" in verify_for_server(as_eddsa).check("signature").detail
    raw = bytearray(base64.urlsafe_b64decode(signature + "=="))
    raw[5] ^= 1
    flipped = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    assert not verify_for_server(f"{header}.{payload}.{flipped}").ok
    assert not verify_for_server(f"{header}.{payload}.{signature[:-4]}").ok


def test_without_did_web_the_jwt_falls_back_to_eddsa(cast, es256_issuer, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    credential = issue(cast)
    assert segment(credential.jwt, 0)["alg"] == "EdDSA"
    assert verify_for_server(credential.jwt).ok


def test_rotation_and_revocation_keep_a_p256_key(cast, es256_issuer):
    dana = cast.access(cast.dana)
    old = keys.active_key(es256_issuer, algorithm=KeyAlgorithm.P256)
    signed_before = issue(cast, key="before")
    keys.rotate_key(dana, actor=cast.dana)
    old.refresh_from_db()
    assert old.status == KeyStatus.RETIRED
    new = es256_issuer.keys.get(algorithm="P-256", status=KeyStatus.ACTIVE)
    assert new != old
    assert verify_for_server(signed_before.jwt).ok  # a retired key still verifies
    keys.revoke_key(dana, new.public_id, reason="Leaked", actor=cast.dana)
    assert es256_issuer.keys.filter(algorithm="P-256", status=KeyStatus.ACTIVE).count() == 1
    after = issue(cast, key="after")
    assert verify_for_server(after.jwt).ok


def test_core_es256_with_a_p256_did_key():
    """did:key for P-256 (multicodec 0x1200, compressed point) resolves offline."""
    private = ec.generate_private_key(ec.SECP256R1())
    point = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
    )
    from trellis.credentials.core.multikey import p256_multikey

    multikey = p256_multikey(point)
    did = f"did:key:{multikey}"
    assert did_key_document(did)["verificationMethod"][0]["publicKeyMultibase"] == multikey
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": did,
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:alice"},
    }
    token = jwt.sign_jwt(credential, private_key=private, kid=f"{did}#{multikey}")
    assert segment(token, 0)["alg"] == "ES256"
    assert jwt.verify_jwt(token, resolve=KeyResolver()) == credential
    with pytest.raises(Exception, match="P-256"):
        p256_multikey(point[1:])
