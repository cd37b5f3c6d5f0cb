"""The credit rules engine, plain Python (no Django, no other app; an import-linter contract).

Rule sets are data (`texas`, `new_york`, `tennessee`, `generic`); `renewal_progress` turns an
educator's completed learning records and cycle into a `RenewalProgress`. See
docs/credit-rules.md for the semantics and the sources.
"""

from trellis.credit.rules.engine import evaluation_records, renewal_progress
from trellis.credit.rules.model import (
    RELEVANCE,
    Cap,
    Category,
    Conversion,
    CreditError,
    Evaluation,
    LearningRecord,
    Quota,
    RenewalCycle,
    RuleSet,
    Unit,
    resolve_factors,
)
from trellis.credit.rules.registry import RULE_SETS, rule_set_for
from trellis.credit.rules.results import (
    CapResult,
    LineStatus,
    QuotaStatus,
    Reason,
    RecordLine,
    RenewalProgress,
)

__all__ = [
    "RELEVANCE",
    "RULE_SETS",
    "Cap",
    "CapResult",
    "Category",
    "Conversion",
    "CreditError",
    "Evaluation",
    "LearningRecord",
    "LineStatus",
    "Quota",
    "QuotaStatus",
    "Reason",
    "RecordLine",
    "RenewalCycle",
    "RenewalProgress",
    "RuleSet",
    "Unit",
    "evaluation_records",
    "renewal_progress",
    "resolve_factors",
    "rule_set_for",
]
