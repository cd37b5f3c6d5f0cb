"""Demo data for the informal app (idempotent)."""

from __future__ import annotations

from typing import Any


def seed_informal(district: Any) -> None:
    """Filled in as the app lands."""
