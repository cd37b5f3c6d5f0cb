"""The engine's inputs and outputs: plain dataclasses over numpy arrays, no Django.

The Django side (trellis.recommend.inputs) fills these from the database; the engine
(trellis.recommend.core.engine) ranks and explains. Index i of every catalog array is the
offering `CatalogArrays.offering_ids[i]`; index c of every competency array is the competency
`CatalogArrays.competency_ids[c]`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# Career stages, in order (trellis.growth.career.CareerStage values).
STAGES: tuple[str, ...] = ("novice", "developing", "experienced", "veteran")

# ESSA tiers as stored on offerings ("1".."4", "none").
TIERS: tuple[str, ...] = ("1", "2", "3", "4", "none")

# Research-linked design features (trellis.catalog.models.DesignFeature values), column order of
# CatalogArrays.design_features.
DESIGN_FEATURES: tuple[str, ...] = (
    "content_focus",
    "active_learning",
    "collaboration",
    "modelling",
    "coaching",
    "feedback_reflection",
    "sustained",
    "job_embedded",
)


@dataclass
class CatalogArrays:
    """Every offering an educator could be recommended, as columns (n offerings, c competencies)."""

    offering_ids: list[str]  # public ids, length n
    titles: list[str]  # for explanations
    competency_ids: list[str]  # public ids, length c
    competency_names: list[str]  # short names for explanations
    alignment: np.ndarray  # (n, c) float32, each row sums to 1 (or is all 0: aligned to nothing)
    hours: np.ndarray  # (n,) float32
    cost: np.ndarray  # (n,) float32, dollars
    span_weeks: np.ndarray  # (n,) float32, 0 when unknown
    tier: np.ndarray  # (n,) int8 index into TIERS
    effect_size: np.ndarray  # (n,) float32 reported student-outcome effect (SD), nan if none
    design_features: np.ndarray  # (n, len(DESIGN_FEATURES)) bool
    vetting_score: np.ndarray  # (n,) float32 in 0..1, nan when not vetted
    vetting_failed: np.ndarray  # (n,) bool: essential rubric items not met (never recommended)
    rating_sum: np.ndarray  # (n,) float32, sum of 1..5 star ratings
    rating_count: np.ndarray  # (n,) int32
    used_yes: np.ndarray  # (n,) int32, "used it in my classroom" answers yes
    used_count: np.ndarray  # (n,) int32, answers to that question
    growth_effect: np.ndarray  # (n,) float32 measured growth of past participants (levels), nan
    growth_n: np.ndarray  # (n,) int32 participants behind growth_effect
    formats: list[str]  # format vocabulary (growth.LearningFormat values)
    format_index: np.ndarray  # (n,) int16 index into formats
    grade_band_bits: np.ndarray  # (n,) int32 bitmask over grade bands; 0 = all grades
    subject_bits: np.ndarray  # (n,) int64 bitmask over the subject vocabulary; 0 = any subject
    position_bits: np.ndarray  # (n,) int32 bitmask over positions; 0 = any role
    stage_bits: np.ndarray  # (n,) int8 bitmask over STAGES; 0 = any stage
    student_bits: np.ndarray  # (n,) int32 bitmask over student groups; 0 = general
    credit_value: np.ndarray  # (n,) float32 renewal credit (in the educator's licence unit)
    priority: np.ndarray  # (n,) bool: district marked it required/priority (reserved slots)
    leadership: np.ndarray  # (n,) bool: a leadership path (lead a PLC, mentor, assess, present)
    is_new: np.ndarray  # (n,) bool: published recently (exploration slot)
    # Per-offering values the engine derives once per catalog and weights (effectiveness,
    # similarity norms), so repeated shortlists skip them. Treat a catalog as read-only once
    # it has been scored; build a new one (or clear this) after changing any column.
    derived: dict = field(default_factory=dict, repr=False, compare=False)


@dataclass
class EducatorInput:
    """One educator's need and circumstances, aligned to CatalogArrays.competency_ids."""

    educator_id: str
    stage: str  # one of STAGES
    scale_max: int  # top level of the framework's rating scale (e.g. 4)
    observed_mean: np.ndarray  # (c,) float32 mean observation rating, nan when none
    observed_count: np.ndarray  # (c,) float32 number of observations (recency-weighted allowed)
    self_rating: np.ndarray  # (c,) float32 latest self-assessment, nan when none
    anchor: np.ndarray  # (c,) float32 school/district mean level, nan when unknown
    target: np.ndarray  # (c,) float32 target level
    in_goal: np.ndarray  # (c,) bool: in one of the educator's open goals
    school_priority: np.ndarray  # (c,) bool
    district_priority: np.ndarray  # (c,) bool
    grade_band_bits: int = 0
    subject_bits: int = 0
    position_bits: int = 0
    student_bits: int = 0
    preferred_formats: frozenset[int] = frozenset()  # indices into CatalogArrays.formats
    available_hours: float | None = None  # for the planning window; None = unknown
    budget: float | None = None  # dollars; None = unknown
    credit_needed: float = 0.0  # renewal credit still needed (0 = none or unknown)
    credit_unit: tuple[str, str] = ("hour", "hours")  # the licence unit, singular and plural
    excluded: frozenset[int] = frozenset()  # offering indices: taken, enrolled, dismissed
    dismissed: frozenset[int] = frozenset()  # "not for me": also steers away from similar ones
    saved: frozenset[int] = frozenset()  # "save": steers towards similar ones
    boosted: frozenset[int] = frozenset()  # suggested by the educator's coach
    # (c,) bool: competencies emphasised for the educator's career stage (e.g. classroom
    # environment for novices); None = none.
    stage_emphasis: np.ndarray | None = None


@dataclass(frozen=True)
class Reason:
    """One plain-language line of "why", with the figures behind it."""

    code: str  # need | goal | fit | evidence | design | rating | growth | time | cost | credit |
    #            short | priority | coach | cold_start | leadership | explore | not_vetted
    text: str
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Pick:
    index: int  # into CatalogArrays
    offering_id: str
    score: float  # 0..~105
    need_match: float
    fit: float
    effectiveness: float
    feasibility: float
    credit_bonus: float
    slot: str  # best_fit | goal | short | priority | choice | explore | leadership
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Shortlist:
    picks: tuple[Pick, ...]
    mode: str  # need | cold_start | expertise
    considered: int  # offerings that passed the filters
