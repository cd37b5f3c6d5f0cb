"""The itemised verifier (pure core): our own signed credentials, the 1EdTech samples, and every
way a credential can fail, each with the exact failing check."""

from __future__ import annotations

import copy
import json
import struct
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from trellis.credentials.core.baking import bake_png, bake_svg
from trellis.credentials.core.dataintegrity import sign
from trellis.credentials.core.jwt import sign_jwt
from trellis.credentials.core.loader import OB_V3, OB_V3_EXTENSIONS, VC_V2
from trellis.credentials.core.multikey import (
    did_key,
    did_key_verification_method,
    multikey_document,
)
from trellis.credentials.core.resolver import KeyResolver
from trellis.credentials.core.statuslist import new_bits, set_bit, status_list_credential
from trellis.credentials.core.verify import MAX_DEPTH, verify

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "standards" / "samples"
STATUS_URL = "https://trellis.example/credentials/status/list-1"
ACHIEVEMENT_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


TINY_PNG = (
    b"\x89PNG\r\n\x1a\n"
    + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    + _png_chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    + _png_chunk(b"IEND", b"")
)


def samples(kind: str) -> Path:
    path = SAMPLES / kind
    if not path.exists():
        pytest.skip("the shared standards data is not available")
    return path


class Issuer:
    def __init__(self) -> None:
        self.key = Ed25519PrivateKey.generate()
        raw = self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.did = did_key(raw)
        self.method = did_key_verification_method(raw)

    def sign(self, document: dict) -> dict:
        return sign(
            document,
            private_key=self.key,
            verification_method=self.method,
            created="2026-01-01T00:00:00Z",
        )


@pytest.fixture
def issuer() -> Issuer:
    return Issuer()


def unsigned(issuer_id: str, **extra) -> dict:
    document = {
        "@context": [VC_V2, OB_V3, OB_V3_EXTENSIONS],
        "id": "urn:uuid:2f5a4b6e-8a8e-4b43-9a1c-7d6f8c1b9e10",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": "Northfield Schools"},
        "validFrom": "2026-01-01T00:00:00Z",
        "name": "Feedback Literacy",
        "credentialSubject": {
            "id": "did:example:alice",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://trellis.example/achievements/feedback",
                "type": ["Achievement"],
                "name": "Feedback Literacy",
                "description": "Gives timely, specific feedback.",
                "criteria": {"narrative": "Submit three annotated lessons."},
            },
        },
    }
    document.update(extra)
    return document


def run(data, resolver: KeyResolver | None = None, **kwargs):
    return verify(data, resolver=resolver or KeyResolver(), now=NOW, **kwargs)


def outcomes(report) -> dict[str, str]:
    return {check.id: check.outcome for check in report.checks}


def only_failure(report) -> str:
    failed = [check.id for check in report.failed]
    assert len(failed) == 1, report.checks
    return failed[0]


# --- our own credentials -------------------------------------------------------------------------


def test_signed_credential_passes_every_check(issuer):
    report = run(issuer.sign(unsigned(issuer.did)))
    assert report.ok is True
    assert report.format == "data-integrity"
    assert outcomes(report) == {
        "parse": "passed",
        "data-model": "passed",
        "contexts": "passed",
        "signature": "passed",
        "issuer": "passed",
        "dates": "passed",
        "status": "skipped",
        "schema": "skipped",
    }
    assert report.summary() == {
        "issuer_name": "Northfield Schools",
        "issuer_id": issuer.did,
        "achievement_name": "Feedback Literacy",
        "subject": "did:example:alice",
        "valid_from": "2026-01-01T00:00:00Z",
        "valid_until": "",
    }


def test_json_text_and_bytes_are_read(issuer):
    signed = issuer.sign(unsigned(issuer.did))
    assert run(json.dumps(signed)).ok is True
    assert run(json.dumps(signed).encode()).ok is True


def test_tampered_credential_fails_signature(issuer):
    signed = issuer.sign(unsigned(issuer.did))
    signed["credentialSubject"]["achievement"]["name"] = "Something Else"
    report = run(signed)
    assert only_failure(report) == "signature"
    assert "does not match the credential" in report.check("signature").detail


