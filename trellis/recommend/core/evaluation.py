"""Offline evaluation metrics over a batch of shortlists (pure functions, no Django).

- gap coverage: share of an educator's top-3 needs that at least one pick addresses;
- intra-list diversity: mean pairwise (1 − cosine similarity) inside a list, over alignment and
  format (the same similarity the shortlist uses);
- catalog coverage: share of eligible offerings that appear in any list;
- calibration: KL divergence between the need distribution p and the list's competency
  distribution q, smoothed as q̃ = (1 − α)·q + α·p (Steck 2018), so 0 = perfectly calibrated;
- everything again by career stage, and novices against veterans.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations

import numpy as np

from .engine import need_vector, score, shortlist
from .factors import COACHING, Similarity
from .factors import similarity as similarity_for
from .types import CatalogArrays, EducatorInput, Pick, Shortlist
from .weights import DEFAULT_WEIGHTS, Weights

DEFAULT_SIZES: dict[str, int] = {"novice": 3, "developing": 4, "experienced": 5, "veteran": 5}
CALIBRATION_ALPHA = 0.01


def gap_coverage(
    need: np.ndarray, alignment: np.ndarray, picks: Sequence[int], top: int = 3
) -> float:
    """Share of the (up to) `top` largest needs with some alignment in a pick; nan if no need."""
    ranked = [int(c) for c in np.argsort(-need, kind="stable")[:top] if need[c] > 0]
    if not ranked:
        return float("nan")
    if not picks:
        return 0.0
    covered = alignment[list(picks)][:, ranked].max(axis=0) > 0
    return float(covered.mean())


def intra_list_diversity(similarity: Similarity, picks: Sequence[int]) -> float:
    """Mean pairwise 1 − similarity over the list; nan for lists shorter than 2."""
    pairs = list(combinations(picks, 2))
    if not pairs:
        return float("nan")
    return float(np.mean([1.0 - similarity.to(a)[b] for a, b in pairs]))


def catalog_coverage(lists: Sequence[Sequence[int]], eligible_count: int) -> float:
    """Share of `eligible_count` offerings that appear in at least one list."""
    if eligible_count <= 0:
        return float("nan")
    shown = {index for picks in lists for index in picks}
    return len(shown) / eligible_count


def calibration_kl(need: np.ndarray, alignment: np.ndarray, picks: Sequence[int]) -> float:
    """KL(p ‖ q̃): how far the list's competency mix is from the need mix; nan if no need."""
    p = np.asarray(need, dtype=np.float64)
    if p.sum() <= 0:
        return float("nan")
    p = p / p.sum()
    q = alignment[list(picks)].sum(axis=0).astype(np.float64) if picks else np.zeros_like(p)
    q = q / q.sum() if q.sum() > 0 else np.zeros_like(p)
    smoothed = (1 - CALIBRATION_ALPHA) * q + CALIBRATION_ALPHA * p
    support = p > 0
    return float(np.sum(p[support] * np.log(p[support] / smoothed[support])))


def _mean(values: Sequence[float]) -> float | None:
    finite = [v for v in values if np.isfinite(v)]
    return round(float(np.mean(finite)), 4) if finite else None


