"""The itemised verifier: every check a credential goes through, each with a plain reason.

`verify` accepts a credential as a dict, JSON text, a compact VC-JWT, a baked PNG/SVG (bytes) or a
Verifiable Presentation, and returns a VerificationReport whose `ok` is True when no check failed.
Nothing here reaches the network: keys come from the KeyResolver (seeded or with a fetch function
the caller controls) and status lists from `fetch_status_list`."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from trellis.credentials.core.baking import PNG_SIGNATURE, unbake_png, unbake_svg
from trellis.credentials.core.dataintegrity import (
    CRYPTOSUITE,
    PROOF_TYPE,
    ResolvedKey,
    hash_data,
    proofs_of,
)
from trellis.credentials.core.errors import CredentialError, ProofError
from trellis.credentials.core.jwt import decode_jwt
from trellis.credentials.core.loader import VC_V1, VC_V2
from trellis.credentials.core.multikey import b58_decode
from trellis.credentials.core.resolver import KeyResolver
from trellis.credentials.core.verify_checks import (
    FAILED,
    PASSED,
    SKIPPED,
    WARNING,
    Check,
    StatusFetcher,
    as_list,
    contexts_check,
    data_model_check,
    dates_check,
    di_signature_check,
    id_of,
    issuer_check,
    jwt_signature_check,
    schema_check,
    status_check,
    text_of,
)

MAX_INPUT_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40

__all__ = ["FAILED", "PASSED", "SKIPPED", "WARNING", "Check", "VerificationReport", "verify"]

_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


@dataclass
class VerificationReport:
    ok: bool
    format: str  # data-integrity | vc-jwt | unsigned | presentation | unknown
    credential: dict[str, Any] | None
    checks: list[Check] = field(default_factory=list)
    issuer_name: str = ""
    issuer_id: str = ""
    achievement_name: str = ""
    subject: str = ""
    valid_from: str = ""
    valid_until: str = ""
    source: str = ""  # json | jwt | png | svg

    @property
    def failed(self) -> list[Check]:
        return [check for check in self.checks if check.outcome == FAILED]

    @property
    def warnings(self) -> list[Check]:
        return [check for check in self.checks if check.outcome == WARNING]

    def check(self, check_id: str) -> Check | None:
        return next((check for check in self.checks if check.id == check_id), None)

    def summary(self) -> dict[str, str]:
        return {
            "issuer_name": self.issuer_name,
            "issuer_id": self.issuer_id,
            "achievement_name": self.achievement_name,
            "subject": self.subject,
            "valid_from": self.valid_from,
            "valid_until": self.valid_until,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "format": self.format,
            "checks": [asdict(check) for check in self.checks],
            "summary": self.summary(),
        }


class _Failure(Exception):
    """A parse problem that ends verification early."""


# --- parsing -------------------------------------------------------------------------------------


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if deepest > MAX_DEPTH:
                return deepest
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def _check_depth(value: Any) -> None:
    if _depth(value) > MAX_DEPTH:
        raise _Failure(f"The document is nested more than {MAX_DEPTH} levels deep.")


def _load_json(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except RecursionError as error:
        raise _Failure(f"The document is nested more than {MAX_DEPTH} levels deep.") from error
    except ValueError as error:
        raise _Failure(f"This is not valid JSON: {error}.") from error
    if not isinstance(value, dict):
        raise _Failure("The JSON is not an object, so it cannot be a credential.")
    _check_depth(value)
    return value


def _parse(data: Any) -> tuple[dict[str, Any] | None, str | None, str]:
    """(document, jwt, source) of the input; _Failure says why it is unusable."""
    source = "json"
    if isinstance(data, dict):
        try:
            size = len(json.dumps(data).encode())
        except (TypeError, ValueError, RecursionError) as error:
            raise _Failure("The credential object cannot be represented as JSON.") from error
        if size > MAX_INPUT_BYTES:
            raise _Failure(f"The credential is larger than {MAX_INPUT_BYTES // 1024 // 1024} MB.")
        _check_depth(data)
        return data, None, source
    if isinstance(data, bytes | bytearray):
        data = bytes(data)
        if len(data) > MAX_INPUT_BYTES:
            raise _Failure(f"The input is larger than {MAX_INPUT_BYTES // 1024 // 1024} MB.")
        try:
            if data.startswith(PNG_SIGNATURE):
                source, text = "png", unbake_png(data)
                if text is None:
                    raise _Failure("The PNG image has no credential baked into it.")
            elif data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                source, text = "svg", unbake_svg(data.decode("utf-8"))
                if text is None:
                    raise _Failure("The SVG image has no credential baked into it.")
            else:
                text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _Failure("The input is neither a badge image nor UTF-8 text.") from error
        except CredentialError as error:
            raise _Failure(str(error)) from error
        data = text
    if not isinstance(data, str):
        raise _Failure("Give a credential as a JSON object, JSON text, a VC-JWT or a badge image.")
    if len(data.encode()) > MAX_INPUT_BYTES:
        raise _Failure(f"The input is larger than {MAX_INPUT_BYTES // 1024 // 1024} MB.")
    text = data.strip().lstrip("\ufeff")
    if not text:
        raise _Failure("The input is empty.")
    if text.startswith(("{", "[")):
        return _load_json(text), None, source
    if _JWS.match(text):
        try:
            parts = decode_jwt(text)
        except CredentialError as error:
            raise _Failure(f"This is not a usable VC-JWT: {error}") from error
        _check_depth(parts.credential)
        return parts.credential, text, "jwt" if source == "json" else source
    raise _Failure("This is neither JSON nor a compact VC-JWT (three base64url parts).")


def _summarise(report: VerificationReport, credential: dict[str, Any]) -> None:
    issuer = credential.get("issuer")
    report.issuer_id = id_of(issuer)
    report.issuer_name = text_of(issuer.get("name")) if isinstance(issuer, dict) else ""
    subjects = [s for s in as_list(credential.get("credentialSubject")) if isinstance(s, dict)]
    subject = subjects[0] if subjects else {}
    achievement = subject.get("achievement")
    report.achievement_name = (
        text_of(achievement.get("name")) if isinstance(achievement, dict) else ""
    ) or text_of(credential.get("name"))
    if isinstance(subject.get("id"), str):
        report.subject = subject["id"]
    else:
        identifiers = [i for i in as_list(subject.get("identifier")) if isinstance(i, dict)]
        if identifiers:
            kind = identifiers[0].get("identityType", "identifier")
            hashed = " (hashed)" if identifiers[0].get("hashed") else ""
            report.subject = f"{kind}{hashed}"
    for attr, names in (
        ("valid_from", ("validFrom", "issuanceDate")),
        ("valid_until", ("validUntil", "expirationDate")),
    ):
        value = next((credential[n] for n in names if isinstance(credential.get(n), str)), "")
        setattr(report, attr, value)


def _verify_credential(
    credential: dict[str, Any],
    token: str | None,
    *,
    resolver: KeyResolver,
    now: datetime,
    fetch: StatusFetcher | None,
) -> list[Check]:
    keys: list[ResolvedKey] = []
    checks = [data_model_check(credential), contexts_check(credential)]
    if token is not None:
        checks.append(jwt_signature_check(token, resolver, keys))
    else:
        checks.append(di_signature_check(credential, resolver, keys))
    checks += [
        issuer_check(credential, keys),
        dates_check(credential, now),
        status_check(credential, resolver, now, fetch),
        schema_check(credential),
    ]
    return checks


# --- presentations -------------------------------------------------------------------------------


def _holder_proof(presentation: dict[str, Any], resolver: KeyResolver) -> list[Check]:
    label = "Holder proof"
    try:
        proofs = proofs_of(presentation)
    except ProofError as error:
        return [Check("holder-proof", label, FAILED, str(error))]
    if not proofs:
        return [
            Check("holder-proof", label, SKIPPED, "The presentation is not signed by its holder.")
        ]
    proof = proofs[0]
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        return [
            Check(
                "holder-proof",
                label,
                FAILED,
                f"unsupported cryptosuite {proof.get('cryptosuite') or proof.get('type')!r}.",
            )
        ]
    try:
        signature = b58_decode(str(proof.get("proofValue")))
        key = resolver(str(proof.get("verificationMethod")))
        if key.algorithm != "Ed25519" or len(signature) != 64:
            raise ProofError("The holder proof is not an Ed25519 signature.")
        Ed25519PublicKey.from_public_bytes(key.public_key).verify(
            signature, hash_data(presentation, proof, safe=False)
        )
    except InvalidSignature:
        return [
            Check(
                "holder-proof",
                label,
                FAILED,
                "The holder's signature does not match the presentation.",
            )
        ]
    except (CredentialError, ValueError) as error:
        return [
            Check("holder-proof", label, FAILED, f"The holder proof cannot be checked: {error}")
        ]
    holder = id_of(presentation.get("holder"))
    owner = key.controller.split("#", 1)[0]
    if holder and holder not in (key.controller, owner):
        return [
            Check(
                "holder-proof",
                label,
                FAILED,
                f"The presentation is signed by {owner}, not its holder {holder}.",
            )
        ]
    return [Check("holder-proof", label, PASSED, f"Signed by the holder {owner}.")]


def _verify_presentation(
    presentation: dict[str, Any],
    report: VerificationReport,
    *,
    resolver: KeyResolver,
    now: datetime,
    fetch: StatusFetcher | None,
) -> None:
    report.format = "presentation"
    contexts = as_list(presentation.get("@context"))
    if not contexts or contexts[0] not in (VC_V2, VC_V1):
        report.checks.append(
            Check(
                "data-model",
                "Data model",
                FAILED,
                f"The first @context of the presentation must be {VC_V2} or {VC_V1}.",
            )
        )
    else:
        report.checks.append(
            Check("data-model", "Data model", PASSED, "A well-formed Verifiable Presentation.")
        )
    report.checks.append(contexts_check(presentation))
    report.checks += _holder_proof(presentation, resolver)
    items = as_list(presentation.get("verifiableCredential"))
    if not items:
        report.checks.append(
            Check("credentials", "Credentials", FAILED, "The presentation holds no credentials.")
        )
    for number, item in enumerate(items, start=1):
        prefix = f"credential-{number}:"
        try:
            if isinstance(item, dict) and item.get("type") == "EnvelopedVerifiableCredential":
                item = str(item.get("id", "")).split(",", 1)[-1]
            credential, token, _ = _parse(item)
        except _Failure as error:
            report.checks.append(
                Check(prefix + "parse", f"Credential {number}: parse", FAILED, str(error))
            )
            continue
        assert credential is not None
        if number == 1:
            report.credential = credential
            _summarise(report, credential)
        for check in _verify_credential(credential, token, resolver=resolver, now=now, fetch=fetch):
            report.checks.append(
                Check(
                    prefix + check.id,
                    f"Credential {number}: {check.label}",
                    check.outcome,
                    check.detail,
                )
            )


# --- entry point ---------------------------------------------------------------------------------


def verify(
    data: dict[str, Any] | str | bytes,
    *,
    resolver: KeyResolver,
    now: datetime,
    fetch_status_list: StatusFetcher | None = None,
) -> VerificationReport:
    """Check a credential or presentation; the report lists every check and its reason."""
    report = VerificationReport(ok=False, format="unknown", credential=None)
    try:
        document, token, source = _parse(data)
    except _Failure as error:
        report.checks.append(Check("parse", "Reading the credential", FAILED, str(error)))
        return report
    assert document is not None
    report.source = source
    where = {"png": " from a PNG badge image", "svg": " from an SVG badge image"}.get(source, "")
    what = "VC-JWT" if token else "JSON"
    report.checks.append(Check("parse", "Reading the credential", PASSED, f"Read {what}{where}."))
    if token is None and "VerifiablePresentation" in as_list(document.get("type")):
        _verify_presentation(document, report, resolver=resolver, now=now, fetch=fetch_status_list)
    else:
        report.credential = document
        report.format = (
            "vc-jwt" if token else ("data-integrity" if document.get("proof") else "unsigned")
        )
        _summarise(report, document)
        report.checks += _verify_credential(
            document, token, resolver=resolver, now=now, fetch=fetch_status_list
        )
    report.ok = not report.failed
    return report
