"""Texas: continuing professional education (CPE) for the standard certificate.

SOURCES (research/existing-systems.md §4.1, Texas row):
- cecreditsonline.org — Texas CPE requirements
- uhcl.edu/education/certification/certificate-renewal-cpe
- sites.google.com/nbisd.org/nbpdcorner/planning-documents
- chisd.net and bisd.us certificate renewal pages
- 19 TAC §232.11 (required topics for teachers; listed, not modelled as quotas)

Rules: 150 CPE clock hours every 5 years for classroom teachers; 200 for counselors, librarians,
reading specialists, educational diagnosticians, master teachers, principals and
superintendents. Independent study counts for at most 20% of the requirement (30 h / 40 h),
presenting at most 10% (15 h / 20 h), mentoring at most 30%. At least 80% must relate to the
certificate. One CPE hour is one clock hour; CEUs convert at the usual 1 CEU = 10 clock hours.
The sources give no rate for micro-credentials or semester hours, so those are not converted.
"""

from decimal import Decimal

from trellis.credit.rules.generic import GENERIC_CONVERSIONS
from trellis.credit.rules.model import (
    RELEVANCE,
    Cap,
    Category,
    Conversion,
    Quota,
    RuleSet,
    Unit,
)

SOURCES = (
    "cecreditsonline.org — Texas CPE requirements",
    "uhcl.edu/education/certification/certificate-renewal-cpe",
    "sites.google.com/nbisd.org/nbpdcorner/planning-documents",
    "chisd.net and bisd.us certificate renewal pages",
    "19 TAC §232.11",
)

CONVERSIONS = (
    Conversion(Unit.CLOCK_HOUR, Unit.CPE_HOUR, Decimal(1), "a CPE hour is a clock hour"),
    *GENERIC_CONVERSIONS,
)

CAPS = (
    Cap(
        "independent_study",
        "independent study",
        frozenset({Category.INDEPENDENT_STUDY, Category.INFORMAL}),
        Decimal("0.20"),
    ),
    Cap("presenting", "presenting", frozenset({Category.PRESENTING}), Decimal("0.10")),
    Cap("mentoring", "mentoring", frozenset({Category.MENTORING}), Decimal("0.30")),
)

QUOTAS = (Quota("relevance", "learning related to the certificate", RELEVANCE, Decimal("0.80")),)

NOTES = (
    "Renewal is every 5 years (birth month) by online affidavit; educators keep records for audit.",
    "Informal learning counts as independent study.",
    "Teachers must cover the topics of 19 TAC §232.11; Trellis lists them but does not count them.",
)

# role → (label, required CPE hours)
ROLES = {
    "classroom_teacher": ("classroom teacher", 150),
    "counselor": ("school counselor", 200),
    "librarian": ("school librarian", 200),
    "reading_specialist": ("reading specialist", 200),
    "educational_diagnostician": ("educational diagnostician", 200),
    "master_teacher": ("master teacher", 200),
    "principal": ("principal", 200),
    "superintendent": ("superintendent", 200),
}


def _rule_set(role: str, label: str, required: int) -> RuleSet:
    return RuleSet(
        key=f"TX/{role}",
        jurisdiction="TX",
        jurisdiction_name="Texas",
        role=role,
        role_label=label,
        unit=Unit.CPE_HOUR,
        required=Decimal(required),
        cycle_years=5,
        conversions=CONVERSIONS,
        caps=CAPS,
        quotas=QUOTAS,
        notes=NOTES,
        sources=SOURCES,
    )


RULE_SETS = tuple(_rule_set(role, label, required) for role, (label, required) in ROLES.items())
