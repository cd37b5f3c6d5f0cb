"""Tennessee: professional development points (PDPs).

SOURCES (research/existing-systems.md §4.1 Tennessee row and §4.2):
- tn.gov/education/educators/licensing/licensing-faq/pdp-faq-for-educators.html
- vlp.scsk12.org/pd-expectations/pd-credit
- mnea.com/mnea-blog/licensure-pdp

Rules: 60 PDPs renew a professional licence, 30 advance one. 1 clock hour = 1 PDP;
1 micro-credential = 6 PDPs (with the provider's digital certificate); 1 CEU = 5 PDPs (not the
usual 10 clock hours, so the generic CEU conversion is deliberately not included);
1 semester hour = 10 PDPs. An evaluation score of 5, 4 or 3 earns 20, 15 or 10 PDPs for the
year. The sources do not state a cycle length: the licence's own dates decide.
"""

from decimal import Decimal

from trellis.credit.rules.model import Conversion, RuleSet, Unit

SOURCES = (
    "tn.gov/education/educators/licensing/licensing-faq/pdp-faq-for-educators.html",
    "vlp.scsk12.org/pd-expectations/pd-credit",
    "mnea.com/mnea-blog/licensure-pdp",
)

CONVERSIONS = (
    Conversion(Unit.CLOCK_HOUR, Unit.PDP, Decimal(1), "1 clock hour = 1 PDP"),
    Conversion(Unit.MICRO_CREDENTIAL, Unit.PDP, Decimal(6), "1 micro-credential = 6 PDPs"),
    Conversion(Unit.CEU, Unit.PDP, Decimal(5), "1 CEU = 5 PDPs"),
    Conversion(Unit.SEMESTER_HOUR, Unit.PDP, Decimal(10), "1 semester hour = 10 PDPs"),
)

EVALUATION_PDPS = {5: Decimal(20), 4: Decimal(15), 3: Decimal(10)}

NOTES = (
    "An audited semester hour is worth 5 PDPs: record it in PDPs.",
    "National Board certification earns 30 PDPs (initial) or 15 (renewal): record it in PDPs.",
    "The district approves or denies PDPs in TNCompass; denial reasons: unrelated, outside the "
    "validity period, inadequate documentation, duplicate.",
)


def _rule_set(role: str, label: str, required: int) -> RuleSet:
    return RuleSet(
        key=f"TN/{role}",
        jurisdiction="TN",
        jurisdiction_name="Tennessee",
        role=role,
        role_label=label,
        unit=Unit.PDP,
        required=Decimal(required),
        cycle_years=None,
        conversions=CONVERSIONS,
        evaluation_credit=EVALUATION_PDPS,
        notes=NOTES,
        sources=SOURCES,
    )


RULE_SETS = (
    _rule_set("professional_renewal", "professional licence renewal", 60),
    _rule_set("professional_advancement", "licence advancement", 30),
)
