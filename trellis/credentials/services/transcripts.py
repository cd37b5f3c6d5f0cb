"""The educator's CLR 2.0 transcript: their valid credentials, as issued (each keeps its own
proof), wrapped in a ClrCredential the district signs with eddsa-rdfc-2022."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from trellis.audit import services as audit
from trellis.core.errors import DomainError
from trellis.credentials import queries_portability as queries
from trellis.credentials.core.clr import build_clr
from trellis.credentials.core.dataintegrity import sign
from trellis.credentials.core.documents import date_time_z
from trellis.credentials.core.errors import CredentialError
from trellis.credentials.core.specs import SubjectSpec
from trellis.credentials.services import issuing, keys
from trellis.districts.permissions import Perm, require


def _subject_of(actor: Any, credentials: list[dict[str, Any]]) -> SubjectSpec:
    """Identify the learner the way their credentials do (same salt), so a verifier can match
    the transcript's subject to every credential inside it."""
    for credential in credentials:
        subject = credential.get("credentialSubject") or {}
        if isinstance(subject.get("id"), str):
            return SubjectSpec(email=actor.email, id=subject["id"])
        for item in subject.get("identifier") or []:
            if isinstance(item, dict) and isinstance(item.get("salt"), str):
                return SubjectSpec(email=actor.email, salt=item["salt"])
    return SubjectSpec(email=actor.email, salt=uuid.uuid4().hex)


@transaction.atomic
def export_transcript(
    *,
    access: Any,
    actor: Any,
    credential_ids: Iterable[Any] | None = None,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """The signed ClrCredential of the actor's valid credentials (all, or the chosen public
    ids). DomainError when there is nothing to put in it or a chosen id is not theirs."""
    require(access, Perm.VIEW_OWN_LEARNING)
    now = now or timezone.now()
    rows = queries.my_active_credentials(access, actor)
    if credential_ids is not None:
        wanted = {str(value) for value in credential_ids}
        if not wanted:
            raise DomainError("none_chosen", "Choose at least one credential for the transcript.")
        rows = [row for row in rows if str(row.public_id) in wanted]
        if len(rows) != len(wanted):
            raise DomainError(
                "unknown_credential",
                "Some chosen credentials are not among your valid credentials; reload the page.",
            )
    else:
        rows = list(rows)
    if not rows:
        raise DomainError(
            "no_credentials", "You have no valid credentials yet, so there is no transcript."
        )
    issuer = keys.ensure_issuer(access.district)
    key = keys.active_key(issuer, now=now)
    documents = [row.document for row in rows]
    transcript_id = f"urn:uuid:{uuid.uuid4()}"
    name = f"{actor.full_name or actor.email}: professional learning transcript"
    try:
        document = build_clr(
            id=transcript_id,
            issuer=issuing.issuer_spec(issuer, key),
            subject=_subject_of(actor, documents),
            credentials=documents,
            valid_from=now,
            name=name,
            description=f"Credentials earned in {access.district.name}, issued by {issuer.name}.",
        )
        signed = sign(
            document,
            private_key=keys.private_key(key),
            verification_method=keys.verification_method(issuer, key),
            created=date_time_z(now),
        )
    except CredentialError as error:
        raise DomainError(
            "transcript_invalid", f"The transcript could not be built: {error}"
        ) from None
    audit.record(
        action="credential.transcript_exported",
        summary=f"Exported a CLR transcript of {len(rows)} credential{'s' if len(rows) != 1 else ''}",
        actor=actor,
        subject=actor,
        district=access.district,
        data={"credentials": [str(row.public_id) for row in rows], "id": transcript_id},
    )
    return signed