def test_no_proof_fails_signature(issuer):
    report = run(unsigned(issuer.did))
    assert report.format == "unsigned"
    assert only_failure(report) == "signature"
    assert report.check("signature").detail.startswith("The credential has no proof")
    assert report.check("issuer").outcome == "skipped"


def test_wrong_issuer_fails_issuer_check(issuer):
    other = Issuer()
    report = run(other.sign(unsigned(issuer.did)))
    assert only_failure(report) == "issuer"
    assert report.check("issuer").detail == (
        f"The signing key belongs to {other.did}, not to the issuer {issuer.did}."
    )


def test_expired_credential(issuer):
    report = run(issuer.sign(unsigned(issuer.did, validUntil="2026-03-01T00:00:00Z")))
    assert only_failure(report) == "dates"
    assert report.check("dates").detail == "Expired: validUntil was 2026-03-01T00:00:00Z."


def test_not_yet_valid_credential(issuer):
    report = run(issuer.sign(unsigned(issuer.did, validFrom="2027-01-01T00:00:00Z")))
    assert only_failure(report) == "dates"
    assert report.check("dates").detail == "Not yet valid: validFrom is 2027-01-01T00:00:00Z."


def test_vc11_expiration_date_is_checked(issuer):
    document = unsigned(issuer.did)
    document["@context"] = ["https://www.w3.org/2018/credentials/v1", *document["@context"][1:]]
    del document["validFrom"]
    document["issuanceDate"] = "2025-01-01T00:00:00Z"
    document["expirationDate"] = "2025-06-01T00:00:00Z"
    report = run(document)
    assert report.check("dates").detail == "Expired: expirationDate was 2025-06-01T00:00:00Z."


def test_unparseable_date_fails(issuer):
    report = run(issuer.sign(unsigned(issuer.did, validUntil="next tuesday")))
    assert report.check("dates").outcome == "failed"
    assert report.check("dates").detail == "validUntil 'next tuesday' is not an ISO 8601 date-time."


def test_unknown_context_fails_and_is_named(issuer):
    document = unsigned(issuer.did)
    document["@context"].append("https://evil.example/context.jsonld")
    report = run(document)
    assert report.check("contexts").outcome == "failed"
    assert "https://evil.example/context.jsonld" in report.check("contexts").detail


def test_data_model_problems_are_listed():
    report = run({"@context": ["https://example.org/ctx"], "type": ["Thing"]})
    detail = report.check("data-model").detail
    assert report.check("data-model").outcome == "failed"
    assert "the first @context must be" in detail
    assert "type must include VerifiableCredential" in detail
    assert "there is no issuer" in detail
    assert "there is no credentialSubject object" in detail


def test_open_badge_subject_needs_id_or_identifier(issuer):
    document = unsigned(issuer.did)
    del document["credentialSubject"]["id"]
    report = run(issuer.sign(document))
    assert only_failure(report) == "data-model"
    assert "needs an id or an identifier" in report.check("data-model").detail


def test_unsupported_cryptosuite_fails(issuer):
    signed = issuer.sign(unsigned(issuer.did))
    signed["proof"]["cryptosuite"] = "ecdsa-rdfc-2019"
    report = run(signed)
    assert only_failure(report) == "signature"
    assert "unsupported cryptosuite 'ecdsa-rdfc-2019'" in report.check("signature").detail


# --- input limits and malformed input ------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        ("{not json", "This is not valid JSON"),
        ("[1, 2]", "The JSON is not an object, so it cannot be a credential."),
        ("   ", "The input is empty."),
        ("hello world", "This is neither JSON nor a compact VC-JWT"),
        ("aaaa.bbbb.cccc", "This is not a usable VC-JWT"),
        (b"\xff\xfe\x00binary", "The input is neither a badge image nor UTF-8 text."),
        (12345, "Give a credential as a JSON object"),
        (TINY_PNG, "The PNG image has no credential baked into it."),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "The SVG image has no credential"),
    ],
)
def test_malformed_input_fails_parse(data, detail):
    report = run(data)
    assert report.ok is False
    assert [check.id for check in report.checks] == ["parse"]
    assert report.check("parse").detail.startswith(detail)
    assert report.credential is None


