"""The credit rules engine: completed learning records + a rule set + a cycle → RenewalProgress.

Semantics (docs/credit-rules.md says the same for people):

1. Records are taken oldest first, ties by id; that order decides which record a cap trims.
2. A record counts nothing, with a reason, when it was completed outside the cycle (both ends
   inside), when the rule set counts only approved providers and the record's provider is not
   approved (or not known to be), when no conversion leads from its unit to the rule set's unit,
   or when it repeats an earlier record (same title, date, provider, amount and unit).
3. Its value is amount × the conversion factor: exact Decimal arithmetic, no rounding.
4. Caps: each cap allows share × requirement for its categories together. A record counts
   min(value, room left in every cap of its category); what does not fit is excluded and
   attributed to the cap with the least room.
5. Quotas: at least share × requirement of the counted amount must carry the topic tag (or be
   related to the certificate, for the relevance check). A record counts toward every quota and
   topic it carries.
6. Complete = total ≥ requirement and every quota met. Nothing is capped at the requirement:
   the total may exceed it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_DOWN, Decimal
from operator import attrgetter

from trellis.credit.rules import wording
from trellis.credit.rules.model import (
    RELEVANCE,
    Category,
    CreditError,
    Evaluation,
    LearningRecord,
    RenewalCycle,
    RuleSet,
)
from trellis.credit.rules.results import (
    CapResult,
    LineStatus,
    QuotaStatus,
    Reason,
    RecordLine,
    RenewalProgress,
)

ZERO = Decimal(0)
HUNDRED = Decimal(100)
TENTH = Decimal("0.1")
# Enum members bound once: the loop below runs for every record of every educator.
COUNTED, PARTLY, NOT_COUNTED = LineStatus.COUNTED, LineStatus.PARTLY_COUNTED, LineStatus.NOT_COUNTED
OUTSIDE, UNAPPROVED = Reason.OUTSIDE_CYCLE, Reason.UNAPPROVED_PROVIDER
UNKNOWN, DUPLICATE, OVER_CAP = Reason.UNKNOWN_CONVERSION, Reason.DUPLICATE, Reason.OVER_CAP
CATEGORY_ORDER = {category: index for index, category in enumerate(Category)}


_order = attrgetter("completed_on", "id")  # oldest first, ties by id


def evaluation_records(
    rule_set: RuleSet, evaluations: Iterable[Evaluation]
) -> list[LearningRecord]:
    """Records for the credit that evaluation scores earn under `rule_set` (none if it gives
    none); a score the table does not list earns nothing."""
    records = []
    for evaluation in evaluations:
        credit = rule_set.evaluation_credit.get(evaluation.score)
        if credit:
            ending = evaluation.school_year_ending
            records.append(
                LearningRecord(
                    id=f"evaluation-{ending.isoformat()}",
                    title=f"Evaluation score {evaluation.score}, school year ending {ending.year}",
                    completed_on=ending,
                    amount=credit,
                    unit=rule_set.unit,
                    category=Category.EVALUATION,
                    provider_approved=True,
                )
            )
    return records


def renewal_progress(
    rule_set: RuleSet,
    cycle: RenewalCycle,
    records: Sequence[LearningRecord],
    *,
    evaluations: Iterable[Evaluation] = (),
) -> RenewalProgress:
    """The educator's progress toward renewal under `rule_set` in `cycle`.

    Raises CreditError("duplicate_id") when two records share an id; everything else about a
    record that keeps it from counting is reported on its line, not raised.
    """
    extra = evaluation_records(rule_set, evaluations) if evaluations else ()
    ordered = sorted([*records, *extra], key=_order)
    _check_ids(ordered)

    caps, quotas, factors = rule_set.caps, rule_set.quotas, rule_set.factors
    caps_by_category = rule_set.caps_by_category
    cap_limit = [rule_set.cap_limit(cap) for cap in caps]
    cap_used = [ZERO] * len(caps)
    cap_claimed = [ZERO] * len(caps)
    cap_excluded = [ZERO] * len(caps)
    cap_trimmed: list[list[str]] = [[] for _ in caps]
    quota_counted = [ZERO] * len(quotas)
    # (index, topic tag), None standing for the relevance check
    quota_topics = [(i, None if q.topic == RELEVANCE else q.topic) for i, q in enumerate(quotas)]
    by_category: dict[Category, Decimal] = {}
    by_topic: dict[str, Decimal] = {}
    seen: dict[tuple[object, ...], str] = {}
    lines: list[RecordLine] = []
    total = ZERO
    approved_only = rule_set.approved_providers_only
    start, end = cycle.start, cycle.end

    for record in ordered:
        factor = factors.get(record.unit)
        refusal = None
        if not start <= record.completed_on <= end:
            refusal = OUTSIDE, wording.outside_cycle(record.completed_on, cycle)
        elif approved_only and record.provider_approved is not True:
            refusal = (
                UNAPPROVED,
                wording.unapproved(rule_set, record.provider_id, record.provider_approved),
            )
        elif factor is None:
            refusal = UNKNOWN, wording.unknown_conversion(rule_set, record.unit)
        else:
            # The same activity twice (Tennessee denies duplicates; audits would too).
            same = (
                record.title.strip().casefold(),
                record.completed_on,
                record.provider_id,
                record.amount,
                record.unit,
            )
            first = seen.setdefault(same, record.id)
            if first != record.id:
                refusal = DUPLICATE, wording.duplicate(first)
        if refusal is not None:
            lines.append(
                RecordLine(
                    record.id, record.title, record.completed_on, record.category, record.amount,
                    record.unit, None, ZERO, NOT_COUNTED, *refusal,
                )
            )  # fmt: skip
            continue

        value = record.amount * factor
        counted = value
        reason_code: Reason | None = None
        reason = ""
        status = COUNTED
        record_caps = caps_by_category.get(record.category, ())
        if record_caps:
            binding = -1
            for index in record_caps:
                cap_claimed[index] += value
                room = cap_limit[index] - cap_used[index]
                if room < counted:
                    counted, binding = room, index
            for index in record_caps:
                cap_used[index] += counted
            if binding >= 0:
                cap_excluded[binding] += value - counted
                cap_trimmed[binding].append(record.id)
                reason_code = OVER_CAP
                reason = wording.over_cap(rule_set, caps[binding], counted, value)
                status = PARTLY if counted else NOT_COUNTED
        lines.append(
            RecordLine(
                record.id, record.title, record.completed_on, record.category, record.amount,
                record.unit, value, counted, status, reason_code, reason,
            )
        )  # fmt: skip
        if not counted:
            continue
        total += counted
        by_category[record.category] = by_category.get(record.category, ZERO) + counted
        for topic in record.topics:
            by_topic[topic] = by_topic.get(topic, ZERO) + counted
        for index, topic in quota_topics:
            if record.related_to_certificate if topic is None else topic in record.topics:
                quota_counted[index] += counted

    return _progress(
        rule_set, cycle, total, lines, by_category, by_topic,
        [(cap_limit[i], cap_claimed[i], cap_used[i], cap_excluded[i], cap_trimmed[i]) for i in range(len(caps))],
        quota_counted,
    )  # fmt: skip


def _check_ids(records: Sequence[LearningRecord]) -> None:
    ids = {record.id for record in records}
    if len(ids) != len(records):
        seen: set[str] = set()
        for record in records:
            if record.id in seen:
                raise CreditError(
                    "duplicate_id", f"Two records have the id {record.id!r}; ids must be unique."
                )
            seen.add(record.id)


def _progress(
    rule_set: RuleSet,
    cycle: RenewalCycle,
    total: Decimal,
    lines: list[RecordLine],
    by_category: dict[Category, Decimal],
    by_topic: dict[str, Decimal],
    cap_figures: list[tuple[Decimal, Decimal, Decimal, Decimal, list[str]]],
    quota_counted: list[Decimal],
) -> RenewalProgress:
    required = rule_set.required
    remaining = required - total if total < required else ZERO
    ratio = total / required if total < required else Decimal(1)
    percent = (ratio * HUNDRED).quantize(TENTH, rounding=ROUND_DOWN)

    cap_results = []
    for cap, (limit, claimed, used, excluded, trimmed) in zip(
        rule_set.caps, cap_figures, strict=True
    ):
        explanation = wording.cap_explanation(rule_set, cap, excluded) if excluded else ""
        cap_results.append(
            CapResult(
                cap.key, cap.label, limit, claimed, used, excluded, tuple(trimmed), explanation
            )
        )

    missing = []
    if remaining:
        missing.append(wording.still_needed(rule_set, total, remaining, cycle.end))
    quota_results = []
    for quota, counted in zip(rule_set.quotas, quota_counted, strict=True):
        needed = rule_set.quota_needed(quota)
        short = needed - counted if counted < needed else ZERO
        quota_results.append(
            QuotaStatus(quota.key, quota.label, quota.topic, needed, counted, not short, short)
        )
        if short:
            missing.append(wording.quota_short(rule_set, quota, counted, short))

    return RenewalProgress(
        rule_set_key=rule_set.key,
        unit=rule_set.unit,
        cycle_start=cycle.start,
        deadline=cycle.end,
        required=required,
        total=total,
        remaining=remaining,
        percent=percent,
        complete=not missing,
        by_category=tuple(sorted(by_category.items(), key=lambda item: CATEGORY_ORDER[item[0]])),
        by_topic=tuple(sorted(by_topic.items())),
        caps=tuple(cap_results),
        quotas=tuple(quota_results),
        records=tuple(lines),
        missing=tuple(missing),
    )
