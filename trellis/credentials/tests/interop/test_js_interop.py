"""Interoperability with the digitalbazaar JS stack (@digitalbazaar/vc + eddsa-rdfc-2022):
what our core signs verifies there, and what it signs verifies here. Skipped when node or the
npm devDependencies (`npm ci`) are absent. Offline: the JS loader serves our bundled contexts."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from trellis.credentials.core.dataintegrity import sign, verify_proof
from trellis.credentials.core.errors import ProofError
from trellis.credentials.core.loader import CONTEXT_FILES, CONTEXTS_DIR
from trellis.credentials.core.resolver import KeyResolver
from trellis.credentials.tests.core_helpers import did_key_signer, ob3_credential

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[3]
PACKAGES = (
    "@digitalbazaar/vc",
    "@digitalbazaar/data-integrity",
    "@digitalbazaar/eddsa-rdfc-2022-cryptosuite",
    "@digitalbazaar/ed25519-multikey",
)


def run_js(request: dict[str, Any]) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    missing = [p for p in PACKAGES if not (REPO / "node_modules" / p / "package.json").exists()]
    if missing:
        pytest.skip(f"npm packages missing ({', '.join(missing)}); run `npm ci`")
    contexts = {url: str(CONTEXTS_DIR / name) for url, name in CONTEXT_FILES.items()}
    done = subprocess.run(  # noqa: S603 - fixed arguments: node and our own script
        [node, str(HERE / "interop.mjs")],
        input=json.dumps({**request, "contexts": contexts}),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def python_signed() -> dict[str, Any]:
    key, did, method = did_key_signer()
    return sign(
        ob3_credential(did),
        private_key=key,
        verification_method=method,
        created="2026-01-15T10:00:00Z",
    )


def test_python_signed_credential_verifies_in_js():
    assert run_js({"action": "verify", "credential": python_signed()}) == {
        "verified": True,
        "errors": [],
    }


def test_js_rejects_a_python_signed_credential_that_was_altered():
    signed = python_signed()
    signed["credentialSubject"]["achievement"]["name"] = "Altered"
    answer = run_js({"action": "verify", "credential": signed})
    assert answer["verified"] is False
    assert "Invalid signature." in answer["errors"]


def test_js_signed_credential_verifies_in_python():
    credential = ob3_credential("did:example:placeholder")
    signed = run_js(
        {"action": "sign", "credential": credential, "created": "2026-01-15T10:00:00Z"}
    )["signed"]
    proof = signed["proof"]
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["created"] == "2026-01-15T10:00:00Z"
    assert proof["verificationMethod"].startswith("did:key:z6Mk")
    key = verify_proof(signed, proof, resolve=KeyResolver())
    assert key.method_id == proof["verificationMethod"]
    assert {k: v for k, v in signed.items() if k != "proof"} == credential

    signed["name"] = "Altered"
    with pytest.raises(ProofError, match="does not match the credential"):
        verify_proof(signed, proof, resolve=KeyResolver())


def test_revocation_and_suspension_entries_verify_in_js():
    """A credential with both Bitstring Status List entries (a list, as VC 2.0 allows) signs
    and verifies in the JS stack too; altering an entry breaks the proof there."""
    key, did, method = did_key_signer()
    credential = ob3_credential(did)
    credential["credentialStatus"] = [
        {
            "id": f"https://trellis.example/status/{n}#7",
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose,
            "statusListIndex": "7",
            "statusListCredential": f"https://trellis.example/status/{n}",
        }
        for n, purpose in ((1, "revocation"), (2, "suspension"))
    ]
    signed = sign(
        credential, private_key=key, verification_method=method, created="2026-01-15T10:00:00Z"
    )
    assert run_js({"action": "verify", "credential": signed}) == {"verified": True, "errors": []}
    signed["credentialStatus"][1]["statusListIndex"] = "8"
    assert run_js({"action": "verify", "credential": signed})["verified"] is False
