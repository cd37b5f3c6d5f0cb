"""Dashboard tables about the catalog: need against vetted supply, spending, impact per dollar and
quality. Reads only the summary tables (reports.models)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from trellis.reports.builders_learning import need_rows, school_names
from trellis.reports.drill import drill_key
from trellis.reports.filters import ReportFilters
from trellis.reports.models import (
    ReportFunnel,
    ReportOffering,
    ReportOfferingCompetency,
    ReportSpending,
)
from trellis.reports.permissions import ReportScope
from trellis.reports.scoping import money, per, ratio, scoped
from trellis.reports.tables import Cell, Column, ColumnKind, ReportTable

MIN_RATINGS = 3  # fewer ratings than this say little about an offering
LOWEST_RATED_LIMIT = 10
DISTRICT_WIDE = "Offering facts are district-wide: only the competency filter applies."


def offerings_for_competency(access: Any, filters: ReportFilters) -> Any:
    rows = ReportOffering.objects.filter(district=access.district)
    if filters.competency is not None:
        rows = rows.filter(
            offering_id__in=ReportOfferingCompetency.objects.filter(
                district=access.district, competency=filters.competency
            ).values("offering_id")
        )
    return rows


def spending_rows(access: Any, scope: ReportScope, filters: ReportFilters) -> Any:
    rows = scoped(ReportSpending.objects, access, scope, filters)
    if filters.competency is not None:
        rows = rows.filter(
            offering_id__in=ReportOfferingCompetency.objects.filter(
                district=access.district, competency=filters.competency
            ).values("offering_id")
        )
    return rows


def need_vs_supply(
    access: Any, scope: ReportScope, filters: ReportFilters, competencies: list[Any]
) -> ReportTable:
    need = {
        row["competency_id"]: row
        for row in need_rows(access, scope, filters)
        .values("competency_id")
        .annotate(rated=Sum("rated"), gaps=Sum("with_gap"))
        .order_by()
    }
    published: dict[int, int] = defaultdict(int)
    vetted: dict[int, int] = defaultdict(int)
    status = dict(
        ReportOffering.objects.filter(district=access.district, status="published").values_list(
            "offering_id", "vetted"
        )
    )
    for competency_id, offering_id in ReportOfferingCompetency.objects.filter(
        district=access.district, offering_id__in=list(status)
    ).values_list("competency_id", "offering_id"):
        published[competency_id] += 1
        if status[offering_id]:
            vetted[competency_id] += 1
    rows = []
    for item in competencies:
        if filters.competency is not None and item.pk != filters.competency.pk:
            continue
        found = need.get(item.pk, {"rated": 0, "gaps": 0})
        rows.append(
            [
                Cell(str(item)),
                Cell(found["rated"]),
                Cell(
                    found["gaps"],
                    drill_key("gaps", competency=str(item.public_id)) if found["gaps"] else None,
                ),
                Cell(ratio(found["gaps"], found["rated"])),
                Cell(
                    vetted[item.pk],
                    drill_key("offerings", competency=str(item.public_id), vetted="yes"),
                ),
                Cell(published[item.pk], drill_key("offerings", competency=str(item.public_id))),
                Cell(per(found["gaps"], vetted[item.pk]) if found["gaps"] else None),
            ]
        )
    rows.sort(key=lambda row: (-(row[2].value or 0), row[0].value))
    return ReportTable(
        key="need_vs_supply",
        title="Competency need against vetted supply",
        columns=[
            Column("competency", "Competency"),
            Column("rated", "Educators who rated it", ColumnKind.INTEGER),
            Column("with_gap", "With a gap", ColumnKind.INTEGER, "Below the target level"),
            Column("gap_share", "Share with a gap", ColumnKind.PERCENT),
            Column("vetted_offerings", "Vetted offerings", ColumnKind.INTEGER),
            Column("published_offerings", "Published offerings", ColumnKind.INTEGER),
            Column(
                "gaps_per_vetted",
                "Educators with a gap per vetted offering",
                ColumnKind.DECIMAL,
                "Empty when no vetted offering addresses it: where the district lacks good PD",
            ),
        ],
        rows=rows if need or published else [],
    )


def spending_by_offering(access: Any, scope: ReportScope, filters: ReportFilters) -> ReportTable:
    found = list(
        spending_rows(access, scope, filters)
        .values("offering_id")
        .annotate(
            seats=Sum("seats"), completions=Sum("completions"), cost=Sum("cost"), hours=Sum("hours")
        )
        .order_by()
    )
    offerings = {
        row.offering_id: row
        for row in ReportOffering.objects.filter(
            district=access.district, offering_id__in=[r["offering_id"] for r in found]
        ).select_related("offering")
    }
    found.sort(
        key=lambda r: (-(r["cost"] or 0), offerings[r["offering_id"]].title, r["offering_id"])
    )
    rows = []
    for row in found:
        offering = offerings[row["offering_id"]]
        public_id = str(offering.offering.public_id)
        rows.append(
            [
                Cell(offering.title),
                Cell(row["seats"], drill_key("seats", offering=public_id)),
                Cell(
                    row["completions"], drill_key("seats", offering=public_id, status="completed")
                ),
                Cell(money(row["cost"])),
                Cell(Decimal(row["hours"] or 0)),
                Cell(per(row["cost"], row["hours"])),
            ]
        )
    return ReportTable(
        key="spending_by_offering",
        title="Spending by offering",
        columns=[
            Column("offering", "Offering"),
            Column(
                "seats",
                "Paid seats",
                ColumnKind.INTEGER,
                "Approved enrolments, dated by the decision",
            ),
            Column("completions", "Completed", ColumnKind.INTEGER),
            Column("cost", "Cost", ColumnKind.MONEY, "Seats × the offering's cost per participant"),
            Column("hours", "Hours completed", ColumnKind.DECIMAL, "Completions × offering hours"),
            Column("cost_per_hour", "Cost per hour", ColumnKind.MONEY),
        ],
        rows=rows,
    )


def earned_by_school(access: Any, scope: ReportScope, filters: ReportFilters) -> dict[Any, int]:
    return dict(
        scoped(ReportFunnel.objects, access, scope, filters)
        .values_list("school_id")
        .annotate(n=Sum("earned"))
        .values_list("school_id", "n")
        .order_by()
    )


def spending_by_school(access: Any, scope: ReportScope, filters: ReportFilters) -> ReportTable:
    spent = {
        row["school_id"]: row
        for row in spending_rows(access, scope, filters)
        .values("school_id")
        .annotate(seats=Sum("seats"), cost=Sum("cost"), hours=Sum("hours"))
        .order_by()
    }
    earned = earned_by_school(access, scope, filters)
    rows = []
    for pk, drill_value, name in school_names(access, scope):
        row = spent.get(pk)
        if row is None:
            continue
        credentials = earned.get(pk) or 0
        rows.append(
            [
                Cell(name),
                Cell(row["seats"], drill_key("seats", school=drill_value)),
                Cell(money(row["cost"])),
                Cell(Decimal(row["hours"] or 0)),
                Cell(per(row["cost"], row["hours"])),
                Cell(credentials, drill_key("mc", step="earned", school=drill_value)),
                Cell(per(row["cost"], credentials)),
            ]
        )
    return ReportTable(
        key="spending_by_school",
        title="Spending by school",
        columns=[
            Column("school", "School"),
            Column("seats", "Paid seats", ColumnKind.INTEGER),
            Column("cost", "Cost", ColumnKind.MONEY),
            Column("hours", "Hours completed", ColumnKind.DECIMAL),
            Column("cost_per_hour", "Cost per hour", ColumnKind.MONEY),
            Column("credentials", "Micro-credentials earned", ColumnKind.INTEGER),
            Column("cost_per_credential", "Cost per credential earned", ColumnKind.MONEY),
        ],
        rows=rows,
    )


def spending_by_competency(
    access: Any, scope: ReportScope, filters: ReportFilters, competencies: list[Any]
) -> ReportTable:
    by_offering = {
        row["offering_id"]: row
        for row in spending_rows(access, scope, filters)
        .values("offering_id")
        .annotate(seats=Sum("seats"), cost=Sum("cost"), hours=Sum("hours"))
        .order_by()
    }
    totals: dict[int, dict[str, Any]] = {}
    for competency_id, offering_id in ReportOfferingCompetency.objects.filter(
        district=access.district, offering_id__in=list(by_offering)
    ).values_list("competency_id", "offering_id"):
        row = by_offering[offering_id]
        total = totals.setdefault(
            competency_id, {"seats": 0, "cost": Decimal(0), "hours": Decimal(0)}
        )
        total["seats"] += row["seats"] or 0
        total["cost"] += Decimal(row["cost"] or 0)
        total["hours"] += Decimal(row["hours"] or 0)
    rows = []
    for item in competencies:
        total = totals.get(item.pk)
        if total is None or (filters.competency is not None and item.pk != filters.competency.pk):
            continue
        rows.append(
            [
                Cell(str(item)),
                Cell(total["seats"], drill_key("seats", competency=str(item.public_id))),
                Cell(money(total["cost"])),
                Cell(total["hours"]),
                Cell(per(total["cost"], total["hours"])),
            ]
        )
    return ReportTable(
        key="spending_by_competency",
        title="Spending by competency",
        columns=[
            Column("competency", "Competency"),
            Column("seats", "Paid seats", ColumnKind.INTEGER),
            Column("cost", "Cost", ColumnKind.MONEY),
            Column("hours", "Hours completed", ColumnKind.DECIMAL),
            Column("cost_per_hour", "Cost per hour", ColumnKind.MONEY),
        ],
        rows=rows,
        note="An offering addressing several competencies counts in full under each of them.",
    )


def impact_per_dollar(access: Any, filters: ReportFilters) -> ReportTable:
    found = []
    for row in (
        offerings_for_competency(access, filters)
        .filter(growth_effect__isnull=False)
        .select_related("offering")
    ):
        per_thousand = (
            round(row.growth_effect * 1000 / float(row.cost), 4) if row.cost > 0 else None
        )
        found.append((row, per_thousand))
    found.sort(key=lambda pair: (pair[1] is None, -(pair[1] or 0), pair[0].title))
    rows = [
        [
            Cell(row.title),
            Cell(money(row.cost)),
            Cell(round(row.growth_effect, 4)),
            Cell(
                row.growth_n,
                drill_key("seats", offering=str(row.offering.public_id), status="completed"),
            ),
            Cell(per_thousand),
        ]
        for row, per_thousand in found
    ]
    return ReportTable(
        key="impact_per_dollar",
        title="Measured impact per dollar",
        columns=[
            Column("offering", "Offering"),
            Column("cost", "Cost per participant", ColumnKind.MONEY),
            Column(
                "effect",
                "Measured growth",
                ColumnKind.DECIMAL,
                "Difference-in-differences of observed ratings",
            ),
            Column("measured", "Participants measured", ColumnKind.INTEGER),
            Column(
                "effect_per_1000",
                "Growth per $1,000",
                ColumnKind.DECIMAL,
                "Empty for free offerings",
            ),
        ],
        rows=rows,
        note=DISTRICT_WIDE,
    )


def _vetting_label(vetted: bool | None) -> str:
    return {True: "Vetted", False: "Essentials unmet", None: "Never reviewed"}[vetted]


def quality_scorecards(access: Any, filters: ReportFilters) -> ReportTable:
    offerings = offerings_for_competency(access, filters).filter(status="published")
    ordered = sorted(
        offerings,
        key=lambda o: (o.vetting_score is None, -(o.vetting_score or 0), o.title, o.pk),
    )
    rows = [
        [
            Cell(o.title),
            Cell(_vetting_label(o.vetted)),
            Cell(round(o.vetting_score, 4) if o.vetting_score is not None else None),
            Cell(round(o.rating_mean, 2) if o.rating_mean is not None else None),
            Cell(o.rating_count),
            Cell(round(o.used_rate, 4) if o.used_rate is not None else None),
            Cell(o.completions),
        ]
        for o in ordered
    ]
    return ReportTable(
        key="quality_scorecards",
        title="Offerings by scorecard",
        columns=[
            Column("offering", "Offering"),
            Column("vetting", "Vetting"),
            Column("vetting_score", "Vetting score", ColumnKind.PERCENT),
            Column("rating", "Average rating", ColumnKind.DECIMAL, "Stars, 1 to 5"),
            Column("ratings", "Ratings", ColumnKind.INTEGER),
            Column("used_rate", "Used it in class", ColumnKind.PERCENT, "Follow-up survey"),
            Column("completions", "Completions", ColumnKind.INTEGER),
        ],
        rows=rows,
        note=DISTRICT_WIDE,
    )


def quality_lowest_rated(access: Any, filters: ReportFilters) -> ReportTable:
    offerings = (
        offerings_for_competency(access, filters)
        .filter(rating_count__gte=MIN_RATINGS)
        .order_by("rating_mean", "title", "pk")[:LOWEST_RATED_LIMIT]
    )
    rows = [
        [
            Cell(o.title),
            Cell(round(o.rating_mean or 0, 2)),
            Cell(o.rating_count),
            Cell(_vetting_label(o.vetted)),
        ]
        for o in offerings
    ]
    return ReportTable(
        key="quality_lowest_rated",
        title="Lowest-rated offerings",
        columns=[
            Column("offering", "Offering"),
            Column("rating", "Average rating", ColumnKind.DECIMAL),
            Column("ratings", "Ratings", ColumnKind.INTEGER),
            Column("vetting", "Vetting"),
        ],
        rows=rows,
        note=f"Offerings with at least {MIN_RATINGS} ratings, lowest first. " + DISTRICT_WIDE,
    )


def unvetted_in_use(access: Any, filters: ReportFilters) -> Any:
    return (
        offerings_for_competency(access, filters)
        .filter(status="published", active_enrolments__gt=0)
        .exclude(vetted=True)
    )


def quality_unvetted_in_use(access: Any, filters: ReportFilters) -> ReportTable:
    offerings = (
        unvetted_in_use(access, filters)
        .select_related("offering")
        .order_by("-active_enrolments", "title", "pk")
    )
    rows = [
        [
            Cell(o.title),
            Cell(_vetting_label(o.vetted)),
            Cell(
                o.active_enrolments,
                drill_key("seats", offering=str(o.offering.public_id), status="active"),
            ),
            Cell(o.completions),
        ]
        for o in offerings
    ]
    return ReportTable(
        key="quality_unvetted_in_use",
        title="Unvetted offerings in use",
        columns=[
            Column("offering", "Offering"),
            Column("vetting", "Vetting"),
            Column(
                "active",
                "Active enrolments",
                ColumnKind.INTEGER,
                "Enrolled or waiting for approval",
            ),
            Column("completions", "Completions", ColumnKind.INTEGER),
        ],
        rows=rows,
        note="Published offerings never reviewed, or whose latest review left an essential unmet. "
        + DISTRICT_WIDE,
    )
