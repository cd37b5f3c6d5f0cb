"""The vocabulary of an offering's fields: allowed values with their labels, and how amounts,
costs and credit read in a sentence. Shared by the catalog pages, forms, CSV and API."""

from __future__ import annotations

from decimal import Decimal

from trellis.catalog.models import DesignFeature, EvidenceTier, OfferingKind, Registration
from trellis.credit.rules.model import CATEGORY_LABELS, UNIT_NAMES, Category, Unit
from trellis.growth.career import CareerStage
from trellis.growth.models import GradeBand, LearningFormat, Position, StudentGroup

Choices = list[tuple[str, str]]


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


KIND_CHOICES: Choices = list(OfferingKind.choices)
FORMAT_CHOICES: Choices = list(LearningFormat.choices)
GRADE_BAND_CHOICES: Choices = list(GradeBand.choices)
POSITION_CHOICES: Choices = list(Position.choices)
STUDENT_GROUP_CHOICES: Choices = list(StudentGroup.choices)
CAREER_STAGE_CHOICES: Choices = [(stage.value, stage.label) for stage in CareerStage]
EVIDENCE_CHOICES: Choices = list(EvidenceTier.choices)
DESIGN_FEATURE_CHOICES: Choices = list(DesignFeature.choices)
REGISTRATION_CHOICES: Choices = list(Registration.choices)
UNIT_CHOICES: Choices = [(unit.value, _capitalised(UNIT_NAMES[unit][1])) for unit in Unit]
CATEGORY_CHOICES: Choices = [
    (category.value, _capitalised(CATEGORY_LABELS[category])) for category in Category
]

# Kinds that need no scheduled session to be published: the learner goes at their own pace.
UNSCHEDULED_KINDS = frozenset(
    {
        OfferingKind.SELF_PACED,
        OfferingKind.ONLINE_COURSE,
        OfferingKind.EXTERNAL,
        OfferingKind.MICRO_CREDENTIAL,
    }
)


def label_of(choices: Choices, value: str) -> str:
    """The label of `value`, or the value itself when it is not (or no longer) a choice."""
    return dict(choices).get(value, value)


def labels_of(choices: Choices, values: list[str]) -> list[str]:
    known = dict(choices)
    return [known.get(value, value) for value in values]


def short_decimal(value: Decimal | int | None) -> str:
    """6.00 → "6", 7.50 → "7.5", 100 → "100"."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text


def hours_text(hours: Decimal | None) -> str:
    if hours is None:
        return ""
    return f"{short_decimal(hours)} hour{'' if hours == 1 else 's'}"


def money_text(amount: Decimal | None) -> str:
    """$125, $99.50; "Free" for zero."""
    if amount is None:
        return ""
    if amount == 0:
        return "Free"
    whole = amount == amount.to_integral_value()
    return f"${amount:,.0f}" if whole else f"${amount:,.2f}"


def credit_text(amount: Decimal | None, unit: str) -> str:
    """ "6 clock hours", "1 CEU"; "No credit" when the amount is zero."""
    if not amount:
        return "No credit"
    try:
        one, many = UNIT_NAMES[Unit(unit)]
    except ValueError:
        one = many = unit
    return f"{short_decimal(amount)} {one if amount == 1 else many}"


def unit_label(unit: str) -> str:
    return label_of(UNIT_CHOICES, unit)


def seats_left(capacity: int | None, taken: int | None) -> int | None:
    """Free seats, never negative; None when there is no limit."""
    if capacity is None:
        return None
    return max(capacity - (taken or 0), 0)
