"""The district's catalog as the engine's arrays, cached per district and catalog version."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Avg, Count, Max, Min
from django.utils import timezone

from trellis.catalog.models import Offering, OfferingSession, OfferingStatus
from trellis.frameworks.models import FrameworkItem
from trellis.growth import queries as growth_queries
from trellis.growth.models import (
    GradeBand,
    LearningFormat,
    ObservationRating,
    Position,
    StudentGroup,
)
from trellis.recommend.core.types import (
    DESIGN_FEATURES,
    STAGES,
    TIERS,
    CatalogArrays,
)
from trellis.recommend.models import (
    PriorityOffering,
)

GRADE_BANDS: tuple[str, ...] = tuple(GradeBand.values)
POSITIONS: tuple[str, ...] = tuple(Position.values)
STUDENT_GROUPS: tuple[str, ...] = tuple(StudentGroup.values)
MAX_SUBJECTS = 62  # bits of an int64 mask

NEW_OFFERING_DAYS = 60
# Catalog arrays are rebuilt when the catalog version changes, and at least this often so
# ratings and vetting (which do not touch offerings) reach the lists.
CATALOG_TTL_SECONDS = 300


def _bits(values: Iterable[str], vocabulary: tuple[str, ...] | dict[str, int]) -> int:
    index = (
        vocabulary
        if isinstance(vocabulary, dict)
        else {value: i for i, value in enumerate(vocabulary)}
    )
    mask = 0
    for value in values or ():
        if value in index:
            mask |= 1 << index[value]
    return mask


# ---------------------------------------------------------------------------------------------
# the catalog
# ---------------------------------------------------------------------------------------------


@dataclass
class CatalogBundle:
    """The arrays plus what the Django side needs to map back: offering pks, vocabularies and the
    district-wide competency anchors."""

    arrays: CatalogArrays
    offering_pks: list[int]
    index_of_pk: dict[int, int]
    competency_pks: list[int]
    competency_index: dict[int, int]  # framework item pk → column (indicators map to parents)
    subject_index: dict[str, int]
    scale_max: int
    target_level: int
    anchor: np.ndarray  # (c,) district mean observation level, nan when none
    version: tuple


_cache: dict[int, tuple[tuple, float, CatalogBundle]] = {}
_cache_lock = threading.Lock()


def catalog_version(district: Any) -> tuple:
    """Cheap: one aggregate over published offerings and one over priority offerings."""
    figures = Offering.objects.filter(district=district, status=OfferingStatus.PUBLISHED).aggregate(
        n=Count("id"), latest=Max("updated_at")
    )
    priority = PriorityOffering.objects.filter(district=district).aggregate(
        n=Count("id"), latest=Max("updated_at")
    )
    return (figures["n"], figures["latest"], priority["n"], priority["latest"])


def clear_catalog_cache() -> None:
    with _cache_lock:
        _cache.clear()


def catalog_for(district: Any) -> CatalogBundle:
    version = catalog_version(district)
    now = time.monotonic()
    with _cache_lock:
        found = _cache.get(district.pk)
    if found is not None and found[0] == version and now - found[1] < CATALOG_TTL_SECONDS:
        return found[2]
    bundle = build_catalog(district, version=version)
    with _cache_lock:
        _cache[district.pk] = (version, now, bundle)
    return bundle


def _competency_columns(
    district: Any,
) -> tuple[list[FrameworkItem], dict[int, int], int, int, dict[int, list[int]]]:
    """The adopted framework's competencies, item pk → column (indicators map to their
    competency, a domain to -1), the scale's top and target, and each domain's columns."""
    framework = growth_queries.adopted_framework(district)
    if framework is None:
        return [], {}, 4, 3, {}
    cmap = growth_queries.competency_map(framework)
    competencies = cmap.competencies
    column = {item.pk: i for i, item in enumerate(competencies)}
    items = list(FrameworkItem.objects.filter(framework=framework).values_list("pk", "parent_id"))
    parent = dict(items)
    for pk, _ in items:
        walker, seen = pk, set()
        while walker is not None and walker not in column and walker not in seen:
            seen.add(walker)
            walker = parent.get(walker)
        if walker is not None and walker in column:
            column.setdefault(pk, column[walker])
    domains: dict[int, list[int]] = {}
    for group in cmap.groups:  # a domain tag covers every competency under it
        if group.domain is not None:
            column[group.domain.pk] = -1
            domains[group.domain.pk] = [column[item.pk] for item in group.competencies]
    target = next((level.value for level in cmap.levels if level.is_target), None)
    top = cmap.top_value or 4
    return competencies, column, top, target or max(top - 1, 1), domains


def _quality_signals(district: Any) -> dict[int, Any]:
    from trellis.quality.queries import offering_signals

    return offering_signals(district)


def build_catalog(district: Any, *, version: tuple = ()) -> CatalogBundle:
    """Every published offering of the district as arrays: a fixed number of queries."""
    competencies, column, scale_max, target_level, domains = _competency_columns(district)
    offerings = list(
        Offering.objects.filter(district=district, status=OfferingStatus.PUBLISHED)
        .order_by("pk")
        .values(
            "pk",
            "public_id",
            "title",
            "format",
            "hours",
            "cost",
            "evidence_tier",
            "design_features",
            "grade_bands",
            "subjects",
            "positions",
            "career_stages",
            "students_served",
            "credit_amount",
            "published_at",
            "leadership",
        )
    )
    n, c = len(offerings), len(competencies)
    pks = [row["pk"] for row in offerings]
    index_of_pk = {pk: i for i, pk in enumerate(pks)}
    alignment = np.zeros((n, c), dtype=np.float32)
    for offering_id, item_id in Offering.competencies.through.objects.filter(
        offering_id__in=pks
    ).values_list("offering_id", "frameworkitem_id"):
        col = column.get(item_id)
        if col is None:
            continue
        row = index_of_pk[offering_id]
        if col == -1:
            for member in domains.get(item_id, ()):
                alignment[row, member] = 1.0
        else:
            alignment[row, col] = 1.0
    sums = alignment.sum(axis=1, keepdims=True)
    np.divide(alignment, sums, out=alignment, where=sums > 0)

    span_weeks = np.zeros(n, dtype=np.float32)
    for offering_id, first, last in (
        OfferingSession.objects.filter(offering_id__in=pks)
        .values_list("offering_id")
        .annotate(first=Min("starts_at"), last=Max("ends_at"))
        .values_list("offering_id", "first", "last")
    ):
        span_weeks[index_of_pk[offering_id]] = max(0.0, (last - first).total_seconds() / 604800)

    subjects = sorted({s for row in offerings for s in row["subjects"] or ()})[:MAX_SUBJECTS]
    subject_index = {name: i for i, name in enumerate(subjects)}
    formats = list(LearningFormat.values)
    for row in offerings:
        if row["format"] not in formats:
            formats.append(row["format"])
    format_pos = {name: i for i, name in enumerate(formats)}
    tier_pos = {name: i for i, name in enumerate(TIERS)}
    feature_pos = {name: i for i, name in enumerate(DESIGN_FEATURES)}
    priority_pks = set(
        PriorityOffering.objects.filter(district=district).values_list("offering_id", flat=True)
    )
    signals = _quality_signals(district)
    new_since = timezone.now() - dt.timedelta(days=NEW_OFFERING_DAYS)

    design = np.zeros((n, len(DESIGN_FEATURES)), dtype=bool)
    vetting = np.full(n, np.nan, dtype=np.float32)
    vetting_failed = np.zeros(n, dtype=bool)
    rating_sum = np.zeros(n, dtype=np.float32)
    rating_count = np.zeros(n, dtype=np.int32)
    used_yes = np.zeros(n, dtype=np.int32)
    used_count = np.zeros(n, dtype=np.int32)
    growth_effect = np.full(n, np.nan, dtype=np.float32)
    growth_n = np.zeros(n, dtype=np.int32)
    for i, row in enumerate(offerings):
        for feature in row["design_features"] or ():
            if feature in feature_pos:
                design[i, feature_pos[feature]] = True
        found = signals.get(row["pk"])
        if found is None:
            continue
        if found.vetting_score is not None:
            vetting[i] = found.vetting_score
        vetting_failed[i] = bool(found.vetting_failed)
        rating_sum[i] = found.rating_sum
        rating_count[i] = found.rating_count
        used_yes[i] = found.used_yes
        used_count[i] = found.used_count
        if found.growth_effect is not None:
            growth_effect[i] = found.growth_effect
        growth_n[i] = found.growth_n

    arrays = CatalogArrays(
        offering_ids=[str(row["public_id"]) for row in offerings],
        titles=[row["title"] for row in offerings],
        competency_ids=[str(item.public_id) for item in competencies],
        competency_names=[str(item) for item in competencies],
        alignment=alignment,
        hours=np.array([float(row["hours"]) for row in offerings], dtype=np.float32),
        cost=np.array([float(row["cost"]) for row in offerings], dtype=np.float32),
        span_weeks=span_weeks,
        tier=np.array([tier_pos.get(row["evidence_tier"], 4) for row in offerings], dtype=np.int8),
        effect_size=np.full(n, np.nan, dtype=np.float32),
        design_features=design,
        vetting_score=vetting,
        vetting_failed=vetting_failed,
        rating_sum=rating_sum,
        rating_count=rating_count,
        used_yes=used_yes,
        used_count=used_count,
        growth_effect=growth_effect,
        growth_n=growth_n,
        formats=formats,
        format_index=np.array([format_pos[row["format"]] for row in offerings], dtype=np.int16),
        grade_band_bits=np.array(
            [_bits(row["grade_bands"], GRADE_BANDS) for row in offerings], dtype=np.int32
        ),
        subject_bits=np.array(
            [_bits(row["subjects"], subject_index) for row in offerings], dtype=np.int64
        ),
        position_bits=np.array(
            [_bits(row["positions"], POSITIONS) for row in offerings], dtype=np.int32
        ),
        stage_bits=np.array(
            [_bits(row["career_stages"], STAGES) for row in offerings], dtype=np.int8
        ),
        student_bits=np.array(
            [_bits(row["students_served"], STUDENT_GROUPS) for row in offerings], dtype=np.int32
        ),
        credit_value=np.array([float(row["credit_amount"]) for row in offerings], dtype=np.float32),
        priority=np.array([row["pk"] in priority_pks for row in offerings], dtype=bool),
        # The catalog manager marks leadership paths (Offering.leadership); no guessing from titles.
        leadership=np.array([row["leadership"] for row in offerings], dtype=bool),
        is_new=np.array(
            [bool(row["published_at"] and row["published_at"] >= new_since) for row in offerings],
            dtype=bool,
        ),
    )
    return CatalogBundle(
        arrays=arrays,
        offering_pks=pks,
        index_of_pk=index_of_pk,
        competency_pks=[item.pk for item in competencies],
        competency_index={item.pk: i for i, item in enumerate(competencies)},
        subject_index=subject_index,
        scale_max=scale_max,
        target_level=target_level,
        anchor=_district_anchor(district, competencies),
        version=version,
    )


def _district_anchor(district: Any, competencies: list[FrameworkItem]) -> np.ndarray:
    """The district's mean observation rating per competency: one aggregate query."""
    anchor = np.full(len(competencies), np.nan, dtype=np.float32)
    index = {item.pk: i for i, item in enumerate(competencies)}
    for item_id, mean in (
        ObservationRating.objects.filter(district=district, item_id__in=list(index))
        .values_list("item_id")
        .annotate(mean=Avg("value"))
        .values_list("item_id", "mean")
    ):
        anchor[index[item_id]] = mean
    return anchor
