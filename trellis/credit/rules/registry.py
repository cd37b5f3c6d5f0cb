"""Every rule set Trellis ships, by key ("TX/classroom_teacher") and by jurisdiction and role."""

from __future__ import annotations

from collections.abc import Mapping

from trellis.credit.rules import new_york, tennessee, texas
from trellis.credit.rules.model import CreditError, RuleSet

RULE_SETS: Mapping[str, RuleSet] = {
    rule_set.key: rule_set
    for module in (texas, new_york, tennessee)
    for rule_set in module.RULE_SETS
}


def rule_set_for(jurisdiction: str, role: str) -> RuleSet:
    key = f"{jurisdiction.upper()}/{role}"
    try:
        return RULE_SETS[key]
    except KeyError:
        known = ", ".join(sorted(RULE_SETS))
        raise CreditError("unknown_rule_set", f"No rule set {key}; known: {known}.") from None
