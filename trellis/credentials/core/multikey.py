"""Multibase / Multikey encodings of Ed25519 and P-256 public keys, and did:key."""

from __future__ import annotations

from typing import Any

import base58

from trellis.credentials.core.errors import KeyProblem

ED25519_PUB = b"\xed\x01"
P256_PUB = b"\x80\x24"  # multicodec p256-pub (compressed point)


def b58_encode(data: bytes) -> str:
    """Multibase base58btc ("z" prefix)."""
    return "z" + base58.b58encode(data).decode("ascii")


def b58_decode(value: str) -> bytes:
    if not isinstance(value, str) or not value.startswith("z"):
        raise KeyProblem("Expected a multibase base58btc value starting with “z”.")
    try:
        return base58.b58decode(value[1:])
    except ValueError as error:
        raise KeyProblem("The multibase value is not valid base58btc.") from error


def ed25519_multikey(public_key: bytes) -> str:
    if len(public_key) != 32:
        raise KeyProblem("An Ed25519 public key is 32 bytes.")
    return b58_encode(ED25519_PUB + public_key)


def p256_multikey(public_key: bytes) -> str:
    """The Multikey of a P-256 public key given as a compressed SEC1 point (33 bytes)."""
    if len(public_key) != 33 or public_key[0] not in (2, 3):
        raise KeyProblem("A P-256 Multikey holds the compressed point (33 bytes, 02/03 first).")
    return b58_encode(P256_PUB + public_key)


def decode_multikey(value: str) -> tuple[str, bytes]:
    """("Ed25519" | "P-256", raw public key bytes) of a publicKeyMultibase value."""
    raw = b58_decode(value)
    if raw.startswith(ED25519_PUB) and len(raw) == 34:
        return "Ed25519", raw[2:]
    if raw.startswith(P256_PUB) and len(raw) == 35:
        return "P-256", raw[2:]
    raise KeyProblem("The key is not an Ed25519 or P-256 Multikey.")


def did_key(public_key: bytes) -> str:
    return "did:key:" + ed25519_multikey(public_key)


def did_key_verification_method(public_key: bytes) -> str:
    multikey = ed25519_multikey(public_key)
    return f"did:key:{multikey}#{multikey}"


def multikey_document(*, method_id: str, controller: str, public_key_multibase: str) -> dict:
    return {
        "id": method_id,
        "type": "Multikey",
        "controller": controller,
        "publicKeyMultibase": public_key_multibase,
    }


def did_key_document(did: str) -> dict[str, Any]:
    """The DID document a did:key expands to (no network: the key is in the identifier)."""
    if not did.startswith("did:key:"):
        raise KeyProblem("Not a did:key identifier.")
    multikey = did.removeprefix("did:key:").split("#", 1)[0]
    decode_multikey(multikey)
    did = f"did:key:{multikey}"
    method_id = f"{did}#{multikey}"
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [
            multikey_document(method_id=method_id, controller=did, public_key_multibase=multikey)
        ],
        "authentication": [method_id],
        "assertionMethod": [method_id],
        "capabilityDelegation": [method_id],
        "capabilityInvocation": [method_id],
    }
