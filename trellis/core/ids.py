"""Public ids arrive from URLs and API paths as text; a malformed one is simply "not found"."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404


def public_id_or_404(value: Any, what: str = "object") -> uuid.UUID:
    """The UUID in `value`, or Http404 ("No such <what>.") when it is not a UUID at all."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404(f"No such {what}.") from None
