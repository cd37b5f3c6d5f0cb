"""The individual checks of the verifier (core/verify.py): each returns a Check whose detail is
a reason fit to show a user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from trellis.credentials.core.dataintegrity import (
    CRYPTOSUITE,
    PROOF_TYPE,
    ResolvedKey,
    proofs_of,
    verify_proof,
)
from trellis.credentials.core.errors import CredentialError, ProofError
from trellis.credentials.core.jwt import decode_jwt, verify_jwt
from trellis.credentials.core.loader import VC_V1, VC_V2, is_known_context
from trellis.credentials.core.resolver import KeyResolver
from trellis.credentials.core.schema import SCHEMA_IDS, validate
from trellis.credentials.core.statuslist import entry_status

MAX_SCHEMA_ISSUES = 10
PASSED, FAILED, WARNING, SKIPPED = "passed", "failed", "warning", "skipped"
OB_TYPES = {"OpenBadgeCredential", "AchievementCredential", "EndorsementCredential"}
SCHEMA_TYPES = {"1EdTechJsonSchemaValidator2019", "JsonSchema", "JsonSchemaValidator2018"}

StatusFetcher = Callable[[str], dict[str, Any]]


@dataclass(frozen=True)
class Check:
    id: str
    label: str
    outcome: str  # passed | failed | warning | skipped
    detail: str


# --- small helpers -------------------------------------------------------------------------------


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def id_of(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    return ""


def text_of(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):  # a language map
        return next((v for v in value.values() if isinstance(v, str)), "")
    return ""


def parse_date(value: Any, name: str) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"{name} is not a date-time string.")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError as error:
        raise ValueError(f"{name} {value!r} is not an ISO 8601 date-time.") from error
    if moment.tzinfo is None:
        raise ValueError(f"{name} {value!r} has no time zone.")
    return moment


# --- the checks ----------------------------------------------------------------------------------


def typed_entries(credential: dict[str, Any]) -> list[str]:
    """VC 2.0 rules for the optional objects: each has a type; relatedResource has unique ids
    and a digest."""
    problems = []
    for name in (
        "credentialSchema",
        "credentialStatus",
        "refreshService",
        "evidence",
        "termsOfUse",
    ):
        entries = as_list(credential.get(name))
        if any(not isinstance(entry, dict) or not entry.get("type") for entry in entries):
            problems.append(f"every {name} entry must be an object with a type")
    if any(
        not isinstance(e, dict) or not e.get("id")
        for e in as_list(credential.get("credentialSchema"))
    ):
        problems.append("every credentialSchema entry must have an id")
    resources = as_list(credential.get("relatedResource"))
    if resources:
        ids = [r.get("id") if isinstance(r, dict) else None for r in resources]
        if not all(isinstance(i, str) and i for i in ids) or len(set(ids)) != len(ids):
            problems.append("every relatedResource needs its own, unique id")
        if not all(
            isinstance(r, dict) and (r.get("digestSRI") or r.get("digestMultibase"))
            for r in resources
        ):
            problems.append("every relatedResource needs a digestSRI or digestMultibase")
    return problems


def data_model_check(credential: dict[str, Any]) -> Check:
    label = "Data model"
    problems = []
    contexts = as_list(credential.get("@context"))
    if not contexts or contexts[0] not in (VC_V2, VC_V1):
        problems.append(f"the first @context must be {VC_V2} (VC 2.0) or {VC_V1} (VC 1.1)")
    types = as_list(credential.get("type"))
    if "VerifiableCredential" not in types:
        problems.append("type must include VerifiableCredential")
    if not id_of(credential.get("issuer")):
        problems.append("there is no issuer (an id or an object with an id)")
    subjects = as_list(credential.get("credentialSubject"))
    if not subjects or not all(isinstance(s, dict) for s in subjects):
        problems.append("there is no credentialSubject object")
    elif OB_TYPES & set(types) and not all(s.get("id") or s.get("identifier") for s in subjects):
        problems.append("an Open Badges credentialSubject needs an id or an identifier")
    problems += typed_entries(credential)
    if problems:
        return Check(
            "data-model", label, FAILED, "The credential is malformed: " + "; ".join(problems) + "."
        )
    version = "VC 2.0" if contexts[0] == VC_V2 else "VC 1.1"
    kind = next((t for t in types if t in OB_TYPES | {"ClrCredential"}), "VerifiableCredential")
    return Check("data-model", label, PASSED, f"A well-formed {version} {kind}.")


def contexts_check(document: dict[str, Any]) -> Check:
    label = "JSON-LD contexts"
    unknown = [
        c
        for c in as_list(document.get("@context"))
        if isinstance(c, str) and not is_known_context(c)
    ]
    if unknown:
        return Check(
            "contexts",
            label,
            FAILED,
            "Unknown context: " + ", ".join(unknown) + " (contexts are never fetched; only "
            "published W3C and 1EdTech contexts are accepted).",
        )
    return Check("contexts", label, PASSED, "Every context is a known, published one.")


def capturing(resolver: KeyResolver, keys: list[ResolvedKey]) -> Callable[[str], ResolvedKey]:
    def resolve(method_id: str) -> ResolvedKey:
        key = resolver(method_id)
        keys.append(key)
        return key

    return resolve


def di_signature_check(
    document: dict[str, Any], resolver: KeyResolver, keys: list[ResolvedKey]
) -> Check:
    label = "Signature"
    try:
        proofs = proofs_of(document)
    except ProofError as error:
        return Check("signature", label, FAILED, str(error))
    if not proofs:
        return Check(
            "signature", label, FAILED, "The credential has no proof: nothing shows who issued it."
        )
    verified, unsupported, broken = [], [], []
    for proof in proofs:
        kind, suite = proof.get("type"), proof.get("cryptosuite")
        if kind != PROOF_TYPE:
            unsupported.append(f"unsupported proof type {kind!r}")
            continue
        if suite != CRYPTOSUITE:
            unsupported.append(f"unsupported cryptosuite {suite!r}")
            continue
        try:
            key = verify_proof(document, proof, resolve=capturing(resolver, keys))
        except CredentialError as error:
            broken.append(str(error))
            continue
        verified.append(key.method_id)
    if broken:
        return Check("signature", label, FAILED, " ".join(broken))
    if not verified:
        return Check(
            "signature",
            label,
            FAILED,
            "No proof could be checked: " + "; ".join(unsupported) + f" (Trellis verifies "
            f"{PROOF_TYPE} with {CRYPTOSUITE}).",
        )
    detail = f"The {CRYPTOSUITE} proof by {verified[0]} is valid."
    if unsupported:
        detail += " Other proofs were not checked: " + "; ".join(unsupported) + "."
    return Check("signature", label, PASSED, detail)


def jwt_signature_check(token: str, resolver: KeyResolver, keys: list[ResolvedKey]) -> Check:
    try:
        verify_jwt(token, resolve=capturing(resolver, keys))
    except CredentialError as error:
        return Check("signature", "Signature", FAILED, str(error))
    alg = decode_jwt(token).header.get("alg")
    return Check("signature", "Signature", PASSED, f"The VC-JWT ({alg}) signature is valid.")


def issuer_check(credential: dict[str, Any], keys: list[ResolvedKey]) -> Check:
    label = "Issuer"
    issuer = id_of(credential.get("issuer"))
    if not keys:
        return Check(
            "issuer", label, SKIPPED, "No signing key was resolved, so the issuer is unproven."
        )
    key = keys[-1]
    owners = {key.controller, key.controller.split("#", 1)[0], key.method_id.split("#", 1)[0]}
    if issuer and issuer in owners:
        return Check(
            "issuer", label, PASSED, f"The signing key {key.method_id} belongs to {issuer}."
        )
    return Check(
        "issuer",
        label,
        FAILED,
        f"The signing key belongs to {key.controller}, not to the issuer {issuer or '(none)'}.",
    )


def dates_check(credential: dict[str, Any], now: datetime) -> Check:
    label = "Validity dates"
    try:
        start_name = "validFrom" if "validFrom" in credential else "issuanceDate"
        end_name = "validUntil" if "validUntil" in credential else "expirationDate"
        start = credential.get(start_name)
        end = credential.get(end_name)
        start_at = parse_date(start, start_name) if start is not None else None
        end_at = parse_date(end, end_name) if end is not None else None
    except ValueError as error:
        return Check("dates", label, FAILED, str(error))
    if start_at and start_at > now:
        return Check("dates", label, FAILED, f"Not yet valid: {start_name} is {start}.")
    if end_at and end_at < now:
        return Check("dates", label, FAILED, f"Expired: {end_name} was {end}.")
    if start_at and end_at and end_at < start_at:
        return Check("dates", label, FAILED, f"{end_name} is before {start_name}.")
    if end_at:
        return Check("dates", label, PASSED, f"Valid from {start or 'issue'} until {end}.")
    if start_at:
        return Check("dates", label, PASSED, f"Valid since {start}; it does not expire.")
    return Check("dates", label, PASSED, "The credential states no validity period.")


def check_list_credential(
    list_credential: dict[str, Any], issuer: str, resolver: KeyResolver, now: datetime
) -> str | None:
    """Why a fetched status list cannot be trusted, or None."""
    keys: list[ResolvedKey] = []
    signature = di_signature_check(list_credential, resolver, keys)
    if signature.outcome != PASSED:
        return f"its status list's signature does not verify ({signature.detail})"
    if (
        issuer_check(list_credential, keys).outcome != PASSED
        or id_of(list_credential.get("issuer")) != issuer
    ):
        return "its status list was not signed by the credential's issuer"
    dates = dates_check(list_credential, now)
    if dates.outcome == FAILED:
        return f"its status list is not currently valid ({dates.detail})"
    return None


def status_check(
    credential: dict[str, Any],
    resolver: KeyResolver,
    now: datetime,
    fetch: StatusFetcher | None,
) -> Check:
    label = "Revocation and suspension status"
    entries = as_list(credential.get("credentialStatus"))
    if not entries:
        return Check(
            "status", label, SKIPPED, "The credential publishes no status; it cannot be revoked."
        )
    issuer = id_of(credential.get("issuer"))
    notes = []
    for entry in entries:
        if not isinstance(entry, dict):
            return Check("status", label, FAILED, "A credentialStatus entry is not an object.")
        kind = entry.get("type")
        url = (
            entry.get("statusListCredential")
            if kind == "BitstringStatusListEntry"
            else entry.get("id")
        )
        if kind not in ("BitstringStatusListEntry", "1EdTechRevocationList"):
            notes.append(f"the status method {kind!r} is not supported")
            continue
        if not isinstance(url, str) or not url:
            return Check(
                "status", label, FAILED, f"The {kind} entry does not say where its list is."
            )
        if fetch is None:
            notes.append(f"could not check the status list {url} (this verifier works offline)")
            continue
        try:
            listing = fetch(url)
        except Exception as error:  # any fetch problem leaves the status unknown, never a crash
            notes.append(f"could not check the status list {url} ({error})")
            continue
        if not isinstance(listing, dict):
            notes.append(f"could not check the status list {url} (not a JSON object)")
            continue
        if kind == "1EdTechRevocationList":
            revoked = [
                r
                for r in as_list(listing.get("revokedCredentials"))
                if isinstance(r, dict)
                and r.get("id") == credential.get("id")
                and r.get("revoked", True) is not False
            ]
            if revoked:
                reason = revoked[0].get("revocationReason")
                return Check(
                    "status",
                    label,
                    FAILED,
                    "Revoked by its issuer" + (f": {reason}." if reason else "."),
                )
            continue
        problem = check_list_credential(listing, issuer, resolver, now)
        if problem:
            return Check("status", label, FAILED, f"The status cannot be trusted: {problem}.")
        try:
            is_set = entry_status(entry, listing)
        except CredentialError as error:
            return Check("status", label, FAILED, f"The status entry is unusable: {error}")
        purpose = entry.get("statusPurpose")
        if is_set and purpose == "revocation":
            return Check(
                "status", label, FAILED, "Revoked: the issuer's status list marks it revoked."
            )
        if is_set and purpose == "suspension":
            return Check(
                "status", label, FAILED, "Suspended: the issuer's status list marks it suspended."
            )
        if is_set:
            notes.append(f"the {purpose} status is set")
    if notes:
        return Check("status", label, WARNING, "Status unknown: " + "; ".join(notes) + ".")
    return Check("status", label, PASSED, "Not revoked or suspended.")


MAX_STATUS_ENTRIES = 4  # revocation, suspension, refresh, message


def _status_lists(node: Any) -> int:
    """The length of the longest credentialStatus list anywhere in the document (0: none)."""
    if isinstance(node, list):
        return max((_status_lists(item) for item in node), default=0)
    if not isinstance(node, dict):
        return 0
    own = node.get("credentialStatus")
    longest = len(own) if isinstance(own, list) else 0
    return max(longest, *(_status_lists(value) for value in node.values()), 0)


def _with_status_entry(node: Any, index: int) -> Any:
    """A copy where every credentialStatus list is replaced by its entry `index` (or its last)."""
    if isinstance(node, list):
        return [_with_status_entry(item, index) for item in node]
    if not isinstance(node, dict):
        return node
    copy = {key: _with_status_entry(value, index) for key, value in node.items()}
    entries = node.get("credentialStatus")
    if isinstance(entries, list) and entries:
        copy["credentialStatus"] = entries[min(index, len(entries) - 1)]
    return copy


def _validate(credential: dict[str, Any], name: str) -> list[Any]:
    """Schema issues. A credentialStatus list (VC 2.0 and Bitstring Status List allow several
    entries, e.g. revocation and suspension) is checked one entry at a time, here and in embedded
    credentials, since the 1EdTech schemas describe a single CredentialStatus object."""
    longest = _status_lists(credential)
    if longest == 0 or longest > MAX_STATUS_ENTRIES:  # one entry per purpose at most
        return validate(credential, name)
    issues: set[Any] = set()
    for index in range(longest):
        issues.update(validate(_with_status_entry(credential, index), name))
    return sorted(issues, key=lambda issue: (issue.path, issue.message))


def schema_check(credential: dict[str, Any]) -> Check:
    label = "Schema"
    entries = [e for e in as_list(credential.get("credentialSchema")) if isinstance(e, dict)]
    if not entries:
        return Check("schema", label, SKIPPED, "The credential names no JSON schema.")
    by_id = {schema_id: name for name, schema_id in SCHEMA_IDS.items()}
    unknown, checked = [], []
    for entry in entries:
        if entry.get("type") not in SCHEMA_TYPES:
            unknown.append(f"{entry.get('id')} (type {entry.get('type')!r} not supported)")
            continue
        name = by_id.get(entry.get("id"))
        if name is None:
            unknown.append(str(entry.get("id")))
            continue
        try:
            issues = _validate(credential, name)
        except CredentialError as error:
            unknown.append(f"{entry.get('id')} ({error})")
            continue
        if issues:
            shown = "; ".join(str(issue) for issue in issues[:MAX_SCHEMA_ISSUES])
            more = len(issues) - MAX_SCHEMA_ISSUES
            return Check(
                "schema",
                label,
                FAILED,
                f"It does not match {entry['id']}: {shown}"
                + (f" (and {more} more)" if more > 0 else "")
                + ".",
            )
        checked.append(entry["id"])
    if unknown:
        return Check(
            "schema",
            label,
            WARNING,
            "Could not validate against unknown schema "
            + ", ".join(unknown)
            + "."
            + (f" It matches {', '.join(checked)}." if checked else ""),
        )
    return Check("schema", label, PASSED, "It matches " + ", ".join(checked) + ".")
