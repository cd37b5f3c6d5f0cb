"""The plain data of credit rules: units, categories, conversions, caps, quotas, rule sets, and
the completed learning records the engine reads. Frozen dataclasses; amounts are exact Decimals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum


class CreditError(ValueError):
    """Bad input or bad rule data; `code` is stable, the message says what to fix."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


class Unit(StrEnum):
    CLOCK_HOUR = "clock_hour"
    CEU = "ceu"  # continuing education unit
    PDP = "pdp"  # professional development point (Tennessee)
    CTLE_HOUR = "ctle_hour"  # Continuing Teacher and Leader Education clock hour (New York)
    CPE_HOUR = "cpe_hour"  # continuing professional education clock hour (Texas)
    SALARY_CREDIT = "salary_credit"  # a district's salary-lane credit
    SEMESTER_HOUR = "semester_hour"
    MICRO_CREDENTIAL = "micro_credential"  # one earned micro-credential


# (one, many) — how sentences name an amount of each unit.
UNIT_NAMES: Mapping[Unit, tuple[str, str]] = {
    Unit.CLOCK_HOUR: ("clock hour", "clock hours"),
    Unit.CEU: ("CEU", "CEUs"),
    Unit.PDP: ("PDP", "PDPs"),
    Unit.CTLE_HOUR: ("CTLE hour", "CTLE hours"),
    Unit.CPE_HOUR: ("CPE hour", "CPE hours"),
    Unit.SALARY_CREDIT: ("salary-lane credit", "salary-lane credits"),
    Unit.SEMESTER_HOUR: ("semester hour", "semester hours"),
    Unit.MICRO_CREDENTIAL: ("micro-credential", "micro-credentials"),
}


class Category(StrEnum):
    COURSE = "course"
    WORKSHOP = "workshop"
    CONFERENCE = "conference"
    PLC = "plc"  # professional learning community
    COACHING = "coaching"
    INDEPENDENT_STUDY = "independent_study"
    INFORMAL = "informal"  # self-logged informal learning (videos, reading, colleagues)
    PRESENTING = "presenting"
    MENTORING = "mentoring"
    MICRO_CREDENTIAL = "micro_credential"
    COLLEGE_COURSE = "college_course"
    NBPTS = "nbpts"  # National Board certification
    EVALUATION = "evaluation"  # credit earned by an evaluation score (Tennessee)
    OTHER = "other"


CATEGORY_LABELS: Mapping[Category, str] = {
    Category.COURSE: "courses",
    Category.WORKSHOP: "workshops",
    Category.CONFERENCE: "conferences",
    Category.PLC: "professional learning communities",
    Category.COACHING: "coaching",
    Category.INDEPENDENT_STUDY: "independent study",
    Category.INFORMAL: "informal learning",
    Category.PRESENTING: "presenting",
    Category.MENTORING: "mentoring",
    Category.MICRO_CREDENTIAL: "micro-credentials",
    Category.COLLEGE_COURSE: "college courses",
    Category.NBPTS: "National Board certification",
    Category.EVALUATION: "evaluation results",
    Category.OTHER: "other activities",
}


def decimal_amount(value: object, what: str = "amount") -> Decimal:
    """An exact Decimal from a Decimal, int or numeric string (floats go through their repr)."""
    if isinstance(value, bool):
        raise CreditError("bad_amount", f"The {what} must be a number, not {value!r}.")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | str):
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise CreditError("bad_amount", f"The {what} {value!r} is not a number.") from None
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        raise CreditError("bad_amount", f"The {what} must be a number, not {value!r}.")
    if not number.is_finite():
        raise CreditError("bad_amount", f"The {what} must be a finite number, not {value}.")
    return number


def _set(instance: object, name: str, value: object) -> None:
    object.__setattr__(instance, name, value)  # normalising fields of a frozen dataclass


def _unit(value: object, where: str) -> Unit:
    try:
        return Unit(value)
    except ValueError:
        known = ", ".join(Unit)
        raise CreditError(
            "unknown_unit", f"{where}: unknown unit {value!r} (known: {known})."
        ) from None


@dataclass(frozen=True)
class Conversion:
    """One unit of `source` is worth `factor` of `target` (directed: list the way you need)."""

    source: Unit
    target: Unit
    factor: Decimal
    note: str = ""

    def __post_init__(self) -> None:
        _set(self, "source", _unit(self.source, "Conversion"))
        _set(self, "target", _unit(self.target, "Conversion"))
        factor = decimal_amount(self.factor, "conversion factor")
        if factor <= 0 or self.source == self.target:
            raise CreditError(
                "bad_conversion", f"1 {self.source} = {factor} {self.target} is not a conversion."
            )
        _set(self, "factor", factor)


@dataclass(frozen=True)
class Cap:
    """Records of `categories` count together for at most `share` of the requirement."""

    key: str
    label: str  # "independent study", used in sentences
    categories: frozenset[Category]
    share: Decimal  # 0.20 = 20 % of the requirement

    def __post_init__(self) -> None:
        _set(self, "categories", frozenset(Category(c) for c in self.categories))
        _set(self, "share", _share(self.share, self.key))


RELEVANCE = "relevance"  # Quota.topic value: records marked related to the certificate


@dataclass(frozen=True)
class Quota:
    """At least `share` of the requirement must come from records tagged `topic` (or, for
    `topic=RELEVANCE`, records related to the educator's certificate)."""

    key: str
    label: str  # "English-language learners' needs"
    topic: str
    share: Decimal

    def __post_init__(self) -> None:
        _set(self, "share", _share(self.share, self.key))