def evaluate(
    catalog: CatalogArrays,
    educators: Sequence[EducatorInput],
    lists: Sequence[Shortlist],
    weights: Weights = DEFAULT_WEIGHTS,
) -> dict:
    """The metrics for educators[i] ↔ lists[i]: overall, by stage, and novice vs veteran."""
    if len(educators) != len(lists):
        raise ValueError("evaluate needs one shortlist per educator.")
    similarity = similarity_for(catalog, weights)
    eligible = int(np.sum(~np.asarray(catalog.vetting_failed, dtype=bool)))
    rows = []
    for educator, result in zip(educators, lists, strict=True):
        need, _ = need_vector(educator, weights)
        picks = [pick.index for pick in result.picks]
        in_goal = np.asarray(educator.in_goal, dtype=bool)
        rows.append(
            {
                "stage": educator.stage,
                "mode": result.mode,
                "picks": picks,
                "gap_coverage": gap_coverage(need, catalog.alignment, picks),
                "diversity": intra_list_diversity(similarity, picks),
                "calibration_kl": calibration_kl(need, catalog.alignment, picks),
                "size": len(picks),
                "formats": len({int(catalog.format_index[i]) for i in picks}),
                "has_short": any(catalog.hours[i] <= weights.short_hours for i in picks),
                "has_goal": bool(in_goal.any())
                and any(catalog.alignment[i, in_goal].sum() > 0 for i in picks),
                "has_leadership": any(bool(catalog.leadership[i]) for i in picks),
                "has_coaching": any(
                    bool(catalog.design_features[i, COACHING])
                    or catalog.formats[int(catalog.format_index[i])] == "coaching"
                    for i in picks
                ),
                "mean_hours": float(np.mean([catalog.hours[i] for i in picks]))
                if picks
                else float("nan"),
            }
        )

    def summarise(group: list[dict]) -> dict:
        return {
            "educators": len(group),
            "gap_coverage": _mean([r["gap_coverage"] for r in group]),
            "diversity": _mean([r["diversity"] for r in group]),
            "calibration_kl": _mean([r["calibration_kl"] for r in group]),
            "catalog_coverage": round(catalog_coverage([r["picks"] for r in group], eligible), 4)
            if group
            else None,
            "mean_size": _mean([r["size"] for r in group]),
            "mean_formats": _mean([r["formats"] for r in group]),
            "share_with_short": _mean([float(r["has_short"]) for r in group]),
            "share_with_goal": _mean([float(r["has_goal"]) for r in group]),
            "share_with_leadership": _mean([float(r["has_leadership"]) for r in group]),
            "share_with_coaching": _mean([float(r["has_coaching"]) for r in group]),
            "mean_hours": _mean([r["mean_hours"] for r in group]),
            "cold_start": sum(r["mode"] == "cold_start" for r in group),
            "expertise": sum(r["mode"] == "expertise" for r in group),
        }

    by_stage = {
        stage: summarise([r for r in rows if r["stage"] == stage]) for stage in DEFAULT_SIZES
    }
    return {
        "overall": summarise(rows),
        "by_stage": {stage: summary for stage, summary in by_stage.items() if summary["educators"]},
        "novice_vs_veteran": {
            "novice": summarise([r for r in rows if r["stage"] == "novice"]),
            "veteran": summarise([r for r in rows if r["stage"] in ("experienced", "veteran")]),
        },
    }


def evaluate_district(
    catalog: CatalogArrays,
    educators: Sequence[EducatorInput],
    weights: Weights = DEFAULT_WEIGHTS,
    *,
    sizes: Mapping[str, int] = DEFAULT_SIZES,
    reserved: int = 0,
) -> dict:
    """Build every educator's shortlist (size by career stage) and evaluate the batch."""
    lists = [
        shortlist(educator, catalog, weights, size=sizes.get(educator.stage, 4), reserved=reserved)
        for educator in educators
    ]
    return evaluate(catalog, educators, lists, weights)


def score_only_lists(
    catalog: CatalogArrays,
    educators: Sequence[EducatorInput],
    weights: Weights = DEFAULT_WEIGHTS,
    *,
    sizes: Mapping[str, int] = DEFAULT_SIZES,
) -> list[Shortlist]:
    """The baseline: each educator's top-N offerings by score alone (no variety, no slots)."""
    lists = []
    for educator in educators:
        scores = score(educator, catalog, weights)
        eligible = np.flatnonzero(scores.eligible)
        size = min(sizes.get(educator.stage, 4), len(eligible))
        order = eligible[np.lexsort((eligible, -scores.total[eligible]))][:size]
        picks = tuple(
            Pick(
                index=int(i),
                offering_id=catalog.offering_ids[i],
                score=float(scores.total[i]),
                need_match=float(scores.need_match[i]),
                fit=float(scores.fit[i]),
                effectiveness=float(scores.effectiveness[i]),
                feasibility=float(scores.feasibility[i]),
                credit_bonus=float(scores.credit_bonus[i]),
                slot="choice",
                reasons=(),
            )
            for i in order
        )
        lists.append(Shortlist(picks=picks, mode=scores.mode, considered=len(eligible)))
    return lists
