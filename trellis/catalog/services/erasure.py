"""Erasing one educator's survey responses in one district, on a privacy request (policy and
orchestration: trellis/privacy). Enrolments and attendance stay: licensure records."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from trellis.catalog.models import SurveyResponse
from trellis.core.erasure import delete_counted


def erasable(district: Any, user: Any) -> dict[str, QuerySet]:
    return {
        "catalog.survey_responses": SurveyResponse.objects.filter(
            enrollment__district=district, enrollment__educator=user
        )
    }


def erase_personal_data(*, district: Any, user: Any) -> dict[str, int]:
    return delete_counted(erasable(district, user))
