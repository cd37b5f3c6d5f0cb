"""Issuing Open Badges 3.0 credentials: idempotent per (district, source), with a revocation
status entry (and a suspension one when the issuer is suspendable), an eddsa-rdfc-2022 proof and
a VC-JWT of the same credential (EdDSA, or ES256 when the issuer chose it)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from trellis.audit import services as audit
from trellis.core.errors import DomainError
from trellis.credentials.core.dataintegrity import sign
from trellis.credentials.core.documents import build_credential, date_time_z
from trellis.credentials.core.errors import CredentialError, UnsafeDocument
from trellis.credentials.core.jwt import sign_jwt
from trellis.credentials.core.specs import (
    AchievementSpec,
    CredentialSpec,
    EvidenceSpec,
    IssuerSpec,
    ResultSpec,
    StatusEntrySpec,
    SubjectSpec,
)
from trellis.credentials.models import (
    IssuedCredential,
    IssuerProfile,
    SigningKey,
    SourceKind,
    StatusPurpose,
)
from trellis.credentials.services import keys, status
from trellis.notifications import services as notifications
from trellis.notifications.models import Kind


def credential_url(public_id: uuid.UUID) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("credentials:detail", args=[public_id])


def issuer_spec(issuer: IssuerProfile, key: SigningKey) -> IssuerSpec:
    return IssuerSpec(
        id=keys.issuer_id(issuer, key),
        name=issuer.name,
        url=issuer.url,
        email=issuer.email,
        image_url=issuer.image_url,
        description=issuer.description,
    )


def _existing(district: Any, source_kind: str, source_key: str) -> IssuedCredential | None:
    return IssuedCredential.objects.filter(
        district=district, source_kind=source_kind, source_key=source_key
    ).first()


def _sign_both(document: dict[str, Any], issuer: IssuerProfile, key: SigningKey, now: dt.datetime):
    """The Data Integrity form (Ed25519 `key`) and the VC-JWT form (the issuer's JWT key)."""
    signed = sign(
        document,
        private_key=keys.private_key(key),
        verification_method=keys.verification_method(issuer, key),
        created=date_time_z(now),
    )
    token_key = keys.jwt_key(issuer, now=now)
    token = sign_jwt(
        document,
        private_key=keys.private_key(token_key),
        kid=keys.verification_method(issuer, token_key),
    )
    return signed, token


def _allocate_status(issuer: IssuerProfile, now: dt.datetime) -> dict[str, Any]:
    """Status list entries for a new credential: revocation always, suspension when the issuer
    is suspendable. Returns the IssuedCredential fields plus `specs` for the document."""
    revocation_list, revocation_index = status.allocate(issuer, StatusPurpose.REVOCATION, now=now)
    fields: dict[str, Any] = {
        "revocation_list": revocation_list,
        "revocation_index": revocation_index,
    }
    specs = [StatusEntrySpec(status.list_url(revocation_list), revocation_index, "revocation")]
    if issuer.suspendable:
        suspension_list, suspension_index = status.allocate(
            issuer, StatusPurpose.SUSPENSION, now=now
        )
        fields.update(suspension_list=suspension_list, suspension_index=suspension_index)
        specs.append(
            StatusEntrySpec(status.list_url(suspension_list), suspension_index, "suspension")
        )
    return {"fields": fields, "specs": tuple(specs)}


def issue_credential(
    *,
    district: Any,
    recipient: Any,
    source_kind: str,
    source_key: str,
    achievement: AchievementSpec,
    actor: Any = None,
    now: dt.datetime | None = None,
    results: Iterable[ResultSpec] = (),
    evidence: Iterable[EvidenceSpec] = (),
    credit_hours: float | None = None,
    valid_until: dt.datetime | None = None,
    notify: bool = True,
) -> IssuedCredential:
    """The credential for (district, source_kind, source_key), issued once: a repeat (or a
    concurrent twin) returns the existing row. DomainError when the achievement is invalid or
    no key-encryption key is configured; nothing is written then."""
    if source_kind not in SourceKind.values:
        raise DomainError("bad_source_kind", f"Unknown credential source {source_kind!r}.")
    existing = _existing(district, source_kind, source_key)
    if existing is not None:
        return existing
    if not getattr(recipient, "email", ""):
        raise DomainError("no_recipient_email", "The recipient has no e-mail address.")
    now = now or timezone.now()
    try:
        with transaction.atomic():
            credential = _issue(
                district=district,
                recipient=recipient,
                source_kind=source_kind,
                source_key=source_key,
                achievement=achievement,
                actor=actor,
                now=now,
                results=tuple(results),
                evidence=tuple(evidence),
                credit_hours=credit_hours,
                valid_until=valid_until,
            )
    except IntegrityError:  # a concurrent call issued it first
        existing = _existing(district, source_kind, source_key)
        if existing is None:
            raise
        return existing
    except (CredentialError, UnsafeDocument) as error:
        raise DomainError("invalid_credential", str(error)) from error
    if not notify:  # e.g. the award's own e-mail already tells the recipient
        return credential
    path = reverse("credentials:detail", args=[credential.public_id])
    notifications.notify(
        recipient,
        district=district,
        kind=Kind.CREDENTIAL_ISSUED,
        subject=f"Your credential “{credential.achievement_name}”",
        lines=[
            f"{credential.issuer.name} issued you a verifiable credential: "
            f"“{credential.achievement_name}”.",
            "It is private until you make it public. Open it to download it, share it or add "
            "it to your LinkedIn profile:",
        ],
        path=path,
    )
    return credential


def _issue(
    *,
    district: Any,
    recipient: Any,
    source_kind: str,
    source_key: str,
    achievement: AchievementSpec,
    actor: Any,
    now: dt.datetime,
    results: tuple[ResultSpec, ...],
    evidence: tuple[EvidenceSpec, ...],
    credit_hours: float | None,
    valid_until: dt.datetime | None,
) -> IssuedCredential:
    issuer = keys.ensure_issuer(district)
    key = keys.active_key(issuer, now=now)
    entries = _allocate_status(issuer, now)
    public_id = uuid.uuid4()
    spec = CredentialSpec(
        id=credential_url(public_id),
        issuer=issuer_spec(issuer, key),
        subject=SubjectSpec(
            email=recipient.email,
            name=getattr(recipient, "full_name", "") or "",
            salt=secrets.token_hex(16),
        ),
        achievement=achievement,
        valid_from=now,
        valid_until=valid_until,
        awarded=now,
        results=results,
        evidence=evidence,
        status=entries["specs"],
        credit_hours_earned=credit_hours,
    )
    document, token = _sign_both(build_credential(spec), issuer, key, now)
    credential = IssuedCredential.objects.create(
        public_id=public_id,
        district=district,
        issuer=issuer,
        recipient=recipient,
        source_kind=source_kind,
        source_key=source_key,
        achievement_name=achievement.name[:300],
        document=document,
        jwt=token,
        signing_key=key,
        issued_at=now,
        valid_until=valid_until,
        **entries["fields"],
    )
    audit.record(
        action="credential.issued",
        summary=f"Issued “{credential.achievement_name}” to {recipient.email}",
        actor=actor,
        subject=recipient,
        district=district,
        target=credential,
        data={"source_kind": source_kind, "source_key": source_key},
    )
    return credential


def api_source_key(credential_id: str) -> str:
    """The idempotency key of a VC-API credential: its id, hashed when longer than the column."""
    if len(credential_id) <= 100:
        return credential_id
    return "sha256:" + hashlib.sha256(credential_id.encode()).hexdigest()


def issue_document(
    *, access: Any, credential: dict[str, Any], actor: Any, now: dt.datetime | None = None
) -> tuple[IssuedCredential, bool]:
    """Sign a credential posted to the VC-API as this district's issuer. (row, created): a
    credential whose `id` was issued before is returned as it was. DomainError (with the
    undefined terms in `details`) for anything we will not sign."""
    from trellis.credentials.services.vcapi import prepare  # local: keeps this module small

    issuer = keys.ensure_issuer(access.district)
    given_id = credential.get("id") if isinstance(credential, dict) else None
    if isinstance(given_id, str) and given_id:
        existing = _existing(access.district, SourceKind.API, api_source_key(given_id))
        if existing is not None:
            return existing, False
    now = now or timezone.now()
    try:
        with transaction.atomic():
            key = keys.active_key(issuer, now=now)
            public_id = uuid.uuid4()
            # The same entries as the UI path: suspension too when the issuer is suspendable.
            entries = _allocate_status(issuer, now)
            document, name = prepare(
                credential,
                issuer_id=keys.issuer_id(issuer, key),
                issuer_name=issuer.name,
                default_id=credential_url(public_id),
                status=entries["specs"],
                now=now,
            )
            try:
                signed, token = _sign_both(document, issuer, key, now)
            except UnsafeDocument as error:
                raise DomainError(
                    "undefined_terms",
                    "The credential uses terms its @context does not define: "
                    + ", ".join(error.terms),
                    details={"terms": list(error.terms)},
                ) from error
            except CredentialError as error:
                raise DomainError("invalid_credential", str(error)) from error
            row = IssuedCredential.objects.create(
                public_id=public_id,
                district=access.district,
                issuer=issuer,
                recipient=None,
                source_kind=SourceKind.API,
                source_key=api_source_key(document["id"]),
                achievement_name=name[:300],
                document=signed,
                jwt=token,
                signing_key=key,
                issued_at=now,
                **entries["fields"],
            )
            audit.record(
                action="credential.issued",
                summary=f"Issued “{row.achievement_name}” through the VC-API",
                actor=actor,
                district=access.district,
                target=row,
                data={"source_kind": SourceKind.API, "source_key": row.source_key},
            )
    except IntegrityError:
        existing = _existing(access.district, SourceKind.API, api_source_key(document["id"]))
        if existing is None:
            raise
        return existing, False
    return row, True
