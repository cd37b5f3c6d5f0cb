"""The caller's credit: renewal progress, transcript and salary-lane standing. Mounted at "/" with
full paths (/me/renewal, /me/transcript, /me/salary-lane).

Amounts are exact decimals written as strings without trailing zeros ("7.5", "150"), so no
client ever sees binary floating point; dates are ISO 8601. See docs/credit.md.
"""

import datetime as dt
import uuid
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from trellis.api.v1.common import ErrorOut, require
from trellis.credit import queries
from trellis.credit.queries.renewal import Renewal
from trellis.credit.queries.rows import category_label, unit_label
from trellis.credit.rules.wording import number
from trellis.districts.permissions import Perm

router = Router(tags=["credit"])

ERRORS = {400: ErrorOut, 403: ErrorOut}


def amount(value: Decimal | None) -> str | None:
    return None if value is None else number(value)


# ---------------------------------------------------------------------------------------------
# schemas
# ---------------------------------------------------------------------------------------------


class RuleSetOut(Schema):
    key: str
    jurisdiction: str
    jurisdiction_name: str
    role: str
    role_label: str
    unit: str
    unit_label: str
    required: str
    cycle_years: int | None
    notes: list[str]
    sources: list[str]


class LicenceOut(Schema):
    rule_set_key: str
    number: str
    cycle_start: dt.date
    cycle_end: dt.date


class CycleOut(Schema):
    start: dt.date
    end: dt.date
    source: str  # licence, district or school_year
    explanation: str


class CategoryAmount(Schema):
    category: str
    label: str
    amount: str


class TopicAmount(Schema):
    topic: str
    amount: str


class CapOut(Schema):
    key: str
    label: str
    limit: str
    claimed: str
    counted: str
    excluded: str
    trimmed_record_ids: list[str]
    explanation: str


class QuotaOut(Schema):
    key: str
    label: str
    topic: str
    needed: str
    counted: str
    met: bool
    short_by: str


class RecordOut(Schema):
    id: str  # the award's id
    title: str
    completed_on: dt.date
    category: str
    amount: str
    unit: str
    value: str | None  # in the rule set's unit; null when no conversion exists
    counted: str
    status: str  # counted, partly_counted, not_counted
    reason_code: str | None
    reason: str


class RenewalOut(Schema):
    rule_set: RuleSetOut | None
    rule_set_source: str  # licence, position, or "" when no rule set applies
    explanation: str
    licence: LicenceOut | None
    cycle: CycleOut | None
    status: str  # no_rule_set, complete, past_deadline, behind_pace, on_track
    status_label: str
    days_left: int | None
    unit: str | None
    required: str | None
    total: str | None
    remaining: str | None
    percent: str | None
    complete: bool | None
    by_category: list[CategoryAmount]
    by_topic: list[TopicAmount]
    caps: list[CapOut]
    quotas: list[QuotaOut]
    records: list[RecordOut]
    missing: list[str]
    hours_total: str


class AwardOut(Schema):
    id: uuid.UUID
    source: str
    title: str
    provider: str
    provider_approved: bool | None
    completed_on: dt.date
    amount: str
    unit: str
    category: str
    topics: list[str]
    related_to_certificate: bool
    hours: str
    counted: str | None  # toward renewal, in the rule set's unit; null without a rule set
    counted_status: str  # counted, partly_counted, not_counted or ""


class UnitTotal(Schema):
    unit: str
    label: str
    amount: str


class CategoryTotalOut(Schema):
    category: str
    label: str
    count: int
    hours: str


class TranscriptTotals(Schema):
    hours: str
    micro_credentials: int
    by_unit: list[UnitTotal]
    by_category: list[CategoryTotalOut]


class RenewalSummary(Schema):
    rule_set_key: str | None
    unit: str | None
    required: str | None
    total: str | None
    percent: str | None
    complete: bool | None
    missing: list[str]


class TranscriptOut(Schema):
    educator_name: str
    educator_email: str
    district: str
    generated_on: dt.date
    licence: LicenceOut | None
    awards: list[AwardOut]  # newest first
    totals: TranscriptTotals
    renewal: RenewalSummary


class LaneOut(Schema):
    id: uuid.UUID
    name: str
    position: int
    credits_required: str | None
    micro_credentials_required: int | None
    description: str
    reached: bool
    current: bool


class SalaryLaneOut(Schema):
    hours: str
    hours_per_credit: str
    direct_credits: str
    credits: str
    micro_credentials: int
    current: str | None  # lane name
    next: str | None
    missing: str
    lanes: list[LaneOut]


# ---------------------------------------------------------------------------------------------
# conversions
# ---------------------------------------------------------------------------------------------


def _licence(renewal: Renewal) -> LicenceOut | None:
    found = renewal.license
    if found is None:
        return None
    return LicenceOut(
        rule_set_key=found.rule_set_key,
        number=found.number,
        cycle_start=found.cycle_start,
        cycle_end=found.cycle_end,
    )


