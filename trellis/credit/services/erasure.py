"""Erasing the credit declines about one educator's imported badges in one district, on a
privacy request (policy and orchestration: trellis/privacy). Credit awards and licences stay:
they are the licensure record the state requires."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from trellis.core.erasure import delete_counted
from trellis.credit.models import ImportedCreditDecline


def erasable(district: Any, user: Any) -> dict[str, QuerySet]:
    return {
        "credit.imported_credit_declines": ImportedCreditDecline.objects.filter(
            district=district, badge__owner=user
        )
    }


def erase_personal_data(*, district: Any, user: Any) -> dict[str, int]:
    return delete_counted(erasable(district, user))
