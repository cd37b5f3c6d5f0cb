"""Domain errors: a stable machine code plus a message a person can act on.

Services raise them; the UI shows the message, the API returns `{"error": {"code", "message"}}`.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the request. Maps to HTTP 400 unless `status` says otherwise."""

    status = 400

    def __init__(self, code: str, message: str, *, details: dict | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or {}


class ConflictError(DomainError):
    """The request clashes with the current state (already done, already exists)."""

    status = 409


class PermissionDenied(DomainError):
    """The actor may see the object but may not do this to it."""

    status = 403

    def __init__(self, message: str = "You do not have permission to do that.") -> None:
        super().__init__("permission_denied", message)


class TooManyAttempts(DomainError):
    """Throttled: the caller must wait before trying again."""

    status = 429
