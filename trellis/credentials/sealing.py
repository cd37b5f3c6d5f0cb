"""Sealing issuer private keys at rest with Fernet under a key-encryption key (KEK).

`settings.CREDENTIAL_KEKS` holds "id:key" entries, the first being the one new keys are sealed
with; the others only unseal (KEK rotation: add the new KEK first, run `reseal_keys`, then drop
the old one). With no KEK configured, DEBUG and test runs use a KEK derived from SECRET_KEY
(id "dev"); production refuses to seal or unseal, with a clear message and a `check` warning."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core import checks

from trellis.core.errors import DomainError

DEV_KEK_ID = "dev"
DEFAULT_KEK_ID = "primary"


class SealingUnavailable(DomainError):
    """No key-encryption key is configured (production) or the needed one is missing."""

    status = 503


def _parse(entry: str) -> tuple[str, str]:
    kek_id, sep, key = entry.strip().rpartition(":")
    if not sep:
        kek_id, key = DEFAULT_KEK_ID, entry.strip()
    try:
        if len(base64.urlsafe_b64decode(key.encode())) != 32:
            raise ValueError
    except ValueError:
        raise SealingUnavailable(
            "bad_kek",
            f"The key-encryption key {kek_id!r} is not urlsafe base64 of 32 bytes.",
        ) from None
    return kek_id.strip() or DEFAULT_KEK_ID, key


def keks() -> list[tuple[str, str]]:
    """(id, key) pairs, the current one first. Raises SealingUnavailable when none exists."""
    configured = [_parse(entry) for entry in getattr(settings, "CREDENTIAL_KEKS", []) if entry]
    if configured:
        return configured
    if settings.DEBUG or getattr(settings, "TESTING", False):
        digest = hashlib.sha256(b"trellis-credential-kek:" + settings.SECRET_KEY.encode()).digest()
        return [(DEV_KEK_ID, base64.urlsafe_b64encode(digest).decode())]
    raise SealingUnavailable(
        "no_kek",
        "Credentials cannot be issued: no key-encryption key is configured. Set "
        "TRELLIS_KEY_ENCRYPTION_KEY (urlsafe base64 of 32 bytes) in the environment.",
    )


def current_kek_id() -> str:
    return keks()[0][0]


def seal(secret: bytes, kek_id: str | None = None) -> tuple[str, str]:
    """(kek_id, token): the secret encrypted under the current KEK or the named one."""
    available = dict(keks())
    kek_id = kek_id or current_kek_id()
    if kek_id not in available:
        raise SealingUnavailable("unknown_kek", f"No key-encryption key with id {kek_id!r}.")
    return kek_id, Fernet(available[kek_id].encode()).encrypt(secret).decode()


def unseal(token: str, kek_id: str) -> bytes:
    available = dict(keks())
    if kek_id not in available:
        raise SealingUnavailable(
            "unknown_kek",
            f"The key-encryption key {kek_id!r} that sealed this signing key is not configured.",
        )
    try:
        return Fernet(available[kek_id].encode()).decrypt(token.encode())
    except InvalidToken:
        raise SealingUnavailable(
            "bad_seal", f"The signing key does not open with key-encryption key {kek_id!r}."
        ) from None


@checks.register(checks.Tags.security)
def check_kek(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    try:
        keks()
    except SealingUnavailable as error:
        return [checks.Warning(error.message, id="trellis.credentials.W001")]
    return []
