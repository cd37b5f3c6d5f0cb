"""Measured growth of an offering's participants on its competencies, against similar colleagues
who did not take it (difference-in-differences; the maths is in metrics.py).

Reads in a fixed number of queries whatever the number of offerings: the offerings'
competencies, the completions, and the district's self-ratings and observation ratings on those
competencies.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from trellis.catalog.models import Enrollment, EnrollmentStatus, Offering
from trellis.growth.models import ObservationRating, SelfAssessment, SelfRating
from trellis.quality.metrics import (
    GrowthEstimate,
    Rating,
    difference_in_differences,
    median_date,
    person_change,
)

SELF = "self"
OBSERVED = "observed"

Key = tuple[str, int]  # (source, competency pk)


def growth_by_offering(district: Any, offering_ids: Iterable[int]) -> dict[int, GrowthEstimate]:
    offering_ids = list(offering_ids)
    items_of: dict[int, set[int]] = defaultdict(set)
    for offering_id, item_id in Offering.competencies.through.objects.filter(
        offering_id__in=offering_ids
    ).values_list("offering_id", "frameworkitem_id"):
        items_of[offering_id].add(item_id)
    completions: dict[int, dict[int, date]] = defaultdict(dict)  # offering → educator → date
    for offering_id, educator_id, completed_at in Enrollment.objects.filter(
        district=district,
        offering_id__in=offering_ids,
        status=EnrollmentStatus.COMPLETED,
        completed_at__isnull=False,
    ).values_list("offering_id", "educator_id", "completed_at"):
        day = completed_at.date()
        # Taken twice: the first completion is the one the "after" ratings follow.
        if (
            educator_id not in completions[offering_id]
            or day < completions[offering_id][educator_id]
        ):
            completions[offering_id][educator_id] = day
    all_items = set().union(*items_of.values()) if items_of else set()
    ratings = _ratings(district, all_items)
    estimates = {}
    for offering_id in offering_ids:
        estimates[offering_id] = _estimate(
            items_of.get(offering_id, set()), completions.get(offering_id, {}), ratings
        )
    return estimates


def _ratings(district: Any, items: set[int]) -> dict[int, dict[Key, list[Rating]]]:
    """educator → (source, competency) → [(date, value)]"""
    found: dict[int, dict[Key, list[Rating]]] = defaultdict(lambda: defaultdict(list))
    if not items:
        return found
    for educator_id, item_id, value, submitted_at in SelfRating.objects.filter(
        assessment__district=district,
        assessment__status=SelfAssessment.Status.SUBMITTED,
        item_id__in=items,
        value__isnull=False,
    ).values_list("assessment__educator_id", "item_id", "value", "assessment__submitted_at"):
        found[educator_id][(SELF, item_id)].append((submitted_at.date(), float(value)))
    for educator_id, item_id, value, observed_on in ObservationRating.objects.filter(
        district=district, item_id__in=items
    ).values_list("educator_id", "item_id", "value", "observed_on"):
        found[educator_id][(OBSERVED, item_id)].append((observed_on, float(value)))
    return found


def _estimate(
    items: set[int],
    completed: dict[int, date],
    ratings: dict[int, dict[Key, list[Rating]]],
) -> GrowthEstimate:
    keys = [(source, item) for item in sorted(items) for source in (SELF, OBSERVED)]
    participant_changes = [
        change
        for educator_id, day in completed.items()
        if (change := person_change(ratings.get(educator_id, {}), keys, day)) is not None
    ]
    comparison_changes: list[float] = []
    if completed and keys:
        # Colleagues are measured around the participants' median completion date, so both
        # groups' changes cover the same stretch of the year.
        anchor = median_date(list(completed.values()))
        comparison_changes = [
            change
            for educator_id, by_key in ratings.items()
            if educator_id not in completed
            and (change := person_change(by_key, keys, anchor)) is not None
        ]
    return difference_in_differences(participant_changes, comparison_changes)
