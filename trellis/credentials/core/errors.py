"""Errors raised by the credential core. Each carries a message fit to show a user."""

from __future__ import annotations


class CredentialError(ValueError):
    """Something about a credential, key or document is wrong; the message says what."""


class UnknownContext(CredentialError):
    """A JSON-LD context URL that is not bundled (we never fetch contexts over the network)."""


class UnsafeDocument(CredentialError):
    """Terms or types that the document's contexts do not define (JSON-LD "safe mode")."""

    def __init__(self, message: str, *, terms: list[str]):
        super().__init__(message)
        self.terms = terms


class KeyProblem(CredentialError):
    """A key that cannot be decoded, resolved or used."""


class ProofError(CredentialError):
    """A proof that is missing, malformed or does not verify."""
