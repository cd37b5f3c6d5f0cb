"""Helpers for the credential-core tests: 1EdTech data from ../shared (skipped when absent),
keys, and resolvers seeded from verification-method fragments."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from trellis.credentials.core.loader import OB_V3, VC_V2
from trellis.credentials.core.multikey import (
    did_key,
    did_key_verification_method,
    multikey_document,
)
from trellis.credentials.core.resolver import KeyResolver

STANDARDS = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "standards"


def shared_path(relative: str) -> Path:
    """A file under ../shared/data/standards; the test is skipped when it is absent."""
    path = STANDARDS / relative
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


def sample(relative: str) -> dict[str, Any]:
    return json.loads(shared_path(f"samples/{relative}").read_text(encoding="utf-8"))


def vector(name: str) -> str:
    return shared_path(f"test-vectors/{name}").read_text(encoding="utf-8")


def raw_public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def did_key_signer() -> tuple[Ed25519PrivateKey, str, str]:
    """(private key, its did:key, its verification method id)."""
    key = Ed25519PrivateKey.generate()
    return key, did_key(raw_public(key)), did_key_verification_method(raw_public(key))


def fragment_resolver(document: Any) -> KeyResolver:
    """A resolver seeded with every https verification method in the document, using the
    Multikey the 1EdTech samples carry in the fragment (…/issuers/565049#z6Mk…)."""
    resolver = KeyResolver()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            method = node.get("verificationMethod")
            if isinstance(method, str) and method.startswith("https://") and "#" in method:
                controller, multikey = method.split("#", 1)
                resolver.seed(
                    method,
                    {
                        "id": controller,
                        "verificationMethod": [
                            multikey_document(
                                method_id=method,
                                controller=controller,
                                public_key_multibase=multikey,
                            )
                        ],
                    },
                )
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    return resolver


def ob3_credential(issuer_id: str, **changes: Any) -> dict[str, Any]:
    """A minimal valid OB 3.0 AchievementCredential (VC 2.0)."""
    credential: dict[str, Any] = {
        "@context": [VC_V2, OB_V3],
        "id": "urn:uuid:0b7e1b0e-6d4e-4bd4-9f1f-0d6c1bfa3c11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": "Northfield School District"},
        "validFrom": "2026-01-15T00:00:00Z",
        "name": "Formative Assessment in Practice",
        "credentialSubject": {
            "id": "did:example:learner-1",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://trellis.example/achievements/formative-assessment",
                "type": ["Achievement"],
                "name": "Formative Assessment in Practice",
                "description": "Uses formative assessment evidence to adjust instruction.",
                "criteria": {"narrative": "Three approved cycles of evidence."},
            },
        },
    }
    credential.update(changes)
    return credential
