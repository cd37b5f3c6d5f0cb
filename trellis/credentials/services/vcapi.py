"""Checking and completing a credential posted to the VC-API issue endpoint before it is signed."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from trellis.core.errors import DomainError
from trellis.credentials.core.documents import credential_status, date_time_z
from trellis.credentials.core.loader import OB_V3, VC_V2
from trellis.credentials.core.specs import StatusEntrySpec


def _refuse(code: str, message: str) -> DomainError:
    return DomainError(code, message)


def _id_of(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    return None


def prepare(
    credential: Any,
    *,
    issuer_id: str,
    issuer_name: str,
    default_id: str,
    status: tuple[StatusEntrySpec, ...],
    now: dt.datetime,
) -> tuple[dict[str, Any], str]:
    """(document, name): the posted credential with our issuer, an id, validFrom and our
    status entries (revocation, and suspension when the issuer is suspendable) written the way
    every Trellis credential has them; DomainError naming the first problem otherwise."""
    if not isinstance(credential, dict):
        raise _refuse("invalid_credential", "`credential` must be a JSON object.")
    document = copy.deepcopy(credential)
    context = document.get("@context")
    if not isinstance(context, list) or not context or context[0] != VC_V2:
        raise _refuse(
            "invalid_context", f"The credential's @context must be a list starting with {VC_V2}."
        )
    types = document.get("type")
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or "VerifiableCredential" not in types:
        raise _refuse("invalid_type", "The credential's type must include VerifiableCredential.")
    if "proof" in document:
        raise _refuse("already_signed", "The credential already has a proof; send it unsigned.")
    if "credentialStatus" in document:
        raise _refuse(
            "status_not_allowed",
            "Leave credentialStatus out: the issuer adds its own status entries.",
        )
    subject = document.get("credentialSubject")
    subjects = subject if isinstance(subject, list) else [subject]
    if not subjects or not all(isinstance(item, dict) and item for item in subjects):
        raise _refuse("invalid_subject", "The credential needs a credentialSubject object.")
    given_issuer = document.get("issuer")
    if given_issuer is None:
        if OB_V3 in context:
            document["issuer"] = {"id": issuer_id, "type": ["Profile"], "name": issuer_name}
        else:
            document["issuer"] = issuer_id
    elif _id_of(given_issuer) != issuer_id:
        raise _refuse(
            "issuer_mismatch",
            f"The credential's issuer must be {issuer_id} (or left out for us to fill in).",
        )
    given_id = document.get("id")
    if given_id is None:
        document["id"] = default_id
    elif not isinstance(given_id, str) or ":" not in given_id or len(given_id) > 2000:
        raise _refuse("invalid_id", "The credential's id must be a URL or URN.")
    if "validFrom" not in document:
        document["validFrom"] = date_time_z(now)
    elif not isinstance(document["validFrom"], str):
        raise _refuse("invalid_valid_from", "validFrom must be an XML Schema dateTime string.")
    document["credentialStatus"] = credential_status(status)
    name = document.get("name") if isinstance(document.get("name"), str) else ""
    if not name:
        achievement = subjects[0].get("achievement")
        if isinstance(achievement, dict) and isinstance(achievement.get("name"), str):
            name = achievement["name"]
    return document, (name or "Credential").strip() or "Credential"
