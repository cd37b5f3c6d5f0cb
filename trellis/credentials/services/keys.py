"""Issuer profiles and their signing keys: lazy creation, rotation, revocation, KEK re-sealing.

The issuer id. With an https SITE_URL on a real host, a district's issuer is the did:web
`did:web:<host>:districts:<slug>`, whose DID document (/districts/<slug>/did.json) lists every
non-revoked key, so the id stays the same across key rotations. Otherwise (local development,
http or localhost), the issuer id is the did:key of the key that signs: after a rotation new
credentials carry the new did:key and old ones still verify offline from their own identifier."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from trellis.audit import services as audit
from trellis.core.errors import ConflictError, DomainError
from trellis.core.ids import public_id_or_404
from trellis.credentials import sealing
from trellis.credentials.core.multikey import decode_multikey, ed25519_multikey, p256_multikey
from trellis.credentials.models import (
    IssuerProfile,
    JwtAlgorithm,
    KeyAlgorithm,
    KeyStatus,
    SigningKey,
)
from trellis.districts.permissions import Perm, require

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]", "::1", "testserver"})


def uses_did_web() -> bool:
    parts = urlsplit(settings.SITE_URL)
    return parts.scheme == "https" and (parts.hostname or "") not in LOCAL_HOSTS


def did_web(district: Any) -> str:
    host = quote(urlsplit(settings.SITE_URL).netloc, safe="")  # a port's ":" becomes %3A
    return f"did:web:{host}:districts:{district.slug}"


def issuer_id(issuer: IssuerProfile, key: SigningKey) -> str:
    if uses_did_web():
        return did_web(issuer.district)
    return f"did:key:{key.public_key_multibase}"


def verification_method(issuer: IssuerProfile, key: SigningKey) -> str:
    return f"{issuer_id(issuer, key)}#{key.public_key_multibase}"


def private_key(key: SigningKey) -> Ed25519PrivateKey | ec.EllipticCurvePrivateKey:
    """The unsealed private key: Ed25519 from its 32 raw bytes; P-256 from its 32-byte
    big-endian private scalar."""
    raw = sealing.unseal(key.encrypted_private_key, key.kek_id)
    if key.algorithm == KeyAlgorithm.P256:
        return ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_key_bytes(key: SigningKey) -> bytes:
    return decode_multikey(key.public_key_multibase)[1]


def _generate(algorithm: str) -> tuple[bytes, str]:
    """(raw private key to seal, publicKeyMultibase) of a fresh key pair."""
    if algorithm == KeyAlgorithm.P256:
        p256 = ec.generate_private_key(ec.SECP256R1())
        raw = p256.private_numbers().private_value.to_bytes(32, "big")
        point = p256.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
        )
        return raw, p256_multikey(point)
    secret = Ed25519PrivateKey.generate()
    raw = secret.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    public = secret.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return raw, ed25519_multikey(public)


def _new_key(
    issuer: IssuerProfile, now: dt.datetime, algorithm: str = KeyAlgorithm.ED25519
) -> SigningKey:
    raw_private, multikey = _generate(algorithm)
    kek_id, token = sealing.seal(raw_private)
    return SigningKey.objects.create(
        issuer=issuer,
        algorithm=algorithm,
        public_key_multibase=multikey,
        encrypted_private_key=token,
        kek_id=kek_id,
        status=KeyStatus.ACTIVE,
        activated_at=now,
    )


def ensure_issuer(district: Any) -> IssuerProfile:
    """The district's issuer profile (named after the district), created on first use."""
    issuer = IssuerProfile.objects.filter(district=district).first()
    if issuer is not None:
        return issuer
    try:
        with transaction.atomic():
            return IssuerProfile.objects.create(district=district, name=district.name)
    except IntegrityError:
        return IssuerProfile.objects.get(district=district)


def active_key(
    issuer: IssuerProfile,
    *,
    now: dt.datetime | None = None,
    algorithm: str = KeyAlgorithm.ED25519,
) -> SigningKey:
    """The active key of `algorithm` (Ed25519 signs Data Integrity proofs and status lists;
    P-256 only ES256 VC-JWTs), generated (sealed under the current KEK) when there is none."""
    key = issuer.keys.filter(algorithm=algorithm, status=KeyStatus.ACTIVE).first()
    if key is not None:
        return key
    sealing.keks()  # fail with the clear "no KEK" message before anything is written
    try:
        with transaction.atomic():
            key = _new_key(issuer, now or timezone.now(), algorithm)
            audit.record(
                action="credential.key_created",
                summary=f"{key.get_algorithm_display()} signing key created for {issuer.name}",
                district=issuer.district,
                target=key,
                data={"kek_id": key.kek_id, "algorithm": algorithm},
            )
            return key
    except IntegrityError:  # a concurrent issuer created it first
        return issuer.keys.get(algorithm=algorithm, status=KeyStatus.ACTIVE)