def _share(value: object, key: str) -> Decimal:
    share = decimal_amount(value, f"share of {key}")
    if not 0 < share <= 1:
        raise CreditError("bad_share", f"The share of {key} must be above 0 and at most 1.")
    return share


@dataclass(frozen=True, eq=False)
class RuleSet:
    """One jurisdiction's renewal rule for one role or certificate."""

    key: str  # "TX/classroom_teacher"
    jurisdiction: str  # "TX"
    jurisdiction_name: str  # "Texas"
    role: str  # "classroom_teacher"
    role_label: str  # "classroom teacher"
    unit: Unit
    required: Decimal
    cycle_years: int | None  # None: the licence's own dates decide
    conversions: tuple[Conversion, ...] = ()
    caps: tuple[Cap, ...] = ()
    quotas: tuple[Quota, ...] = ()
    approved_providers_only: bool = False
    provider_label: str = "approved provider"  # "NYSED-approved CTLE sponsor"
    evaluation_credit: Mapping[int, Decimal] = field(default_factory=dict)  # score → amount
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    # Derived once: unit → factor into `unit`, category → indexes of its caps.
    factors: Mapping[Unit, Decimal] = field(init=False, repr=False, compare=False)
    caps_by_category: Mapping[Category, tuple[int, ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        _set(self, "unit", _unit(self.unit, self.key))
        required = decimal_amount(self.required, "requirement")
        if required <= 0:
            raise CreditError("bad_rule_set", f"{self.key}: the requirement must be above 0.")
        _set(self, "required", required)
        _set(self, "factors", resolve_factors(self.unit, self.conversions))
        by_category: dict[Category, tuple[int, ...]] = {}
        for index, cap in enumerate(self.caps):
            for category in cap.categories:
                by_category[category] = (*by_category.get(category, ()), index)
        _set(self, "caps_by_category", by_category)
        credit = {
            int(k): decimal_amount(v, "evaluation credit")
            for k, v in self.evaluation_credit.items()
        }
        _set(self, "evaluation_credit", credit)
        keys = [c.key for c in self.caps] + [q.key for q in self.quotas]
        if len(set(keys)) != len(keys):
            raise CreditError("bad_rule_set", f"{self.key}: cap and quota keys must be unique.")

    def cap_limit(self, cap: Cap) -> Decimal:
        return self.required * cap.share

    def quota_needed(self, quota: Quota) -> Decimal:
        return self.required * quota.share


def resolve_factors(target: Unit, conversions: Iterable[Conversion]) -> dict[Unit, Decimal]:
    """Factor from every reachable unit into `target`, following conversions in their direction.

    The shortest chain wins (a direct "1 CEU = 5 PDP" beats "1 CEU = 10 clock hours" then
    "1 clock hour = 1 PDP"); among chains of the same length, the conversion listed first wins.
    """
    conversions = tuple(conversions)
    factors: dict[Unit, Decimal] = {target: Decimal(1)}
    level = {target}
    while level:
        reached: dict[Unit, Decimal] = {}
        for conversion in conversions:
            if conversion.target in level and conversion.source not in factors:
                reached.setdefault(
                    conversion.source, conversion.factor * factors[conversion.target]
                )
        factors.update(reached)
        level = set(reached)
    return factors


@dataclass(frozen=True, slots=True)
class LearningRecord:
    """One completed learning activity as the engine sees it (built from enrolments, earned
    micro-credentials, informal logs or an educator's upload)."""

    id: str
    title: str
    completed_on: dt.date
    amount: Decimal
    unit: Unit
    category: Category = Category.COURSE
    topics: frozenset[str] = frozenset()
    provider_id: str = ""
    provider_approved: bool | None = None  # None: not known
    related_to_certificate: bool = True

    def __post_init__(self) -> None:
        if not self.id:
            raise CreditError("bad_record", f"The record {self.title!r} has no id.")
        if not isinstance(self.completed_on, dt.date) or isinstance(self.completed_on, dt.datetime):
            raise CreditError(
                "bad_record",
                f"Record {self.id}: completed_on must be a date, not a {type(self.completed_on).__name__}.",
            )
        amount = decimal_amount(self.amount, f"amount of record {self.id}")
        if amount <= 0:
            raise CreditError(
                "bad_amount",
                f"Record {self.id} ({self.title}): the amount must be more than 0, not {amount}.",
            )
        _set(self, "amount", amount)
        _set(self, "unit", _unit(self.unit, f"Record {self.id}"))
        try:
            _set(self, "category", Category(self.category))
        except ValueError:
            known = ", ".join(Category)
            raise CreditError(
                "bad_record",
                f"Record {self.id}: unknown category {self.category!r} (known: {known}).",
            ) from None
        if not isinstance(self.topics, frozenset):
            _set(self, "topics", frozenset(self.topics))


@dataclass(frozen=True)
class RenewalCycle:
    """The educator's current cycle: both dates count (a record on `end` is inside)."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise CreditError(
                "bad_cycle", f"The cycle ends ({self.end}) before it starts ({self.start})."
            )

    @classmethod
    def of_years(cls, start: dt.date, years: int) -> RenewalCycle:
        """A cycle of whole years from `start` (29 February starts end on 28 February)."""
        try:
            after = start.replace(year=start.year + years)
        except ValueError:  # 29 February into a non-leap year
            after = start.replace(year=start.year + years, day=28) + dt.timedelta(days=1)
        return cls(start, after - dt.timedelta(days=1))

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Evaluation:
    """An annual evaluation result, for rule sets that turn scores into credit (Tennessee)."""

    school_year_ending: dt.date
    score: int
