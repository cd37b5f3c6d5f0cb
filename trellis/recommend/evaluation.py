"""Offline evaluation harness: every educator's shortlist for a district from the database (e.g.
the demo district) or for a synthetic district from the engine's generator, measured against a
score-only top-N baseline: gap coverage, diversity, catalog coverage, calibration, novices vs
veterans."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trellis.districts.models import District, Membership, Role
from trellis.districts.queries import DistrictAccess
from trellis.recommend import inputs, queries
from trellis.recommend.core import evaluation, synthetic
from trellis.recommend.core.engine import shortlist
from trellis.recommend.core.types import CatalogArrays, EducatorInput

METRICS = (
    ("gap_coverage", "Top-3 gaps covered (share)"),
    ("diversity", "Intra-list diversity (1 − cosine)"),
    ("calibration_kl", "Calibration KL (0 = matches need)"),
    ("catalog_coverage", "Catalog coverage (share in any list)"),
    ("mean_size", "Picks per list"),
    ("mean_formats", "Formats per list"),
    ("share_with_short", "Lists with a short option"),
    ("share_with_goal", "Lists with a goal pick (of those with goals)"),
    ("share_with_leadership", "Lists with a leadership path"),
    ("share_with_coaching", "Lists with coaching"),
    ("mean_hours", "Mean hours per pick"),
)


@dataclass
class EvaluationReport:
    source: str
    educators: int
    offerings: int
    competencies: int
    shortlist: dict
    baseline: dict

    def lines(self) -> list[str]:
        out = [
            f"Recommendation evaluation — {self.source}",
            f"{self.educators} educators, {self.offerings} offerings, "
            f"{self.competencies} competencies",
            "",
            f"{'Metric':46} {'Shortlist':>10} {'Top-N':>10}",
        ]
        for key, label in METRICS:
            out.append(
                f"{label:46} {_fmt(self.shortlist['overall'].get(key)):>10} "
                f"{_fmt(self.baseline['overall'].get(key)):>10}"
            )
        out += ["", "Novices vs experienced and veteran educators (shortlist):"]
        pair = self.shortlist["novice_vs_veteran"]
        out.append(f"{'Metric':46} {'Novice':>10} {'Exp./Vet.':>10}")
        for key, label in METRICS:
            out.append(
                f"{label:46} {_fmt(pair['novice'].get(key)):>10} {_fmt(pair['veteran'].get(key)):>10}"
            )
        modes = self.shortlist["overall"]
        out.append("")
        out.append(
            f"Cold-start lists: {modes.get('cold_start', 0)}; expertise-mode lists: "
            f"{modes.get('expertise', 0)}"
        )
        return out


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _run(
    source: str,
    catalog: CatalogArrays,
    educators: list[EducatorInput],
    weights: Any,
    sizes: dict[str, int],
    reserved: int,
) -> EvaluationReport:
    lists = [
        shortlist(e, catalog, weights, size=sizes.get(e.stage, 4), reserved=reserved)
        for e in educators
    ]
    baseline = evaluation.score_only_lists(catalog, educators, weights, sizes=sizes)
    return EvaluationReport(
        source=source,
        educators=len(educators),
        offerings=len(catalog.offering_ids),
        competencies=len(catalog.competency_ids),
        shortlist=evaluation.evaluate(catalog, educators, lists, weights),
        baseline=evaluation.evaluate(catalog, educators, baseline, weights),
    )


def evaluate_database_district(district: District, *, limit: int | None = None) -> EvaluationReport:
    """Every active educator of a district with its real catalog, growth data and settings."""
    from django.contrib.auth import get_user_model

    access = DistrictAccess(district=district, roles=frozenset())
    bundle = inputs.build_catalog(district)
    settings_row = queries.recommendation_settings(district)
    user_ids = (
        Membership.objects.filter(district=district, role=Role.EDUCATOR, is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    people = get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("pk")
    if limit:
        people = people[:limit]
    educators = [inputs.educator_input(access, person, bundle).input for person in people]
    sizes = {stage: settings_row.size_for(stage) for stage in evaluation.DEFAULT_SIZES}
    return _run(
        f"district {district.name}",
        bundle.arrays,
        educators,
        queries.weights_of(settings_row),
        sizes,
        settings_row.reserved_slots,
    )


def evaluate_synthetic(
    *, seed: int = 7, educators: int = 300, offerings: int = 400
) -> EvaluationReport:
    """A synthetic district from the engine's generator, with the default settings."""
    from trellis.recommend.core.weights import DEFAULT_WEIGHTS

    catalog, people = synthetic.district(seed, educators, offerings)
    return _run(
        f"synthetic district (seed {seed})",
        catalog,
        list(people),
        DEFAULT_WEIGHTS,
        dict(evaluation.DEFAULT_SIZES),
        0,
    )
