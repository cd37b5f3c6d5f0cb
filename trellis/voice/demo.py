"""Demo data for the voice app (idempotent)."""

from __future__ import annotations

from typing import Any


def seed_voice(district: Any) -> None:
    """Filled in as the app lands."""
