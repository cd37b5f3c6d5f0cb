"""Credential signing speed: eddsa-rdfc-2022 and VC-JWT, against the JS digitalbazaar stack.

- `credentials_di_sign_verify`: sign + verify of one OB 3.0 AchievementCredential with our
  eddsa-rdfc-2022 core (pyld RDFC-1.0 + cryptography Ed25519), per second; baseline: the same
  credential signed and verified by @digitalbazaar/vc + eddsa-rdfc-2022-cryptosuite in Node,
  measured in this run (benchmarks/js/bench_di.mjs, offline contexts). When node or the npm
  packages are missing (run `npm ci`), the baseline is null and the reason goes to stderr.
- `credentials_jwt_sign_verify`: VC-JWT (EdDSA) sign + verify per second; baseline: the Python
  eddsa-rdfc-2022 figure from this run.

Knobs (environment): BENCH_CREDENTIAL_ITERATIONS (default 300), BENCH_CREDENTIAL_TIME_LIMIT
(seconds per Python measurement, default 20).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from benchmarks._support import LOAD_AT_START, REPO, emit, log
from trellis.credentials.core import dataintegrity, jwt
from trellis.credentials.core.loader import CONTEXT_FILES, CONTEXTS_DIR, OB_V3, VC_V2
from trellis.credentials.core.multikey import did_key, did_key_verification_method
from trellis.credentials.core.resolver import KeyResolver

ITERATIONS = int(os.environ.get("BENCH_CREDENTIAL_ITERATIONS", "300"))
TIME_LIMIT = float(os.environ.get("BENCH_CREDENTIAL_TIME_LIMIT", "20"))
JS_SCRIPT = REPO / "benchmarks" / "js" / "bench_di.mjs"
JS_PACKAGES = (
    "@digitalbazaar/vc",
    "@digitalbazaar/data-integrity",
    "@digitalbazaar/eddsa-rdfc-2022-cryptosuite",
    "@digitalbazaar/ed25519-multikey",
)


def credential(issuer_id: str) -> dict[str, Any]:
    """A realistic OB 3.0 AchievementCredential (the shape Trellis issues)."""
    return {
        "@context": [VC_V2, OB_V3],
        "id": "urn:uuid:2f4c9c53-2d0b-4cbe-9d3a-1f5f0a6f8e11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": "Northfield School District"},
        "validFrom": "2026-01-15T00:00:00Z",
        "name": "Formative Assessment in Practice",
        "credentialSubject": {
            "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://trellis.example/achievements/formative-assessment",
                "type": ["Achievement"],
                "achievementType": "Competency",
                "name": "Formative Assessment in Practice",
                "description": "Uses formative assessment evidence to adjust instruction.",
                "criteria": {"narrative": "Submitted three cycles of evidence, approved."},
            },
        },
    }


def rate(operation: Callable[[], None]) -> float:
    operation()  # warm-up (loads contexts, imports)
    started = time.perf_counter()
    count = 0
    while count < ITERATIONS and time.perf_counter() - started < TIME_LIMIT:
        operation()
        count += 1
    return count / (time.perf_counter() - started)


def js_rate(document: dict[str, Any]) -> float:
    node = shutil.which("node")
    if node is None:
        log("node is not installed: no JS baseline")
        return math.nan
    missing = [p for p in JS_PACKAGES if not (REPO / "node_modules" / p / "package.json").exists()]
    if missing:
        log(f"npm packages missing ({', '.join(missing)}); run `npm ci`: no JS baseline")
        return math.nan
    request = {
        "contexts": {url: str(CONTEXTS_DIR / name) for url, name in CONTEXT_FILES.items()},
        "credential": document,
        "iterations": ITERATIONS,
        "warmup": 3,
    }
    done = subprocess.run(
        [node, str(JS_SCRIPT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the JS benchmark failed: {done.stderr.strip()[-2000:]}")
    return float(json.loads(done.stdout)["ops_per_second"])


def main() -> None:
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    method = did_key_verification_method(public)
    document = credential(did_key(public))
    resolver = KeyResolver()

    def di_once() -> None:
        signed = dataintegrity.sign(
            document, private_key=key, verification_method=method, created="2026-01-15T00:00:00Z"
        )
        dataintegrity.verify_proof(signed, signed["proof"], resolve=resolver)

    def jwt_once() -> None:
        token = jwt.sign_jwt(document, private_key=key, kid=method)
        jwt.verify_jwt(token, resolve=resolver)

    log(f"Python eddsa-rdfc-2022 sign+verify, {ITERATIONS} iterations")
    python_di = rate(di_once)
    log("JS digitalbazaar eddsa-rdfc-2022 sign+verify (same credential)")
    js_di = js_rate(document)
    emit(
        "credentials_di_sign_verify",
        python_di,
        "ops/s",
        baseline="js_digitalbazaar_di_sign_verify",
        baseline_value=js_di,
        load=LOAD_AT_START,
    )
    log(f"Python VC-JWT EdDSA sign+verify, {ITERATIONS} iterations")
    python_jwt = rate(jwt_once)
    emit(
        "credentials_jwt_sign_verify",
        python_jwt,
        "ops/s",
        baseline="python_di_sign_verify",
        baseline_value=python_di,
        load=LOAD_AT_START,
    )


if __name__ == "__main__":
    main()
