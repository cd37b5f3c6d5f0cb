"""VC-JWT (the OB 3.0 "JSON Web Token Proof Format"): compact JWS over the credential.

We sign tokens whose payload is the credential itself plus the registered claims (iss, jti, nbf,
sub, exp), and we accept both that shape and the VC 1.1 shape that carries the credential in a
`vc` claim. EdDSA (Ed25519) and ES256 (P-256, raw r‖s signatures) only; `alg: none` is refused."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from trellis.credentials.core.dataintegrity import ResolvedKey
from trellis.credentials.core.errors import CredentialError, KeyProblem, ProofError

MAX_TOKEN_LENGTH = 1_000_000  # characters; a credential with images inline stays far below this
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
ALGORITHMS = {"EdDSA": "Ed25519", "ES256": "P-256"}

PrivateKey = Ed25519PrivateKey | ec.EllipticCurvePrivateKey


@dataclass(frozen=True)
class JwtParts:
    header: dict[str, Any]
    claims: dict[str, Any]
    credential: dict[str, Any]


def generate_key(algorithm: str) -> PrivateKey:
    """A new private key for "EdDSA" (Ed25519) or "ES256" (P-256)."""
    if algorithm == "EdDSA":
        return Ed25519PrivateKey.generate()
    if algorithm == "ES256":
        return ec.generate_private_key(ec.SECP256R1())
    raise KeyProblem(f"Unsupported JWT algorithm {algorithm!r}; use EdDSA or ES256.")


def algorithm_for(private_key: PrivateKey) -> str:
    if isinstance(private_key, Ed25519PrivateKey):
        return "EdDSA"
    if isinstance(private_key, ec.EllipticCurvePrivateKey) and isinstance(
        private_key.curve, ec.SECP256R1
    ):
        return "ES256"
    raise KeyProblem("VC-JWT signing needs an Ed25519 or P-256 private key.")


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(segment: str, what: str) -> bytes:
    if not _BASE64URL.fullmatch(segment) or len(segment) % 4 == 1:
        raise CredentialError(f"The JWT {what} is not base64url.")
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError) as error:
        raise CredentialError(f"The JWT {what} is not base64url.") from error


def _json_segment(segment: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(_b64decode(segment, what))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CredentialError(f"The JWT {what} is not JSON.") from error
    if not isinstance(value, dict):
        raise CredentialError(f"The JWT {what} must be a JSON object.")
    return value


def _numeric_date(value: Any, field: str) -> int:
    if not isinstance(value, str):
        raise CredentialError(f"The credential's {field} must be a date-time string.")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise CredentialError(f"The credential's {field} {value!r} is not a date-time.") from error
    if moment.tzinfo is None:
        raise CredentialError(f"The credential's {field} {value!r} has no time zone.")
    return int(moment.timestamp())


def _id_of(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    return None


def claims_for(credential: dict[str, Any]) -> dict[str, Any]:
    """The JWT claims set of an OB 3.0 VC-JWT: the credential plus iss, jti, nbf, sub, exp."""
    issuer = _id_of(credential.get("issuer"))
    if issuer is None:
        raise CredentialError("The credential has no issuer id.")
    claims: dict[str, Any] = dict(credential)
    claims["iss"] = issuer
    if isinstance(credential.get("id"), str):
        claims["jti"] = credential["id"]
    claims["nbf"] = _numeric_date(credential.get("validFrom"), "validFrom")
    subject = credential.get("credentialSubject")
    subject_id = _id_of(subject[0] if isinstance(subject, list) and subject else subject)
    if subject_id is not None:
        claims["sub"] = subject_id
    if credential.get("validUntil") is not None:
        claims["exp"] = _numeric_date(credential["validUntil"], "validUntil")
    return claims


def sign_jwt(credential: dict[str, Any], *, private_key: PrivateKey, kid: str) -> str:
    """A compact JWS of the credential (EdDSA for Ed25519 keys, ES256 for P-256 keys)."""
    if not kid:
        raise KeyProblem("A VC-JWT needs a kid naming the verification method.")
    alg = algorithm_for(private_key)
    header = {"alg": alg, "kid": kid, "typ": "JWT"}
    signing_input = (
        _b64encode(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + _b64encode(
            json.dumps(claims_for(credential), separators=(",", ":"), ensure_ascii=False).encode()
        )
    )
    data = signing_input.encode("ascii")
    if alg == "EdDSA":
        signature = private_key.sign(data)  # type: ignore[call-arg]
    else:
        r, s = decode_dss_signature(
            private_key.sign(data, ec.ECDSA(hashes.SHA256()))  # type: ignore[call-arg]
        )
        signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return signing_input + "." + _b64encode(signature)


def decode_jwt(token: str) -> JwtParts:
    """Header, claims and credential of a VC-JWT, WITHOUT checking the signature."""
    if not isinstance(token, str):
        raise CredentialError("A JWT must be text.")
    token = token.strip()
    if len(token) > MAX_TOKEN_LENGTH:
        raise CredentialError(
            f"The JWT is too large ({len(token)} characters; at most {MAX_TOKEN_LENGTH})."
        )
    segments = token.split(".")
    if len(segments) != 3:
        raise CredentialError(f"A JWT has three dot-separated parts; this one has {len(segments)}.")
    header = _json_segment(segments[0], "header")
    claims = _json_segment(segments[1], "payload")
    _b64decode(segments[2], "signature")
    alg = header.get("alg")
    if not isinstance(alg, str) or alg.lower() == "none":
        raise CredentialError("Unsigned JWTs (alg “none”) are not accepted.")
    if "typ" in header and header["typ"] != "JWT":
        raise CredentialError(f"The JWT typ must be “JWT”, not {header['typ']!r}.")
    if isinstance(claims.get("vc"), dict):
        credential = claims["vc"]  # VC 1.1 style
    else:
        credential = {
            k: v for k, v in claims.items() if k not in {"iss", "jti", "nbf", "sub", "exp", "iat"}
        }
    if "@context" not in credential or "type" not in credential:
        raise CredentialError("The JWT does not carry a verifiable credential.")
    return JwtParts(header=header, claims=claims, credential=credential)


def _verify_signature(alg: str, key: ResolvedKey, data: bytes, signature: bytes) -> None:
    try:
        if alg == "EdDSA":
            Ed25519PublicKey.from_public_bytes(key.public_key).verify(signature, data)
            return
        if len(signature) != 64:
            raise ProofError("An ES256 signature is 64 bytes (r‖s).")
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), key.public_key)
        der = encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        )
        public.verify(der, data, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as error:
        raise ProofError(
            "The JWT signature does not match (the token was altered, or signed by another key)."
        ) from error
    except ValueError as error:
        raise ProofError("The verification method's public key is not usable.") from error


def verify_jwt(token: str, *, resolve: Callable[[str], ResolvedKey]) -> dict[str, Any]:
    """The credential of a VC-JWT whose signature and issuer check out; ProofError says why not."""
    parts = decode_jwt(token)
    alg = parts.header["alg"]
    if alg not in ALGORITHMS:
        raise ProofError(f"Unsupported JWT algorithm {alg!r}; Trellis accepts EdDSA and ES256.")
    kid = parts.header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise ProofError("The JWT header has no kid naming its key.")
    try:
        key = resolve(kid)
    except CredentialError as error:
        raise ProofError(f"The JWT key {kid} could not be resolved: {error}") from error
    if key.algorithm != ALGORITHMS[alg]:
        raise ProofError(f"The JWT says {alg} but its key {kid} is a {key.algorithm} key.")
    signing_input, _, signature = token.strip().rpartition(".")
    _verify_signature(alg, key, signing_input.encode("ascii"), _b64decode(signature, "signature"))
    issuer = _id_of(parts.credential.get("issuer"))
    if parts.claims.get("iss") != issuer:
        raise ProofError(
            f"The JWT iss {parts.claims.get('iss')!r} is not the credential's issuer {issuer!r}."
        )
    return parts.credential
