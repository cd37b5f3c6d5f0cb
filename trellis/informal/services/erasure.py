"""Erasing one educator's informal learning in one district, on a privacy request (policy and
orchestration: trellis/privacy). `erasable` is shared with the preview."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from trellis.core.erasure import delete_counted
from trellis.informal.models import InformalEntry, XapiStatement


def erasable(district: Any, user: Any) -> dict[str, QuerySet]:
    """Kind → rows to delete, in deletion order (entries point at statements)."""
    return {
        "informal.entries": InformalEntry.objects.filter(district=district, educator=user),
        "informal.xapi_statements": XapiStatement.objects.filter(district=district, educator=user),
    }


def erase_personal_data(*, district: Any, user: Any) -> dict[str, int]:
    return delete_counted(erasable(district, user))
