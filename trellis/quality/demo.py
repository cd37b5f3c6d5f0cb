"""Demo data for the quality app (idempotent)."""

from __future__ import annotations

from typing import Any


def seed_quality(district: Any) -> None:
    """Filled in as the app lands."""
