"""Choosing the shortlist: best fit first, reserved and required slots, then MMR for variety.

Order of filling (each step only while slots remain, and only when a candidate exists):
1. best_fit: the top score (unless every slot is reserved for priority offerings);
2. priority: until `reserved` picks are district priority offerings;
3. short (≤ short_hours), goal (tied to a competency in the educator's own goals), and for
   experienced and veteran educators leadership: each only if no pick satisfies it yet;
4. explore (when asked): the best new offering, shown last;
5. choice: greedy maximal marginal relevance, λ·score/top − (1−λ)·max similarity to picks
   + coverage_weight × the share of the need not yet covered by a pick that it addresses,
   among offerings scoring at least choice_floor × the top;
6. if every pick shares one format and another format is eligible, the last choice pick is
   swapped for the best offering in another format.
Ties always go to the lower catalog index, so the same input gives the same list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .factors import Similarity
from .reasons import reasons_for
from .types import CatalogArrays, EducatorInput, Pick, Shortlist
from .weights import Weights

if TYPE_CHECKING:
    from .engine import Scores

SENIOR_STAGES = ("experienced", "veteran")


class _Picker:
    def __init__(self, scores: Scores, features: Similarity, weights: Weights):
        self.total = scores.total
        self.candidates = scores.eligible.copy()
        top = float(self.total[self.candidates].max()) if self.candidates.any() else 0.0
        self.relative = self.total / top if top > 0 else np.zeros_like(self.total)
        self.features = features
        self.weights = weights
        self.similarity = np.zeros(len(self.total), dtype=np.float64)
        self.picks: list[tuple[int, str]] = []
        self.alignment = features.alignment
        self.residual = np.asarray(scores.need, dtype=np.float32).copy()  # need not yet covered
        self.gain = self.alignment @ self.residual

    def best(self, mask: np.ndarray | None = None) -> int:
        """The best remaining candidate in `mask` by MMR (by score alone for the first pick)."""
        allowed = self.candidates if mask is None else self.candidates & mask
        if not allowed.any():
            return -1
        if self.picks:
            lam = self.weights.mmr_lambda
            value = lam * self.relative - (1 - lam) * self.similarity
            if self.weights.coverage_weight:
                value = value + self.weights.coverage_weight * self.gain
        else:
            value = self.total
        return int(np.argmax(np.where(allowed, value, -np.inf)))

    def take(self, index: int, slot: str) -> None:
        self.picks.append((index, slot))
        self.candidates[index] = False
        np.maximum(self.similarity, self.features.to(index), out=self.similarity)
        covered = self.alignment[index] > 0
        if covered.any() and self.residual[covered].any():
            self.residual[covered] = 0.0
            self.gain = self.alignment @ self.residual

    def has(self, mask: np.ndarray) -> bool:
        return any(mask[i] for i, _ in self.picks)


def select(
    educator: EducatorInput,
    catalog: CatalogArrays,
    weights: Weights,
    scores: Scores,
    features: Similarity,
    *,
    size: int,
    reserved: int,
    explore: bool,
) -> Shortlist:
    considered = int(scores.eligible.sum())
    picker = _Picker(scores, features, weights)
    size = min(size, considered)
    priority = np.asarray(catalog.priority, dtype=bool)
    explore_pick = -1
    slots = size

    def free() -> int:
        return slots - len(picker.picks)

    if slots and reserved < size:
        picker.take(picker.best(), "best_fit")
    while free() > 0 and sum(priority[i] for i, _ in picker.picks) < reserved:
        index = picker.best(priority)
        if index < 0:
            break
        picker.take(index, "priority")

    in_goal = np.asarray(educator.in_goal, dtype=bool)
    required = [("short", catalog.hours <= weights.short_hours)]
    if in_goal.any():
        required.append(("goal", catalog.alignment[:, in_goal].sum(axis=1) > 0))
    if educator.stage in SENIOR_STAGES:
        required.append(("leadership", np.asarray(catalog.leadership, dtype=bool)))
    for slot, mask in required:
        if free() > 0 and not picker.has(mask):
            index = picker.best(mask)
            if index >= 0:
                picker.take(index, slot)

    if explore and free() > 0:
        explore_pick = picker.best(np.asarray(catalog.is_new, dtype=bool))
        if explore_pick >= 0:
            picker.candidates[explore_pick] = False
            slots -= 1

    floor = picker.relative >= weights.choice_floor
    while free() > 0:
        index = picker.best(floor)
        if index < 0:
            index = picker.best()
        if index < 0:
            break
        picker.take(index, "choice")

    _ensure_two_formats(picker, catalog)
    if explore_pick >= 0:
        picker.picks.append((explore_pick, "explore"))
    picks = tuple(_pick(index, slot, educator, catalog, scores) for index, slot in picker.picks)
    return Shortlist(picks=picks, mode=scores.mode, considered=considered)


def _ensure_two_formats(picker: _Picker, catalog: CatalogArrays) -> None:
    formats = {int(catalog.format_index[i]) for i, _ in picker.picks}
    if len(formats) != 1:
        return
    choices = [position for position, (_, slot) in enumerate(picker.picks) if slot == "choice"]
    if not choices:
        return
    other = catalog.format_index != formats.pop()
    index = picker.best(other)
    if index >= 0:
        picker.picks[choices[-1]] = (index, "choice")


def _pick(
    index: int, slot: str, educator: EducatorInput, catalog: CatalogArrays, scores: Scores
) -> Pick:
    return Pick(
        index=index,
        offering_id=catalog.offering_ids[index],
        score=round(float(scores.total[index]), 3),
        need_match=round(float(scores.need_match[index]), 4),
        fit=round(float(scores.fit[index]), 4),
        effectiveness=round(float(scores.effectiveness[index]), 4),
        feasibility=round(float(scores.feasibility[index]), 4),
        credit_bonus=round(float(scores.credit_bonus[index]), 3),
        slot=slot,
        reasons=reasons_for(index, slot, educator, catalog, scores),
    )
