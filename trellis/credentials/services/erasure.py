"""Erasing the badges one educator imported into one district, on a privacy request (policy and
orchestration: trellis/privacy; the credit declines about them are the credit app's). Issued
credentials are kept: third parties may be verifying them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from trellis.core.erasure import delete_counted
from trellis.credentials.models import ImportedBadge


def erasable(district: Any, user: Any) -> dict[str, QuerySet]:
    return {
        "credentials.imported_badges": ImportedBadge.objects.filter(district=district, owner=user)
    }


def erase_personal_data(*, district: Any, user: Any) -> dict[str, int]:
    return delete_counted(erasable(district, user))
