"""Reads about enrolments and approvals."""

from __future__ import annotations

from typing import Any


def enrolment_panel(*, access: Any, user: Any, offering: Any) -> dict[str, Any]:
    """Context for `catalog/_enrolment_panel.html` on the offering page."""
    return {}