def _renewal_out(renewal: Renewal) -> RenewalOut:
    rule_set, progress, cycle = renewal.rule_set, renewal.progress, renewal.cycle
    return RenewalOut(
        rule_set=RuleSetOut(
            key=rule_set.key,
            jurisdiction=rule_set.jurisdiction,
            jurisdiction_name=rule_set.jurisdiction_name,
            role=rule_set.role,
            role_label=rule_set.role_label,
            unit=rule_set.unit.value,
            unit_label=unit_label(rule_set.unit),
            required=number(rule_set.required),
            cycle_years=rule_set.cycle_years,
            notes=list(rule_set.notes),
            sources=list(rule_set.sources),
        )
        if rule_set
        else None,
        rule_set_source=renewal.choice.source,
        explanation=renewal.choice.explanation,
        licence=_licence(renewal),
        cycle=CycleOut(
            start=cycle.cycle.start,
            end=cycle.cycle.end,
            source=cycle.source,
            explanation=cycle.explanation,
        )
        if cycle
        else None,
        status=renewal.status,
        status_label=renewal.status_label,
        days_left=renewal.days_left,
        unit=progress.unit.value if progress else None,
        required=amount(progress.required) if progress else None,
        total=amount(progress.total) if progress else None,
        remaining=amount(progress.remaining) if progress else None,
        percent=amount(progress.percent) if progress else None,
        complete=progress.complete if progress else None,
        by_category=[
            CategoryAmount(category=c.value, label=category_label(c), amount=number(v))
            for c, v in (progress.by_category if progress else ())
        ],
        by_topic=[
            TopicAmount(topic=t, amount=number(v))
            for t, v in (progress.by_topic if progress else ())
        ],
        caps=[
            CapOut(
                key=cap.key,
                label=cap.label,
                limit=number(cap.limit),
                claimed=number(cap.claimed),
                counted=number(cap.counted),
                excluded=number(cap.excluded),
                trimmed_record_ids=list(cap.trimmed_record_ids),
                explanation=cap.explanation,
            )
            for cap in (progress.caps if progress else ())
        ],
        quotas=[
            QuotaOut(
                key=q.key,
                label=q.label,
                topic=q.topic,
                needed=number(q.needed),
                counted=number(q.counted),
                met=q.met,
                short_by=number(q.short_by),
            )
            for q in (progress.quotas if progress else ())
        ],
        records=[
            RecordOut(
                id=line.record_id,
                title=line.title,
                completed_on=line.completed_on,
                category=line.category.value,
                amount=number(line.amount),
                unit=line.unit.value,
                value=amount(line.value),
                counted=number(line.counted),
                status=line.status.value,
                reason_code=line.reason_code.value if line.reason_code else None,
                reason=line.reason,
            )
            for line in (progress.records if progress else ())
        ],
        missing=list(progress.missing) if progress else [],
        hours_total=number(renewal.hours_total),
    )


# ---------------------------------------------------------------------------------------------
# routes
# ---------------------------------------------------------------------------------------------


@router.get("/me/renewal", response={200: RenewalOut, **ERRORS})
def get_renewal(request: HttpRequest) -> RenewalOut:
    """Progress toward renewal: the rule set and cycle that apply, what counts, caps, quotas,
    every record with its status and reason, and what is missing. Without a rule set the
    requirement fields are null and `explanation` says why."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    return _renewal_out(queries.renewal_progress_for(access, request.user))


@router.get("/me/transcript", response={200: TranscriptOut, **ERRORS})
def get_transcript(request: HttpRequest) -> TranscriptOut:
    """Every credited activity (revoked credit left out), newest first, with totals and a
    renewal summary. The whole transcript in one response: it is one educator's record."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    transcript = queries.transcript_for(access, request.user)
    renewal, progress = transcript.renewal, transcript.renewal.progress
    lines = {line.record_id: line for line in progress.records} if progress else {}
    awards = []
    for row in transcript.rows:
        award, line = row.award, lines.get(row.award.record_id)
        awards.append(
            AwardOut(
                id=award.public_id,
                source=award.source,
                title=award.title,
                provider=award.provider,
                provider_approved=award.provider_approved,
                completed_on=award.completed_on,
                amount=number(award.amount),
                unit=award.unit,
                category=award.category,
                topics=list(award.topics),
                related_to_certificate=award.related_to_certificate,
                hours=number(award.hours),
                counted=amount(line.counted) if line else None,
                counted_status=line.status.value if line else "",
            )
        )
    return TranscriptOut(
        educator_name=request.user.full_name,
        educator_email=request.user.email,
        district=access.district.name,
        generated_on=renewal.today,
        licence=_licence(renewal),
        awards=awards,
        totals=TranscriptTotals(
            hours=number(transcript.hours),
            micro_credentials=transcript.micro_credentials,
            by_unit=[
                UnitTotal(unit=unit, label=unit_label(unit), amount=number(total))
                for unit, total, _text in transcript.by_unit
            ],
            by_category=[
                CategoryTotalOut(
                    category=t.category, label=t.label, count=t.count, hours=number(t.hours)
                )
                for t in transcript.by_category
            ],
        ),
        renewal=RenewalSummary(
            rule_set_key=progress.rule_set_key if progress else None,
            unit=progress.unit.value if progress else None,
            required=amount(progress.required) if progress else None,
            total=amount(progress.total) if progress else None,
            percent=amount(progress.percent) if progress else None,
            complete=progress.complete if progress else None,
            missing=list(progress.missing) if progress else [],
        ),
    )


@router.get("/me/salary-lane", response={200: SalaryLaneOut, **ERRORS})
def get_salary_lane(request: HttpRequest) -> SalaryLaneOut:
    """Where the caller stands on the district's salary lanes and what the next lane needs."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    standing = queries.lane_standing(access, request.user)
    return SalaryLaneOut(
        hours=number(standing.hours),
        hours_per_credit=number(standing.hours_per_credit),
        direct_credits=number(standing.direct_credits),
        credits=number(standing.credits),
        micro_credentials=standing.micro_credentials,
        current=standing.current.name if standing.current else None,
        next=standing.next.name if standing.next else None,
        missing=standing.missing,
        lanes=[
            LaneOut(
                id=row.lane.public_id,
                name=row.lane.name,
                position=row.lane.position,
                credits_required=amount(row.lane.credits_required),
                micro_credentials_required=row.lane.micro_credentials_required,
                description=row.lane.description,
                reached=row.reached,
                current=row.current,
            )
            for row in standing.lanes
        ],
    )
