"""Checks shared by the informal-learning services."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from trellis.core.errors import DomainError
from trellis.credit.queries.renewal import district_today
from trellis.frameworks.models import FrameworkItem
from trellis.growth import queries as growth_queries

MAX_URL = 1000


def clean_url(value: Any, *, field: str = "url", required: bool = False) -> str:
    text = str(value or "").strip()
    if not text:
        if required:
            raise DomainError(f"{field}_required", "Enter the link.", details={"field": field})
        return ""
    if len(text) > MAX_URL:
        raise DomainError(
            f"{field}_too_long",
            f"The link is too long: at most {MAX_URL} characters ({len(text)} given).",
            details={"field": field},
        )
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in text:
        raise DomainError(
            "bad_url",
            "Enter a web link starting with http:// or https://.",
            details={"field": field},
        )
    return text


def clean_minutes(value: Any) -> int:
    try:
        minutes = int(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError(
            "bad_minutes", "Enter the time spent in whole minutes.", details={"field": "minutes"}
        ) from None
    if not 1 <= minutes <= 1440:
        raise DomainError(
            "minutes_out_of_range",
            f"The time spent must be between 1 and 1440 minutes (a day); {minutes} given.",
            details={"field": "minutes"},
        )
    return minutes


def clean_learned_on(value: Any, district: Any) -> dt.date:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise DomainError(
            "bad_date",
            "Enter the date you learned it as YYYY-MM-DD.",
            details={"field": "learned_on"},
        )
    today = district_today(district)
    if value > today:
        raise DomainError(
            "date_in_future",
            f"The date {value.isoformat()} is in the future; log learning once it is done.",
            details={"field": "learned_on"},
        )
    if value.year < today.year - 5:
        raise DomainError(
            "date_too_old",
            "Log learning from the last five years.",
            details={"field": "learned_on"},
        )
    return value


def clean_competency(value: Any, district: Any) -> FrameworkItem | None:
    if value in (None, ""):
        return None
    framework = growth_queries.adopted_framework(district)
    available = growth_queries.competency_map(framework).by_public_id() if framework else {}
    item = available.get(str(getattr(value, "public_id", value)).strip().lower())
    if item is None:
        raise DomainError(
            "unknown_competency",
            f"“{value}” is not a competency of your district's framework.",
            details={"field": "competency"},
        )
    return item
