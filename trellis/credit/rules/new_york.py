"""New York: Continuing Teacher and Leader Education (CTLE).

SOURCES (research/existing-systems.md §4.1, New York row):
- nysut.org — ongoing certification and CTLE requirements
- uft.org — obtaining required CTLE credits
- solvedconsulting.com — New York CTLE hours calculator
- asbonewyork.org — CTLE/CPE
- tstboces.org/Page/89

Rules: 100 CTLE clock hours per 5-year registration period for Professional certificate holders
and Level III teaching assistants. Only NYSED-approved sponsors count. At least 15% must address
the language-acquisition needs of English-language learners (50% for ESOL and bilingual
certificate holders). No carry-over into the next period. A CTLE hour is a clock hour; CEUs
convert at the usual 1 CEU = 10 clock hours.
"""

from decimal import Decimal

from trellis.credit.rules.generic import GENERIC_CONVERSIONS
from trellis.credit.rules.model import Conversion, Quota, RuleSet, Unit

SOURCES = (
    "nysut.org — ongoing certification and CTLE requirements",
    "uft.org — obtaining required CTLE credits",
    "solvedconsulting.com — New York CTLE hours calculator",
    "asbonewyork.org — CTLE/CPE",
    "tstboces.org/Page/89",
)

ELL_TOPIC = "ell"

CONVERSIONS = (
    Conversion(Unit.CLOCK_HOUR, Unit.CTLE_HOUR, Decimal(1), "a CTLE hour is a clock hour"),
    *GENERIC_CONVERSIONS,
)

NOTES = (
    "No carry-over: hours beyond 100 do not move to the next registration period.",
    "Conditional registration can give up to one extra year.",
    "National Board certification satisfies the period (not modelled: record it as such).",
    "Completion is attested in TEACH and audited; keep records (one source says 8 years).",
)


def _ell_quota(share: str) -> Quota:
    return Quota(
        "ell",
        "the language-acquisition needs of English-language learners",
        ELL_TOPIC,
        Decimal(share),
    )


def _rule_set(role: str, label: str, ell_share: str) -> RuleSet:
    return RuleSet(
        key=f"NY/{role}",
        jurisdiction="NY",
        jurisdiction_name="New York",
        role=role,
        role_label=label,
        unit=Unit.CTLE_HOUR,
        required=Decimal(100),
        cycle_years=5,
        conversions=CONVERSIONS,
        quotas=(_ell_quota(ell_share),),
        approved_providers_only=True,
        provider_label="NYSED-approved CTLE sponsor",
        notes=NOTES,
        sources=SOURCES,
    )


RULE_SETS = (
    _rule_set("professional", "Professional certificate holder", "0.15"),
    _rule_set("teaching_assistant_level_3", "Level III teaching assistant", "0.15"),
    _rule_set("esol_bilingual", "ESOL or bilingual education certificate holder", "0.50"),
)
