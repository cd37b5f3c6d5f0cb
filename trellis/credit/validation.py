"""Input checks shared by the credit services: each bad value raises a DomainError naming the
field, with a message a person can act on. Nothing here touches the database."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from trellis.core.errors import DomainError
from trellis.credit.rules.wording import number

EARLIEST_DATE = dt.date(1950, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
TOPIC = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
MAX_TOPICS = 12
MAX_LANES = 50
MAX_LANE_POSITION = 1000
MAX_MICRO_CREDENTIALS = 1000


def bad(field: str, message: str, code: str = "") -> DomainError:
    return DomainError(code or f"invalid_{field}", message, details={"field": field})


def clean_text(
    value: Any, *, field: str, label: str, max_length: int, required: bool, multiline: bool = False
) -> str:
    """Trimmed text; one line (runs of spaces collapsed) unless `multiline`."""
    text = str(value or "").strip() if multiline else " ".join(str(value or "").split())
    if required and not text:
        raise bad(field, f"Enter the {label}.", f"{field}_required")
    if len(text) > max_length:
        raise bad(
            field,
            f"The {label} is too long: at most {max_length} characters ({len(text)} given).",
            f"{field}_too_long",
        )
    return text


def clean_decimal(
    value: Any,
    *,
    field: str,
    label: str,
    max_value: Decimal,
    allow_zero: bool = False,
    places: int = 2,
) -> Decimal:
    """A number above 0 (or 0 when allowed), at most `max_value`, with at most `places` decimals."""
    if isinstance(value, bool) or value is None or (isinstance(value, str) and not value.strip()):
        raise bad(field, f"Enter the {label} as a number.")
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise bad(field, f"The {label} must be a number, not “{value}”.") from None
    if not amount.is_finite():
        raise bad(field, f"The {label} must be a number, not “{value}”.")
    low_ok = amount >= 0 if allow_zero else amount > 0
    if not low_ok:
        floor = "0 or more" if allow_zero else "more than 0"
        raise bad(field, f"The {label} must be {floor}, not {number(amount)}.")
    if amount > max_value:
        raise bad(field, f"The {label} must be at most {number(max_value)}, not {number(amount)}.")
    if amount != amount.quantize(Decimal(1).scaleb(-places)):
        raise bad(field, f"The {label} can have at most {places} decimal places ({value} given).")
    return amount


def clean_whole(value: Any, *, field: str, label: str, low: int, high: int) -> int:
    message = f"The {label} must be a whole number from {low} to {high}."
    if isinstance(value, bool):
        raise bad(field, message)
    try:
        whole = value if isinstance(value, int) else int(str(value).strip())
    except (TypeError, ValueError):
        raise bad(field, message) from None
    if not low <= whole <= high:
        raise bad(field, message)
    return whole


def clean_date(value: Any, *, field: str, label: str) -> dt.date:
    if isinstance(value, dt.datetime) or value in (None, ""):
        raise bad(field, f"Enter the {label} as a date (YYYY-MM-DD).")
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise bad(field, f"The {label} must be a date (YYYY-MM-DD), not “{value}”.") from None
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise bad(
            field,
            f"The {label} {value.isoformat()} is not plausible: use a date from "
            f"{EARLIEST_DATE.year} to {LATEST_DATE.year}.",
        )
    return value


def clean_topics(value: Any) -> list[str]:
    """Topic tags from a list or a comma-separated text: lower case, letters, digits, - and _."""
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, Iterable):
        raise bad("topics", "Give the topics as a list of tags, e.g. “ell”.")
    topics = sorted({str(item).strip().lower() for item in items if str(item).strip()})
    wrong = [topic for topic in topics if not TOPIC.match(topic)]
    if wrong:
        raise bad(
            "topics",
            f"Topic tags use lower-case letters, digits, “-” and “_” (at most 40): "
            f"{', '.join(wrong)} cannot be used.",
        )
    if len(topics) > MAX_TOPICS:
        raise bad("topics", f"At most {MAX_TOPICS} topic tags ({len(topics)} given).")
    return topics


# ---------------------------------------------------------------------------------------------
# salary lanes
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LaneSpec:
    """A salary lane as the services write it; `public_id` names an existing lane to keep."""

    name: str
    position: int
    credits_required: Decimal | None = None
    micro_credentials_required: int | None = None
    description: str = ""
    public_id: Any = None


def clean_lane(spec: LaneSpec | dict[str, Any]) -> LaneSpec:
    data = spec if isinstance(spec, dict) else spec.__dict__
    name = clean_text(
        data.get("name"), field="name", label="lane name", max_length=120, required=True
    )
    position = clean_whole(
        data.get("position"), field="position", label="position", low=1, high=MAX_LANE_POSITION
    )
    credits = data.get("credits_required")
    credits = (
        None
        if credits in (None, "")
        else clean_decimal(
            credits,
            field="credits_required",
            label=f"salary-lane credits for “{name}”",
            max_value=Decimal("99999.99"),
        )
    )
    micro = data.get("micro_credentials_required")
    micro = (
        None
        if micro in (None, "")
        else clean_whole(
            micro,
            field="micro_credentials_required",
            label=f"micro-credentials for “{name}”",
            low=1,
            high=MAX_MICRO_CREDENTIALS,
        )
    )
    if credits is None and micro is None:
        raise bad(
            "credits_required",
            f"Give “{name}” a requirement: salary-lane credits, micro-credentials or both.",
            "lane_without_requirement",
        )
    description = clean_text(
        data.get("description"),
        field="description",
        label="description",
        max_length=2000,
        required=False,
        multiline=True,
    )
    return LaneSpec(name, position, credits, micro, description, data.get("public_id"))


def clean_lanes(specs: Sequence[LaneSpec | dict[str, Any]]) -> list[LaneSpec]:
    """Every lane valid, positions and names unique, and each requirement strictly larger than
    the same requirement of every lane below it. Returned lowest position first."""
    if len(specs) > MAX_LANES:
        raise bad("lanes", f"At most {MAX_LANES} salary lanes ({len(specs)} given).")
    lanes = sorted((clean_lane(spec) for spec in specs), key=lambda lane: lane.position)
    for lower, upper in pairwise(lanes):
        if lower.position == upper.position:
            raise bad(
                "position",
                f"“{lower.name}” and “{upper.name}” both have position {upper.position}; each "
                "lane needs its own place on the schedule.",
                "duplicate_lane_position",
            )
    names: dict[str, str] = {}
    for lane in lanes:
        if lane.name.casefold() in names:
            raise bad(
                "name",
                f"Two lanes are called “{lane.name}”; give each its own name.",
                "duplicate_lane_name",
            )
        names[lane.name.casefold()] = lane.name
    for attribute, what in (
        ("credits_required", "salary-lane credits"),
        ("micro_credentials_required", "micro-credentials"),
    ):
        below: LaneSpec | None = None
        for lane in lanes:
            needed = getattr(lane, attribute)
            if needed is None:
                continue
            if below is not None and needed <= getattr(below, attribute):
                raise bad(
                    attribute,
                    f"“{lane.name}” (position {lane.position}) asks for {number(Decimal(needed))} "
                    f"{what}, but “{below.name}” below it (position {below.position}) already asks "
                    f"for {number(Decimal(getattr(below, attribute)))}: requirements must increase "
                    "with position.",
                    "lane_requirements_not_increasing",
                )
            below = lane
    return lanes
