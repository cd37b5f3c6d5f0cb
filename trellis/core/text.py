"""Checking free text that services accept: trimmed, required or not, with a length limit."""

from __future__ import annotations

from typing import Any

from trellis.core.errors import DomainError


def clean_text(value: Any, *, field: str, label: str, max_length: int, required: bool) -> str:
    """`label` names the field in messages without an article: "Enter the {label}."."""
    text = str(value or "").strip()
    if required and not text:
        raise DomainError(f"{field}_required", f"Enter the {label}.", details={"field": field})
    if len(text) > max_length:
        raise DomainError(
            f"{field}_too_long",
            f"The {label} is too long: at most {max_length} characters ({len(text)} given).",
            details={"field": field},
        )
    return text