def test_huge_input_is_refused():
    report = run("{" + " " * (2 * 1024 * 1024) + "}")
    assert report.check("parse").detail == "The input is larger than 2 MB."


def test_deep_nesting_is_refused():
    nested: dict = {}
    for _ in range(MAX_DEPTH + 5):
        nested = {"a": nested}
    assert run(nested).check("parse").detail == (
        f"The document is nested more than {MAX_DEPTH} levels deep."
    )
    very_deep = '{"a":' * 100_000 + "{}" + "}" * 100_000
    assert run(very_deep).check("parse").outcome == "failed"


# --- VC-JWT and baked images ---------------------------------------------------------------------


def test_vc_jwt_verifies(issuer):
    token = sign_jwt(unsigned(issuer.did), private_key=issuer.key, kid=issuer.method)
    report = run(token)
    assert report.ok is True, report.checks
    assert report.format == "vc-jwt"
    assert report.check("signature").detail == "The VC-JWT (EdDSA) signature is valid."


def test_tampered_vc_jwt_fails(issuer):
    token = sign_jwt(unsigned(issuer.did), private_key=issuer.key, kid=issuer.method)
    other = sign_jwt(
        unsigned(issuer.did, name="Forged"), private_key=Issuer().key, kid=issuer.method
    )
    forged = ".".join([*other.split(".")[:2], token.split(".")[2]])
    report = run(forged)
    assert only_failure(report) == "signature"


def test_baked_png_and_svg(issuer):
    signed = issuer.sign(unsigned(issuer.did))
    png = run(bake_png(TINY_PNG, signed))
    assert png.ok is True
    assert png.source == "png"
    assert png.check("parse").detail == "Read JSON from a PNG badge image."
    svg_text = bake_svg("<svg xmlns='http://www.w3.org/2000/svg'></svg>", signed)
    svg = run(svg_text.encode())
    assert svg.ok is True
    assert svg.source == "svg"


# --- status lists --------------------------------------------------------------------------------


def status_setup(issuer: Issuer, *, revoked: bool, purpose: str = "revocation"):
    bits = new_bits()
    if revoked:
        bits = set_bit(bits, 94567, True)
    listing = issuer.sign(
        status_list_credential(
            id=STATUS_URL,
            issuer_id=issuer.did,
            purpose=purpose,
            bits=bits,
            valid_from="2026-01-01T00:00:00Z",
        )
    )
    entry = {
        "id": f"{STATUS_URL}#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": "94567",
        "statusListCredential": STATUS_URL,
    }
    credential = issuer.sign(unsigned(issuer.did, credentialStatus=entry))
    fetched: list[str] = []

    def fetch(url):
        fetched.append(url)
        return listing

    return credential, fetch, fetched


def test_not_revoked(issuer):
    credential, fetch, fetched = status_setup(issuer, revoked=False)
    report = run(credential, fetch_status_list=fetch)
    assert report.ok is True
    assert report.check("status").outcome == "passed"
    assert fetched == [STATUS_URL]


def test_revoked(issuer):
    credential, fetch, _ = status_setup(issuer, revoked=True)
    report = run(credential, fetch_status_list=fetch)
    assert only_failure(report) == "status"
    assert report.check("status").detail == "Revoked: the issuer's status list marks it revoked."


def test_suspended(issuer):
    credential, fetch, _ = status_setup(issuer, revoked=True, purpose="suspension")
    report = run(credential, fetch_status_list=fetch)
    assert report.check("status").detail == (
        "Suspended: the issuer's status list marks it suspended."
    )


def test_status_without_fetcher_is_a_warning(issuer):
    credential, _, _ = status_setup(issuer, revoked=True)
    report = run(credential)
    assert report.ok is True
    assert report.check("status").outcome == "warning"
    assert "could not check the status list" in report.check("status").detail


def test_unreachable_status_list_is_a_warning(issuer):
    credential, _, _ = status_setup(issuer, revoked=True)

    def fetch(url):
        raise OSError("connection refused")

    report = run(credential, fetch_status_list=fetch)
    assert report.check("status").outcome == "warning"
    assert "(connection refused)" in report.check("status").detail


