"""Streaming authenticated encryption for backup archives (no Django here).

An archive is a header followed by chunks of at most CHUNK_SIZE plaintext bytes, each sealed
with AES-256-GCM. The key for one archive is derived with HKDF from the operator's backup key
and a random salt, so a nonce never repeats across archives. Each chunk's nonce holds its index
and a "last chunk" flag, and every chunk authenticates the header: chunks cannot be reordered,
dropped, swapped between archives or cut off at the end without decryption failing. A key
check value in the header tells a wrong key apart from a damaged archive.

    header = MAGIC (16) | salt (16) | nonce prefix (7) | key check (16)
    chunk  = length of sealed bytes (4, big-endian) | sealed bytes (plaintext + 16-byte tag)
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"TRELLIS-BACKUP\x00\x01"
CHUNK_SIZE = 1024 * 1024
TAG_SIZE = 16
HEADER_SIZE = len(MAGIC) + 16 + 7 + 16


class BackupKeyError(ValueError):
    """The backup key is missing, malformed, or not the one the archive was made with."""


class ArchiveDamaged(ValueError):
    """The archive is not a Trellis backup, or was changed or cut short after it was written."""


def generate_key() -> str:
    """A new backup key: urlsafe base64 of 32 random bytes."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def parse_key(text: str | None) -> bytes:
    value = (text or "").strip()
    if not value:
        raise BackupKeyError(
            "No backup key: set TRELLIS_BACKUP_KEY or pass --key-file. Make one with "
            "`trellis backup --generate-key` and keep it apart from the backups."
        )
    try:
        key = base64.urlsafe_b64decode(value.encode())
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise BackupKeyError("The backup key must be urlsafe base64 of 32 bytes.")
    return key


def _derive(key: bytes, salt: bytes) -> tuple[bytes, bytes]:
    material = HKDF(algorithm=hashes.SHA256(), length=48, salt=salt, info=b"trellis-backup-v1")
    derived = material.derive(key)
    return derived[:32], derived[32:]


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + index.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def encrypt_stream(source: BinaryIO, target: BinaryIO, key: bytes) -> None:
    salt, prefix = os.urandom(16), os.urandom(7)
    data_key, check = _derive(key, salt)
    header = MAGIC + salt + prefix + check
    target.write(header)
    aead = AESGCM(data_key)
    index, current = 0, source.read(CHUNK_SIZE)
    while True:
        following = source.read(CHUNK_SIZE)
        last = not following
        sealed = aead.encrypt(_nonce(prefix, index, last), current, header)
        target.write(len(sealed).to_bytes(4, "big") + sealed)
        if last:
            return
        index, current = index + 1, following


def _read_exactly(source: BinaryIO, size: int) -> bytes:
    data = source.read(size)
    if len(data) != size:
        raise ArchiveDamaged("The archive is cut short: it ends in the middle of a block.")
    return data


def decrypt_stream(source: BinaryIO, target: BinaryIO, key: bytes) -> None:
    """Write the plaintext to `target`; raise before returning if anything does not verify.

    The plaintext written before a failure is unauthenticated: callers write it to a
    temporary file and use it only when this returns."""
    header = source.read(HEADER_SIZE)
    if len(header) != HEADER_SIZE or not header.startswith(MAGIC):
        raise ArchiveDamaged("This file is not a Trellis backup archive.")
    salt = header[len(MAGIC) : len(MAGIC) + 16]
    prefix = header[len(MAGIC) + 16 : len(MAGIC) + 23]
    data_key, check = _derive(key, salt)
    if not hmac.compare_digest(check, header[len(MAGIC) + 23 :]):
        raise BackupKeyError("This archive was made with a different backup key.")
    aead = AESGCM(data_key)
    index = 0
    while True:
        length_bytes = source.read(4)
        if not length_bytes:
            raise ArchiveDamaged("The archive is cut short: its last block is missing.")
        if len(length_bytes) != 4:
            raise ArchiveDamaged("The archive is cut short: it ends in the middle of a block.")
        length = int.from_bytes(length_bytes, "big")
        if not TAG_SIZE <= length <= CHUNK_SIZE + TAG_SIZE:
            raise ArchiveDamaged("The archive is damaged: a block has an impossible length.")
        sealed = _read_exactly(source, length)
        for last in (False, True):
            try:
                plain = aead.decrypt(_nonce(prefix, index, last), sealed, header)
                break
            except InvalidTag:
                continue
        else:
            raise ArchiveDamaged(f"The archive is damaged or was altered (block {index + 1}).")
        target.write(plain)
        if last:
            if source.read(1):
                raise ArchiveDamaged("The archive has unexpected data after its last block.")
            return
        index += 1
