"""The "My growth" page in one read model: competency profile (self vs observed), goals, plan and
self-assessment history. A fixed number of queries, whatever the number of competencies or goals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from trellis.districts.queries import DistrictAccess
from trellis.frameworks.models import FrameworkItem
from trellis.growth import queries
from trellis.growth.charts import PairChart, paired_bars
from trellis.growth.models import EducatorProfile, Goal, PlanItem, SelfAssessment


@dataclass
class CompetencyRow:
    item: FrameworkItem
    domain: str
    self_value: int | None = None
    self_label: str = ""
    self_note: str = ""
    first_value: int | None = None  # in the first snapshot, to show growth
    observed: queries.ObservedSummary | None = None
    level_labels: dict[int, str] = field(default_factory=dict)

    @property
    def change(self) -> int | None:
        if self.self_value is None or self.first_value is None:
            return None
        return self.self_value - self.first_value

    @property
    def observed_latest_label(self) -> str:
        if self.observed is None:
            return ""
        return self.level_labels.get(self.observed.latest.value, str(self.observed.latest.value))


@dataclass
class GrowthOverview:
    profile: EducatorProfile | None
    cmap: queries.CompetencyMap | None
    rows: list[CompetencyRow]
    chart: PairChart | None
    goals: list[Goal]
    plan: list[PlanItem]
    history: list[SelfAssessment]
    draft: SelfAssessment | None
    today: Any

    @property
    def framework(self) -> Any:
        return self.cmap.framework if self.cmap else None

    @property
    def open_goals(self) -> list[Goal]:
        return [g for g in self.goals if g.is_open]

    @property
    def closed_goals(self) -> list[Goal]:
        return [g for g in self.goals if not g.is_open]


def growth_overview(access: DistrictAccess, educator: Any) -> GrowthOverview:
    district = access.district
    framework = queries.adopted_framework(district)
    cmap = queries.competency_map(framework) if framework else None
    rows: list[CompetencyRow] = []
    chart = None
    if cmap is not None and cmap.competencies:
        latest = queries.latest_self_assessment(district, educator)
        first = queries.first_self_assessment(district, educator)
        latest_ratings = {r.item_id: r for r in latest.ratings.all()} if latest else {}
        first_values = (
            {r.item_id: r.value for r in first.ratings.all()}
            if first and latest and first.pk != latest.pk
            else {}
        )
        observed = queries.observation_summaries(district, educator)
        labels = cmap.level_labels
        domains = cmap.domain_of()
        for item in cmap.competencies:
            rating = latest_ratings.get(item.pk)
            value = rating.value if rating else None
            rows.append(
                CompetencyRow(
                    item=item,
                    domain=domains[item.pk],
                    self_value=value,
                    self_label=labels.get(value, str(value)) if value is not None else "",
                    self_note=rating.note if rating else "",
                    first_value=first_values.get(item.pk),
                    observed=observed.get(item.pk),
                    level_labels=labels,
                )
            )
        chart = paired_bars(
            [
                (str(row.item), row.self_value, row.observed.mean if row.observed else None)
                for row in rows
            ],
            levels=[(level.value, level.label) for level in cmap.levels],
        )
    return GrowthOverview(
        profile=queries.profile_for(educator, district),
        cmap=cmap,
        rows=rows,
        chart=chart,
        goals=list(queries.goals_for(district, educator)),
        plan=list(queries.plan_items(district, educator)),
        history=list(queries.self_assessment_history(district, educator)),
        draft=queries.self_assessment_draft(district, educator),
        today=timezone.localdate(),
    )