def test_forged_status_list_fails(issuer):
    credential, fetch, _ = status_setup(issuer, revoked=False)
    listing = fetch(STATUS_URL)
    forged = Issuer().sign({k: v for k, v in listing.items() if k != "proof"})
    report = run(credential, fetch_status_list=lambda url: forged)
    assert only_failure(report) == "status"
    assert "not signed by the credential's issuer" in report.check("status").detail


def test_tampered_status_list_fails(issuer):
    credential, fetch, _ = status_setup(issuer, revoked=True)
    listing = copy.deepcopy(fetch(STATUS_URL))
    listing["credentialSubject"]["encodedList"] = status_list_credential(
        id=STATUS_URL, issuer_id=issuer.did, purpose="revocation", bits=new_bits(), valid_from="x"
    )["credentialSubject"]["encodedList"]
    report = run(credential, fetch_status_list=lambda url: listing)
    assert only_failure(report) == "status"
    assert "signature does not verify" in report.check("status").detail


# --- schema --------------------------------------------------------------------------------------


def test_schema_validated_when_named(issuer):
    schema = {"id": ACHIEVEMENT_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}
    good = run(issuer.sign(unsigned(issuer.did, credentialSchema=[schema])))
    assert good.check("schema").outcome == "passed", good.check("schema")
    bad_doc = unsigned(issuer.did, credentialSchema=[schema])
    bad_doc["credentialSubject"]["achievement"]["criteria"] = "not an object"
    bad = run(issuer.sign(bad_doc))
    assert only_failure(bad) == "schema"
    assert "credentialSubject.achievement.criteria" in bad.check("schema").detail


def test_unknown_schema_is_a_warning(issuer):
    schema = {"id": "https://example.org/schema.json", "type": "1EdTechJsonSchemaValidator2019"}
    report = run(issuer.sign(unsigned(issuer.did, credentialSchema=[schema])))
    assert report.ok is True
    assert report.check("schema").outcome == "warning"
    assert "https://example.org/schema.json" in report.check("schema").detail


# --- presentations -------------------------------------------------------------------------------


def presentation(*credentials, holder: str | None = None) -> dict:
    document = {
        "@context": [VC_V2],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": list(credentials),
    }
    if holder:
        document["holder"] = holder
    return document


def test_presentation_without_proof(issuer):
    good = issuer.sign(unsigned(issuer.did))
    tampered = copy.deepcopy(good)
    tampered["name"] = "Changed"
    report = run(presentation(good, tampered))
    assert report.format == "presentation"
    assert report.check("holder-proof").outcome == "skipped"
    assert report.check("credential-1:signature").outcome == "passed"
    assert [check.id for check in report.failed] == ["credential-2:signature"]
    assert report.achievement_name == "Feedback Literacy"


def test_presentation_with_holder_proof(issuer):
    holder = Issuer()
    vp = presentation(issuer.sign(unsigned(issuer.did)), holder=holder.did)
    from trellis.credentials.core.dataintegrity import hash_data
    from trellis.credentials.core.multikey import b58_encode

    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2026-05-01T00:00:00Z",
        "verificationMethod": holder.method,
        "proofPurpose": "authentication",
    }
    value = b58_encode(holder.key.sign(hash_data(vp, proof, safe=False)))
    signed_vp = {**vp, "proof": {**proof, "proofValue": value}}
    report = run(signed_vp)
    assert report.ok is True, report.checks
    assert report.check("holder-proof").outcome == "passed"
    signed_vp["holder"] = "did:example:mallory"
    assert run(signed_vp).check("holder-proof").outcome == "failed"


def test_empty_presentation_fails():
    report = run(presentation())
    assert [check.id for check in report.failed] == ["credentials"]


# --- the 1EdTech samples -------------------------------------------------------------------------


def fragment_key_resolver(document: dict) -> KeyResolver:
    """Seed the https key documents the samples point at, built from the fragment key (the
    tests have no network)."""
    resolver = KeyResolver()
    proofs = document.get("proof")
    for proof in proofs if isinstance(proofs, list) else [proofs]:
        method = (proof or {}).get("verificationMethod", "")
        if method.startswith("https://") and "#" in method:
            controller, fragment = method.split("#", 1)
            resolver.seed(
                controller,
                {
                    "id": controller,
                    "verificationMethod": [
                        multikey_document(
                            method_id=method, controller=controller, public_key_multibase=fragment
                        )
                    ],
                },
            )
    return resolver


