"""Calibration reports: inter-rater agreement over double-scored attempts (per assessor and per
criterion, with percent agreement and Cohen's kappa from `agreement.py`), and calibration
exercises compared with their anchor's decided scores."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.contrib.auth import get_user_model

from trellis.districts.queries import DistrictAccess
from trellis.microcredentials.agreement import Agreement, RatedPair, aggregate
from trellis.microcredentials.models import Assignment, CriterionScore, RubricCriterion
from trellis.microcredentials.queries.assessment import deciding_assignment

Role = Assignment.Role
# Below this many double-scored attempts the report says the numbers are not meaningful yet.
MIN_PAIRS = 5
ANCHOR = "anchor"


@dataclass(frozen=True)
class Row:
    label: str
    pairs: int  # scored attempts compared
    criteria: Agreement  # per-criterion level agreement
    outcome: Agreement  # earned / not yet agreement

    @property
    def criteria_percent(self) -> str:
        return percent(self.criteria.percent)

    @property
    def criteria_kappa(self) -> str:
        return kappa(self.criteria.kappa)

    @property
    def outcome_percent(self) -> str:
        return percent(self.outcome.percent)

    @property
    def outcome_kappa(self) -> str:
        return kappa(self.outcome.kappa)


@dataclass
class Report:
    attempts: int
    enough: bool
    overall: Row | None
    by_assessor: list[Row]
    by_criterion: list[Row]


def _levels(assignment_ids: list[int]) -> dict[int, dict[int, str]]:
    levels: dict[int, dict[int, str]] = defaultdict(dict)
    for assignment_id, criterion_id, level in CriterionScore.objects.filter(
        assignment_id__in=assignment_ids
    ).values_list("assignment_id", "criterion_id", "level"):
        levels[assignment_id][criterion_id] = level
    return levels


def _report(comparisons: list[tuple[Assignment, Assignment]], *, skip_rater: Any = None) -> Report:
    """`comparisons` pairs two completed scorings of the same work (rater a, rater b)."""
    levels = _levels([a.pk for pair in comparisons for a in pair])
    criterion_pairs, outcome_pairs = [], []
    for a, b in comparisons:
        rater_a, rater_b = a.assessor_id, (skip_rater if skip_rater else b.assessor_id)
        outcome_pairs.append(RatedPair("outcome", rater_a, a.outcome, rater_b, b.outcome))
        for criterion_id, level in levels[a.pk].items():
            if criterion_id in levels[b.pk]:
                criterion_pairs.append(
                    RatedPair(criterion_id, rater_a, level, rater_b, levels[b.pk][criterion_id])
                )
    by_criteria, by_outcome = aggregate(criterion_pairs), aggregate(outcome_pairs)
    people = get_user_model().objects.in_bulk([r for r in by_outcome.by_rater if r != skip_rater])
    names = {pk: (u.full_name or u.email) for pk, u in people.items()}
    by_assessor = [
        Row(
            names[rater],
            by_outcome.by_rater[rater].pairs,
            by_criteria.by_rater.get(rater, Agreement.of([])),
            by_outcome.by_rater[rater],
        )
        for rater in by_outcome.by_rater
        if rater != skip_rater
    ]
    by_assessor.sort(key=lambda row: row.label)
    criteria = RubricCriterion.objects.select_related("part__version").in_bulk(
        list(by_criteria.by_key)
    )
    by_criterion = [
        Row(
            f"{c.part.version.title} — {c.name}",
            by_criteria.by_key[c.pk].pairs,
            by_criteria.by_key[c.pk],
            Agreement.of([]),
        )
        for c in sorted(
            (criteria[k] for k in by_criteria.by_key),
            key=lambda c: (c.part.version.title, c.part.position, c.position),
        )
    ]
    attempts = len(comparisons)
    return Report(
        attempts=attempts,
        enough=attempts >= MIN_PAIRS,
        overall=Row("All assessors", attempts, by_criteria.overall, by_outcome.overall)
        if attempts
        else None,
        by_assessor=by_assessor,
        by_criterion=by_criterion,
    )


def double_scored_pairs(access: DistrictAccess) -> list[tuple[Assignment, Assignment]]:
    """Completed primary and second scorings of the same attempt."""
    rows = Assignment.objects.filter(
        submission__district=access.district,
        status=Assignment.Status.COMPLETED,
        role__in=[Role.PRIMARY, Role.SECOND],
    ).order_by("submission_id", "attempt", "id")
    found: dict[tuple[int, int], dict[str, Assignment]] = defaultdict(dict)
    for row in rows:
        found[(row.submission_id, row.attempt)][row.role] = row
    return [
        (pair[Role.PRIMARY], pair[Role.SECOND])
        for pair in found.values()
        if Role.PRIMARY in pair and Role.SECOND in pair
    ]


def agreement_report(access: DistrictAccess) -> Report:
    return _report(double_scored_pairs(access))


def calibration_report(access: DistrictAccess) -> Report:
    """Each completed calibration exercise against its anchor's deciding scores."""
    exercises = list(
        Assignment.objects.filter(
            submission__district=access.district,
            role=Role.CALIBRATION,
            status=Assignment.Status.COMPLETED,
        ).select_related("submission")
    )
    anchors: dict[tuple[int, int], Assignment | None] = {}
    comparisons = []
    for exercise in exercises:
        key = (exercise.submission_id, exercise.attempt)
        if key not in anchors:
            anchors[key] = deciding_assignment(exercise.submission)
        if anchors[key] is not None:
            comparisons.append((exercise, anchors[key]))
    return _report(comparisons, skip_rater=ANCHOR)


def percent(value: Fraction | None) -> str:
    return "—" if value is None else f"{float(value) * 100:.0f}%"


def kappa(value: Fraction | None) -> str:
    return "—" if value is None else f"{float(value):.2f}"