def uses_es256(issuer: IssuerProfile) -> bool:
    """ES256 VC-JWTs need a did:web issuer: under did:key the issuer id is the Ed25519 key
    itself, which cannot also name a P-256 key. Without did:web new JWTs fall back to EdDSA."""
    return issuer.jwt_algorithm == JwtAlgorithm.ES256 and uses_did_web()


def jwt_key(issuer: IssuerProfile, *, now: dt.datetime | None = None) -> SigningKey:
    """The key that signs the VC-JWT form of new credentials (the issuer's chosen algorithm)."""
    algorithm = KeyAlgorithm.P256 if uses_es256(issuer) else KeyAlgorithm.ED25519
    return active_key(issuer, now=now, algorithm=algorithm)


@transaction.atomic
def rotate_key(access: Any, *, actor: Any, now: dt.datetime | None = None) -> SigningKey:
    """Retire the active Ed25519 key (it still verifies what it signed) and make a new active
    one; an active P-256 (ES256) key is rotated with it. Returns the new Ed25519 key."""
    require(access, Perm.MANAGE_CREDENTIALS)
    now = now or timezone.now()
    issuer = ensure_issuer(access.district)
    sealing.keks()
    actives = list(
        SigningKey.objects.select_for_update().filter(issuer=issuer, status=KeyStatus.ACTIVE)
    )
    old = next((k for k in actives if k.algorithm == KeyAlgorithm.ED25519), None)
    for retiring in actives:
        retiring.status, retiring.retired_at = KeyStatus.RETIRED, now
        retiring.save(update_fields=["status", "retired_at", "updated_at"])
    key = _new_key(issuer, now)
    for retired in actives:
        if retired.algorithm != KeyAlgorithm.ED25519:
            _new_key(issuer, now, retired.algorithm)
    audit.record(
        action="credential.key_rotated",
        summary=f"Signing key rotated for {issuer.name}",
        actor=actor,
        district=access.district,
        target=key,
        data={"retired": str(old.public_id) if old else None, "new": str(key.public_id)},
    )
    return key


@transaction.atomic
def revoke_key(
    access: Any, key_public_id: Any, *, reason: str, actor: Any, now: dt.datetime | None = None
) -> SigningKey:
    """Stop trusting a key: it leaves the DID document, so what it signed no longer verifies.
    Revoking the active key makes a fresh one so issuing goes on."""
    require(access, Perm.MANAGE_CREDENTIALS)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", "Give a reason for revoking the key.")
    if len(reason) > 300:
        raise DomainError("reason_too_long", "Keep the reason under 300 characters.")
    now = now or timezone.now()
    key = (
        SigningKey.objects.select_for_update()
        .filter(issuer__district=access.district, public_id=public_id_or_404(key_public_id, "key"))
        .first()
    )
    if key is None:
        raise Http404("No such key.")
    if key.status == KeyStatus.REVOKED:
        raise ConflictError("already_revoked", "That key is already revoked.")
    was_active = key.status == KeyStatus.ACTIVE
    key.status, key.revoked_at, key.revocation_reason = KeyStatus.REVOKED, now, reason
    key.save(update_fields=["status", "revoked_at", "revocation_reason", "updated_at"])
    audit.record(
        action="credential.key_revoked",
        summary=f"Signing key revoked: {reason}",
        actor=actor,
        district=access.district,
        target=key,
        data={"reason": reason},
    )
    if was_active:
        _new_key(key.issuer, now, key.algorithm)
    return key


def reseal_keys(new_kek_id: str | None = None) -> int:
    """Re-encrypt every private key under the named (default: current) KEK. Returns how many
    keys changed. Each key is resealed in its own transaction, so a rerun finishes the job."""
    target = new_kek_id or sealing.current_kek_id()
    if target not in dict(sealing.keks()):
        raise DomainError("unknown_kek", f"No key-encryption key with id {target!r} is configured.")
    changed = 0
    for pk in SigningKey.objects.exclude(kek_id=target).values_list("pk", flat=True):
        with transaction.atomic():
            key = SigningKey.objects.select_for_update().get(pk=pk)
            if key.kek_id == target:
                continue
            secret = sealing.unseal(key.encrypted_private_key, key.kek_id)
            key.kek_id, key.encrypted_private_key = sealing.seal(secret, target)
            key.save(update_fields=["kek_id", "encrypted_private_key", "updated_at"])
            changed += 1
    return changed


def did_document(district: Any) -> dict[str, Any]:
    """The did:web DID document: every non-revoked key (Ed25519, and P-256 for ES256 VC-JWTs) as
    a Multikey assertion method."""
    did = did_web(district)
    keys = SigningKey.objects.filter(issuer__district=district).exclude(status=KeyStatus.REVOKED)
    methods = [
        {
            "id": f"{did}#{key.public_key_multibase}",
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key.public_key_multibase,
        }
        for key in keys.order_by("activated_at", "id")
    ]
    ids = [method["id"] for method in methods]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
        "authentication": ids,
    }