@pytest.mark.parametrize(
    "name",
    [
        "ob30/simple.json",
        "ob30/complete.json",
        "ob30/endorsement-valid.json",
        "ob30/simple-multiple-proofs.json",
        "ob30/bitstring-credential-status-revoked.json",
        "clr20/simple.json",
    ],
)
def test_1edtech_signed_samples_verify(name):
    path = samples(name.split("/")[0]) / name.split("/")[1]
    document = json.loads(path.read_text())
    report = run(path.read_bytes(), fragment_key_resolver(document))
    assert report.ok is True, report.failed
    assert report.check("signature").outcome == "passed"
    assert report.check("issuer").outcome == "passed"


def test_1edtech_bitstring_sample_is_revoked():
    folder = samples("ob30")
    document = json.loads((folder / "bitstring-credential-status-revoked.json").read_text())
    listing = json.loads((folder / "bitstring-testlist").read_text())
    report = run(document, fragment_key_resolver(document), fetch_status_list=lambda url: listing)
    assert only_failure(report) == "status"
    assert report.check("status").detail == "Revoked: the issuer's status list marks it revoked."


@pytest.mark.parametrize(
    ("name", "check", "detail"),
    [
        ("ob30/simple-eddsa-2022.json", "signature", "unsupported cryptosuite 'eddsa-2022'"),
        ("ob30/simple-noproof.json", "signature", "The credential has no proof"),
        (
            "ob30/simple-did-key-method.json",
            "issuer",
            "The signing key belongs to did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi, "
            "not to the issuer urn:uuid:6f2e33e5-7a29-4155-840a-59483ba10164.",
        ),
        ("ob30/simple.jwt", "signature", "Unsupported JWT algorithm 'RS256'"),
        (
            "ob30/credential-status-revoked.json",
            "signature",
            "No proof could be checked: unsupported proof type 'Ed25519Signature2020'",
        ),
        ("clr20/simple-noproof.json", "contexts", "Unknown context: https://dc.imsglobal.org"),
    ],
)
def test_1edtech_samples_we_reject(name, check, detail):
    path = samples(name.split("/")[0]) / name.split("/")[1]
    text = path.read_text()
    document = json.loads(text) if text.lstrip().startswith("{") else {}
    resolver = fragment_key_resolver(document)
    if "did:web:" in text:  # the did:web sample: its DID document, seeded offline
        did = (
            document["issuer"]["id"] if isinstance(document["issuer"], dict) else document["issuer"]
        )
        method = document["proof"]["verificationMethod"]
        from trellis.credentials.core.resolver import did_web_url

        resolver.seed(
            did_web_url(did),
            {
                "id": did,
                "verificationMethod": [
                    multikey_document(
                        method_id=method,
                        controller=did,
                        public_key_multibase=method.split("#", 1)[1],
                    )
                ],
            },
        )
    report = run(text, resolver)
    assert report.ok is False
    assert report.check(check).outcome == "failed"
    assert detail in report.check(check).detail


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        (
            {"credentialSchema": [{"id": ACHIEVEMENT_SCHEMA}]},
            "every credentialSchema entry must be an object with a type",
        ),
        (
            {"credentialSchema": [{"type": "JsonSchema"}]},
            "every credentialSchema entry must have an id",
        ),
        (
            {"refreshService": {"id": "https://x.example/refresh"}},
            "every refreshService entry must be an object with a type",
        ),
        (
            {"relatedResource": [{"id": "https://x.example/a"}]},
            "every relatedResource needs a digestSRI or digestMultibase",
        ),
        (
            {
                "relatedResource": [
                    {"id": "https://x.example/a", "digestSRI": "sha384-a"},
                    {"id": "https://x.example/a", "digestSRI": "sha384-b"},
                ]
            },
            "every relatedResource needs its own, unique id",
        ),
    ],
)
def test_vc2_optional_objects_are_checked(issuer, extra, problem):
    report = run(unsigned(issuer.did, **extra))
    assert report.check("data-model").outcome == "failed"
    assert problem in report.check("data-model").detail
