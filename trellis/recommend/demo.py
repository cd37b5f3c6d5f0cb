"""Demo data for the recommend app (idempotent)."""

from __future__ import annotations

from typing import Any


def seed_recommendations(district: Any) -> None:
    """Filled in as the app lands."""
