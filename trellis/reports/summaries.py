"""Rebuilding one district's summary tables from the source apps' tables.

`refresh_district` is idempotent: inside one transaction it deletes the district's summary rows
and bulk-inserts fresh ones computed from grouped queries (one pass per source table, binned by
educator dimensions in memory). Only the district's educators (people with an active educator
role) are counted; their school is the school of that role.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, DateField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from trellis.catalog.models import Enrollment, EnrollmentStatus, Offering
from trellis.credit.models import CreditAward
from trellis.credit.queries import renewal_progress_bulk
from trellis.districts.models import District, Membership, Role
from trellis.frameworks.models import FrameworkItem, ProficiencyLevel
from trellis.growth import queries as growth_queries
from trellis.growth.career import career_stage
from trellis.growth.models import EducatorProfile, SelfAssessment, SelfRating
from trellis.microcredentials.models import Submission
from trellis.quality.queries import offering_signals
from trellis.reports.drill import ASSESSMENT_DAYS_TARGET, OPEN_NOW, PAID
from trellis.reports.models import (
    ReportEducator,
    ReportFunnel,
    ReportMonthRollup,
    ReportNeed,
    ReportOffering,
    ReportOfferingCompetency,
    ReportParticipation,
    ReportPeopleRollup,
    ReportSpending,
    SummaryRefresh,
)
from trellis.reports.rollups import month_rollup, people_rollup

BATCH = 2000
NOTHING = (0, Decimal(0), 0)
SUMMARY_MODELS = (
    ReportEducator,
    ReportParticipation,
    ReportPeopleRollup,
    ReportMonthRollup,
    ReportFunnel,
    ReportSpending,
    ReportNeed,
    ReportOffering,
    ReportOfferingCompetency,
)


@dataclass(frozen=True)
class Dims:
    school_id: int | None
    role: str
    career_stage: str


# ---------------------------------------------------------------------------------------------
# shared definitions (also used by the drill-down lists)
# ---------------------------------------------------------------------------------------------


def target_level(district: Any) -> tuple[Any, int]:
    """(adopted framework or None, the level counted as "no gap"): the framework's target level,
    else one below its top (the same rule the recommender uses)."""
    framework = growth_queries.adopted_framework(district)
    if framework is None:
        return None, 3
    levels = list(
        ProficiencyLevel.objects.filter(framework=framework).values_list("value", "is_target")
    )
    target = next((value for value, is_target in levels if is_target), None)
    top = max((value for value, _ in levels), default=4)
    return framework, target or max(top - 1, 1)


def latest_ratings(district: Any) -> QuerySet[SelfRating]:
    """Ratings of each educator's latest submitted self-assessment, competencies of the adopted
    framework only."""
    framework, _ = target_level(district)
    latest = (
        SelfAssessment.objects.filter(
            district=district,
            educator_id=OuterRef("assessment__educator_id"),
            status=SelfAssessment.Status.SUBMITTED,
        )
        .order_by("-submitted_at", "-id")
        .values("pk")[:1]
    )
    return SelfRating.objects.filter(
        assessment__district=district,
        assessment__status=SelfAssessment.Status.SUBMITTED,
        assessment_id=Subquery(latest),
        value__isnull=False,
        item__framework=framework,
        item__kind=FrameworkItem.Kind.COMPETENCY,
    )


def gap_ratings(district: Any) -> QuerySet[SelfRating]:
    """Latest ratings below the target level: one row per educator with a gap per competency."""
    _, target = target_level(district)
    return latest_ratings(district).filter(value__lt=target)


def month_of(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


# ---------------------------------------------------------------------------------------------
# the refresh
# ---------------------------------------------------------------------------------------------


def educator_dims(district: District) -> dict[int, Dims]:
    """educator pk → (school, position, career stage) for every active educator role."""
    thresholds = growth_queries.stage_thresholds(district)
    profiles = {
        user_id: (position, years)
        for user_id, position, years in EducatorProfile.objects.filter(district=district)
        .order_by()
        .values_list("user_id", "position", "years_experience")
    }
    dims = {}
    for user_id, school_id in (
        Membership.objects.filter(district=district, role=Role.EDUCATOR, is_active=True)
        .order_by()
        .values_list("user_id", "school_id")
    ):
        position, years = profiles.get(user_id, ("", None))
        stage = career_stage(years, thresholds).value if years is not None else ""
        dims[user_id] = Dims(school_id, position, stage)
    return dims


def _needs(district: District, dims: dict[int, Dims]) -> tuple[list[ReportNeed], dict[int, int]]:
    _, target = target_level(district)
    cells: dict[tuple[int, Dims], list[int]] = defaultdict(lambda: [0, 0])
    gaps: dict[int, int] = defaultdict(int)
    for item_id, educator_id, value in (
        latest_ratings(district)
        .order_by()
        .values_list("item_id", "assessment__educator_id", "value")
    ):
        found = dims.get(educator_id)
        if found is None:
            continue
        cell = cells[(item_id, found)]
        cell[0] += 1
        if value < target:
            cell[1] += 1
            gaps[educator_id] += 1
    rows = [
        ReportNeed(
            district=district,
            competency_id=item_id,
            rated=rated,
            with_gap=with_gap,
            **vars(found),
        )
        for (item_id, found), (rated, with_gap) in cells.items()
    ]
    return rows, gaps


def _educators(
    district: District,
    dims: dict[int, Dims],
    gaps: dict[int, int],
    learning: list[ReportParticipation],
) -> list[ReportEducator]:
    totals: dict[int, list[Any]] = {}
    for row in learning:
        total = totals.setdefault(row.educator_id, [0, Decimal(0), 0])
        total[0] += 1
        total[1] += row.hours
        total[2] += row.completions
    standing = {
        renewal.educator_id: (
            renewal.status,
            renewal.progress.deadline if renewal.progress else None,
        )
        for renewal in renewal_progress_bulk(district, educator_ids=sorted(dims))
    }
    return [
        ReportEducator(
            district=district,
            educator_id=educator_id,
            renewal_status=standing.get(educator_id, ("", None))[0],
            renewal_deadline=standing.get(educator_id, ("", None))[1],
            gap_count=gaps.get(educator_id, 0),
            learning_months=totals.get(educator_id, NOTHING)[0],
            hours=totals.get(educator_id, NOTHING)[1],
            completions=totals.get(educator_id, NOTHING)[2],
            **vars(found),
        )
        for educator_id, found in dims.items()
    ]


def _participation(district: District, dims: dict[int, Dims]) -> list[ReportParticipation]:
    cells: dict[tuple[int, dt.date], list[Any]] = defaultdict(lambda: [Decimal(0), 0, 0])
    hours = (
        CreditAward.objects.filter(district=district, revoked_at__isnull=True)
        .annotate(month=TruncMonth("completed_on"))
        .values_list("educator_id", "month")
        .annotate(total=Coalesce(Sum("hours"), Decimal(0)))
        .order_by()
    )
    for educator_id, month, total in hours:
        if educator_id in dims:
            cells[(educator_id, month_of(month))][0] += total
    requested = (
        Enrollment.objects.filter(district=district)
        .annotate(month=TruncMonth("requested_at", output_field=DateField()))
        .values_list("educator_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    for educator_id, month, n in requested:
        if educator_id in dims:
            cells[(educator_id, month_of(month))][1] += n
    completed = (
        Enrollment.objects.filter(
            district=district, status=EnrollmentStatus.COMPLETED, completed_at__isnull=False
        )
        .annotate(month=TruncMonth("completed_at", output_field=DateField()))
        .values_list("educator_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    for educator_id, month, n in completed:
        if educator_id in dims:
            cells[(educator_id, month_of(month))][2] += n
    return [
        ReportParticipation(
            district=district,
            educator_id=educator_id,
            month=month,
            hours=total,
            enrolments=enrolments,
            completions=completions,
            **vars(dims[educator_id]),
        )
        for (educator_id, month), (total, enrolments, completions) in cells.items()
        if total or enrolments or completions
    ]


def _funnel(district: District, dims: dict[int, Dims]) -> list[ReportFunnel]:
    keys = (
        "started",
        "submitted",
        "earned",
        "assessed",
        "assessment_days",
        "assessed_within_target",
    )
    cells: dict[tuple[dt.date, Dims], dict[str, Any]] = defaultdict(lambda: dict.fromkeys(keys, 0))
    for educator_id, created, submitted, earned, decided in (
        Submission.objects.filter(district=district)
        .order_by()
        .values_list("educator_id", "created_at", "submitted_at", "earned_at", "decided_at")
        .iterator(chunk_size=BATCH)
    ):
        found = dims.get(educator_id)
        if found is None:
            continue
        cells[(month_of(created), found)]["started"] += 1
        if submitted is not None:
            cells[(month_of(submitted), found)]["submitted"] += 1
        if earned is not None:
            cells[(month_of(earned), found)]["earned"] += 1
        if decided is not None and submitted is not None:
            cell = cells[(month_of(decided), found)]
            days = Decimal(max((decided - submitted).total_seconds(), 0)) / 86400
            cell["assessed"] += 1
            cell["assessment_days"] += days
            cell["assessed_within_target"] += days <= ASSESSMENT_DAYS_TARGET
    return [
        ReportFunnel(
            district=district,
            month=month,
            **vars(found),
            **{
                **counts,
                "assessment_days": Decimal(counts["assessment_days"]).quantize(Decimal("0.01")),
            },
        )
        for (month, found), counts in cells.items()
    ]


def _spending(district: District, dims: dict[int, Dims]) -> list[ReportSpending]:
    prices = {
        pk: (cost, hours)
        for pk, cost, hours in Offering.objects.filter(district=district).values_list(
            "pk", "cost", "hours"
        )
    }
    cells: dict[tuple[int, dt.date, Dims], list[Any]] = defaultdict(lambda: [0, 0])
    rows = (
        Enrollment.objects.filter(district=district, status__in=PAID)
        .annotate(
            month=TruncMonth(Coalesce("decided_at", "requested_at"), output_field=DateField())
        )
        .values_list("offering_id", "educator_id", "month", "status")
        .order_by()
        .iterator(chunk_size=BATCH)
    )
    for offering_id, educator_id, month, status in rows:
        found = dims.get(educator_id)
        if found is None:
            continue
        cell = cells[(offering_id, month_of(month), found)]
        cell[0] += 1
        cell[1] += status == EnrollmentStatus.COMPLETED
    return [
        ReportSpending(
            district=district,
            offering_id=offering_id,
            month=month,
            seats=seats,
            completions=completions,
            cost=prices[offering_id][0] * seats,
            hours=prices[offering_id][1] * completions,
            **vars(found),
        )
        for (offering_id, month, found), (seats, completions) in cells.items()
    ]


def _offerings(district: District) -> tuple[list[ReportOffering], list[ReportOfferingCompetency]]:
    signals = offering_signals(district)
    usage = {
        row["offering_id"]: row
        for row in Enrollment.objects.filter(district=district)
        .values("offering_id")
        .annotate(
            active=Count("id", filter=Q(status__in=OPEN_NOW)),
            completed=Count("id", filter=Q(status=EnrollmentStatus.COMPLETED)),
        )
        .order_by()
    }
    links = defaultdict(list)
    for offering_id, item_id in Offering.competencies.through.objects.filter(
        offering__district=district
    ).values_list("offering_id", "frameworkitem_id"):
        links[offering_id].append(item_id)
    offerings = []
    for pk, title, status, cost, hours in Offering.objects.filter(district=district).values_list(
        "pk", "title", "status", "cost", "hours"
    ):
        signal = signals.get(pk)
        used = usage.get(pk, {})
        never_vetted = signal is None or signal.vetting_score is None
        offerings.append(
            ReportOffering(
                district=district,
                offering_id=pk,
                title=title,
                status=status,
                cost=cost,
                hours=hours,
                vetting_score=signal.vetting_score if signal else None,
                vetted=None if never_vetted else not signal.vetting_failed,
                rating_mean=signal.rating_sum / signal.rating_count
                if signal and signal.rating_count
                else None,
                rating_count=signal.rating_count if signal else 0,
                used_rate=signal.used_yes / signal.used_count
                if signal and signal.used_count
                else None,
                growth_effect=signal.growth_effect if signal else None,
                growth_n=signal.growth_n if signal else 0,
                active_enrolments=used.get("active", 0),
                completions=used.get("completed", 0),
                competency_ids=sorted(links.get(pk, [])),
            )
        )
    competencies = [
        ReportOfferingCompetency(district=district, offering_id=offering_id, competency_id=item_id)
        for offering_id, items in links.items()
        for item_id in items
    ]
    return offerings, competencies


def refresh_district(district: District) -> SummaryRefresh:
    """Recompute every summary table of the district; returns the refresh record."""
    record, _ = SummaryRefresh.objects.get_or_create(district=district)
    started = time.monotonic()
    record.status, record.started_at, record.message = (
        SummaryRefresh.Status.RUNNING,
        timezone.now(),
        "",
    )
    record.save(update_fields=["status", "started_at", "message", "updated_at"])
    try:
        with transaction.atomic():
            dims = educator_dims(district)
            needs, gaps = _needs(district, dims)
            offerings, links = _offerings(district)
            learning = _participation(district, dims)
            people = _educators(district, dims, gaps, learning)
            tables = [
                people,
                learning,
                people_rollup(district, people),
                month_rollup(district, learning),
                _funnel(district, dims),
                _spending(district, dims),
                needs,
                offerings,
                links,
            ]
            for model in SUMMARY_MODELS:
                model.objects.filter(district=district).delete()
            written = 0
            for rows in tables:
                if rows:
                    type(rows[0]).objects.bulk_create(rows, batch_size=BATCH)
                    written += len(rows)
    except Exception as error:
        record.status = SummaryRefresh.Status.FAILED
        record.message = f"{type(error).__name__}: {error}"[:2000]
        record.duration_ms = int((time.monotonic() - started) * 1000)
        record.save(update_fields=["status", "message", "duration_ms", "updated_at"])
        raise
    record.status = SummaryRefresh.Status.SUCCEEDED
    record.refreshed_at = timezone.now()
    record.duration_ms = int((time.monotonic() - started) * 1000)
    record.rows = written
    record.save()
    return record
