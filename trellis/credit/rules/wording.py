"""Plain-language sentences for renewal progress (English; amounts exact, without trailing zeros)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

from trellis.credit.rules.model import UNIT_NAMES, Cap, Quota, RenewalCycle, RuleSet, Unit


def number(value: Decimal) -> str:
    """30 → "30", 7.50 → "7.5", 0.25 → "0.25" (never an exponent)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def amount(value: Decimal, unit: Unit) -> str:
    one, many = UNIT_NAMES[unit]
    return f"{number(value)} {one if value == 1 else many}"


MONTHS = (
    "", "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@lru_cache(maxsize=8192)
def day(value: dt.date) -> str:
    """ "31 May 2027" (English month names whatever the process locale)."""
    return f"{value.day} {MONTHS[value.month]} {value.year}"


def still_needed(rule_set: RuleSet, total: Decimal, remaining: Decimal, deadline: dt.date) -> str:
    return (
        f"{amount(remaining, rule_set.unit)} more needed by {day(deadline)}: "
        f"{number(total)} of {amount(rule_set.required, rule_set.unit)} count so far."
    )


def quota_short(rule_set: RuleSet, quota: Quota, counted: Decimal, short: Decimal) -> str:
    needed = amount(rule_set.quota_needed(quota), rule_set.unit)
    if quota.topic == "relevance":
        return (
            f"At least {needed} must relate to your certificate; {number(counted)} do so far, "
            f"so {amount(short, rule_set.unit)} more of related learning are needed."
        )
    return (
        f"At least {needed} must address {quota.label}; {number(counted)} do so far, "
        f"so {amount(short, rule_set.unit)} more on that topic are needed."
    )


def cap_explanation(rule_set: RuleSet, cap: Cap, excluded: Decimal) -> str:
    limit = amount(rule_set.cap_limit(cap), rule_set.unit)
    return (
        f"{cap.label[:1].upper()}{cap.label[1:]} counts for at most {limit} "
        f"({number(cap.share * 100)}% of the requirement); {amount(excluded, rule_set.unit)} "
        "above that limit do not count (earlier activities count first)."
    )


def outside_cycle(completed_on: dt.date, cycle: RenewalCycle) -> str:
    return (
        f"Completed on {day(completed_on)}, outside the renewal cycle "
        f"({day(cycle.start)} to {day(cycle.end)})."
    )


def unapproved(rule_set: RuleSet, provider_id: str, approved: bool | None) -> str:
    provider = f"provider {provider_id}" if provider_id else "the provider"
    state = "is not known to be" if approved is None else "is not"
    return (
        f"{provider[:1].upper()}{provider[1:]} {state} a {rule_set.provider_label}; "
        f"{rule_set.jurisdiction_name} counts only activities from one."
    )


@lru_cache(maxsize=1024)
def unknown_conversion(rule_set: RuleSet, unit: Unit) -> str:
    return (
        f"{rule_set.jurisdiction_name} rules have no conversion from {UNIT_NAMES[unit][1]} to "
        f"{UNIT_NAMES[rule_set.unit][1]}; record the activity in a unit they convert."
    )


def duplicate(first_id: str) -> str:
    return f"The same activity as record {first_id} (title, date, provider and amount); it counts once."


def over_cap(rule_set: RuleSet, cap: Cap, counted: Decimal, value: Decimal) -> str:
    limit = amount(rule_set.cap_limit(cap), rule_set.unit)
    if counted:
        return (
            f"Only {number(counted)} of {amount(value, rule_set.unit)} count: {cap.label} counts "
            f"for at most {limit} and earlier activities used the rest."
        )
    return f"{cap.label[:1].upper()}{cap.label[1:]} counts for at most {limit}, already reached by earlier activities."
