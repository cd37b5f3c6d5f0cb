"""W3C Bitstring Status List v1.0: the bitstring, its encodedList form, the (unsigned) status
list credential, and the check a verifier makes for one credentialStatus entry.

Bit 0 is the most significant (left-most) bit of byte 0. encodedList is multibase base64url
("u", no padding) of the GZIP-compressed bitstring."""

from __future__ import annotations

import base64
import binascii
import gzip
import zlib
from typing import Any

from trellis.credentials.core.errors import CredentialError
from trellis.credentials.core.loader import VC_V2

MIN_SIZE = 131_072  # entries (16 KB): the spec's minimum, for herd privacy
MAX_DECODED_BYTES = 16 * 1024 * 1024
PURPOSES = ("revocation", "suspension", "refresh", "message")
LIST_TYPE = "BitstringStatusListCredential"
ENTRY_TYPE = "BitstringStatusListEntry"


def new_bits(size: int = MIN_SIZE) -> bytes:
    """An all-zero bitstring of `size` entries (a positive multiple of 8)."""
    if not isinstance(size, int) or size <= 0 or size % 8:
        raise CredentialError("A status list size is a positive multiple of 8.")
    if size // 8 > MAX_DECODED_BYTES:
        raise CredentialError("A status list can hold at most 16 MB of entries.")
    return bytes(size // 8)


def _position(bits: bytes, index: int) -> tuple[int, int]:
    if isinstance(index, bool) or not isinstance(index, int):
        raise CredentialError("A status list index is a whole number.")
    if not 0 <= index < len(bits) * 8:
        raise CredentialError(
            f"Status list index {index} is outside the list (0 to {len(bits) * 8 - 1})."
        )
    return index // 8, 0x80 >> (index % 8)


def get_bit(bits: bytes, index: int) -> bool:
    byte, mask = _position(bits, index)
    return bool(bits[byte] & mask)


def set_bit(bits: bytes, index: int, value: bool) -> bytes:
    """A copy of the bitstring with entry `index` set (True) or cleared (False)."""
    byte, mask = _position(bits, index)
    changed = bytearray(bits)
    changed[byte] = changed[byte] | mask if value else changed[byte] & ~mask
    return bytes(changed)


def encode_list(bits: bytes) -> str:
    # mtime=0 keeps the encoding of a given bitstring stable.
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).rstrip(b"=").decode(
        "ascii"
    )


def decode_list(encoded: str) -> bytes:
    """The bitstring of an encodedList; CredentialError when it is not one."""
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise CredentialError("The encodedList must be multibase base64url (starting with “u”).")
    body = encoded[1:]
    if not body or any(c in body for c in "+/="):
        raise CredentialError("The encodedList is not base64url without padding.")
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError) as error:
        raise CredentialError("The encodedList is not base64url.") from error
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # GZIP container only
    try:
        bits = decompressor.decompress(compressed, MAX_DECODED_BYTES + 1)
    except zlib.error as error:
        raise CredentialError("The encodedList is not GZIP-compressed.") from error
    if len(bits) > MAX_DECODED_BYTES or decompressor.unconsumed_tail:
        raise CredentialError("The status list is larger than 16 MB uncompressed.")
    if not decompressor.eof:
        raise CredentialError("The encodedList's GZIP data is truncated.")
    if not bits:
        raise CredentialError("The status list is empty.")
    return bits


def status_list_credential(
    *, id: str, issuer_id: str, purpose: str, bits: bytes, valid_from: str
) -> dict[str, Any]:
    """The unsigned BitstringStatusListCredential published at `id`."""
    if purpose not in PURPOSES:
        raise CredentialError(
            f"Unknown status purpose {purpose!r}; use one of {', '.join(PURPOSES)}."
        )
    return {
        "@context": [VC_V2],
        "id": id,
        "type": ["VerifiableCredential", LIST_TYPE],
        "issuer": issuer_id,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{id}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode_list(bits),
        },
    }


def _index_of(entry: dict[str, Any]) -> int:
    value = entry.get("statusListIndex")
    if isinstance(value, int) and not isinstance(value, bool):
        return value  # the 1EdTech samples use a number; the spec says a base-10 string
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    raise CredentialError(f"The statusListIndex {value!r} is not a base-10 number.")


def entry_status(entry: dict[str, Any], list_credential: dict[str, Any]) -> bool:
    """Whether the status list sets this credentialStatus entry's bit (True = revoked /
    suspended / …, per the purpose). CredentialError when the entry and list do not match."""
    if not isinstance(entry, dict) or entry.get("type") != ENTRY_TYPE:
        raise CredentialError(f"The credentialStatus is not a {ENTRY_TYPE}.")
    types = list_credential.get("type")
    if not isinstance(types, list) or LIST_TYPE not in types:
        raise CredentialError(f"The status list is not a {LIST_TYPE}.")
    subject = list_credential.get("credentialSubject")
    if not isinstance(subject, dict):
        raise CredentialError("The status list credential has no credentialSubject.")
    if subject.get("statusPurpose") != entry.get("statusPurpose"):
        raise CredentialError(
            f"The status list's purpose {subject.get('statusPurpose')!r} does not match the "
            f"entry's {entry.get('statusPurpose')!r}."
        )
    if entry.get("statusSize", 1) not in (1, "1"):
        raise CredentialError("Only one-bit status entries are supported.")
    return get_bit(decode_list(subject.get("encodedList")), _index_of(entry))
