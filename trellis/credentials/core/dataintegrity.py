"""Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite (W3C VC-DI-EdDSA).

hashData = SHA-256(RDFC-1.0(proof options with the document's @context)) ‖
           SHA-256(RDFC-1.0(document without proof)); the proof value is the Ed25519 signature
of hashData, multibase base58btc encoded."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from trellis.credentials.core.canon import canonize, canonize_safely
from trellis.credentials.core.errors import CredentialError, ProofError
from trellis.credentials.core.multikey import b58_decode, b58_encode

CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"


@dataclass(frozen=True)
class ResolvedKey:
    """A public key a verification method resolved to."""

    method_id: str
    controller: str
    algorithm: str  # "Ed25519" or "P-256"
    public_key: bytes


KeyResolverFn = Callable[[str], ResolvedKey]


def _proof_options(proof: dict[str, Any], context: Any) -> dict[str, Any]:
    options = {k: v for k, v in proof.items() if k not in {"proofValue", "@context"}}
    options["@context"] = context
    return options


def hash_data(document: dict[str, Any], proof: dict[str, Any], *, safe: bool) -> bytes:
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    canon = canonize_safely if safe else canonize
    options_hash = hashlib.sha256(
        canon(_proof_options(proof, document.get("@context"))).encode()
    ).digest()
    document_hash = hashlib.sha256(canon(unsigned).encode()).digest()
    return options_hash + document_hash


def sign(
    document: dict[str, Any],
    *,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: str,
    proof_purpose: str = "assertionMethod",
) -> dict[str, Any]:
    """A copy of the document with an eddsa-rdfc-2022 proof added. Raises UnsafeDocument when a
    term is undefined by the document's contexts, so we never sign what strict verifiers reject."""
    if "proof" in document:
        raise CredentialError("The document already has a proof.")
    proof = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    signature = private_key.sign(hash_data(document, proof, safe=True))
    signed = copy.deepcopy(document)
    signed["proof"] = {**proof, "proofValue": b58_encode(signature)}
    return signed


def proofs_of(document: dict[str, Any]) -> list[dict[str, Any]]:
    proof = document.get("proof")
    if proof is None:
        return []
    proofs = proof if isinstance(proof, list) else [proof]
    if not all(isinstance(item, dict) for item in proofs):
        raise ProofError("The proof must be an object or a list of objects.")
    return proofs


def verify_proof(
    document: dict[str, Any], proof: dict[str, Any], *, resolve: KeyResolverFn
) -> ResolvedKey:
    """Verify one eddsa-rdfc-2022 proof of the document; ProofError says why it fails."""
    if proof.get("type") != PROOF_TYPE:
        raise ProofError(f"Unsupported proof type {proof.get('type')!r}; expected {PROOF_TYPE}.")
    if proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(
            f"Unsupported cryptosuite {proof.get('cryptosuite')!r}; expected {CRYPTOSUITE}."
        )
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError("The proof purpose must be assertionMethod.")
    method = proof.get("verificationMethod")
    if not isinstance(method, str) or not method:
        raise ProofError("The proof has no verificationMethod.")
    value = proof.get("proofValue")
    if not isinstance(value, str):
        raise ProofError("The proof has no proofValue.")
    try:
        signature = b58_decode(value)
    except CredentialError as error:
        raise ProofError("The proofValue is not multibase base58btc.") from error
    if len(signature) != 64:
        raise ProofError("The proofValue is not a 64-byte Ed25519 signature.")
    key = resolve(method)
    if key.algorithm != "Ed25519":
        raise ProofError("eddsa-rdfc-2022 needs an Ed25519 key.")
    payload = hash_data(document, proof, safe=False)
    try:
        Ed25519PublicKey.from_public_bytes(key.public_key).verify(signature, payload)
    except InvalidSignature as error:
        raise ProofError(
            "The signature does not match the credential (it was altered, or signed "
            "by another key)."
        ) from error
    return key
