"""Seeded synthetic catalogs and educators for tests, the benchmark and the offline evaluation.

Shapes follow real districts loosely: most offerings align to one to three competencies, about
a third are short (≤ 3 h), ratings are inflated toward 5 stars, few offerings have rigorous
evidence. Everything comes from one numpy Generator, so a seed gives the same data every time.
"""

from __future__ import annotations

import numpy as np

from .types import DESIGN_FEATURES, STAGES, TIERS, CatalogArrays, EducatorInput

FORMATS: tuple[str, ...] = (
    "in_person",
    "online_live",
    "self_paced",
    "coaching",
    "plc",
    "micro_credential",
)


def _rng(seed) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def catalog(seed, offerings: int, competencies: int = 22) -> CatalogArrays:
    rng = _rng(seed)
    n, c = offerings, competencies
    alignment = np.zeros((n, c), dtype=np.float32)
    spans = rng.integers(1, 4, size=n)
    for i in range(n):
        chosen = rng.choice(c, size=min(spans[i], c), replace=False)
        alignment[i, chosen] = rng.dirichlet(np.ones(len(chosen)))
    short = rng.random(n) < 0.35
    hours = np.where(short, rng.uniform(0.5, 3.0, n), rng.gamma(2.0, 12.0, n) + 3).astype(
        np.float32
    )
    format_index = rng.integers(0, len(FORMATS), size=n).astype(np.int16)
    features = rng.random((n, len(DESIGN_FEATURES))) < 0.4
    features[:, DESIGN_FEATURES.index("coaching")] |= format_index == FORMATS.index("coaching")
    rating_count = rng.poisson(rng.choice([0.5, 5.0, 40.0], size=n)).astype(np.int32)
    rating_mean = np.clip(rng.normal(4.2, 0.5, n), 1, 5)
    used_count = rng.binomial(rating_count, 0.6).astype(np.int32)
    used_yes = rng.binomial(used_count, np.clip(rng.normal(0.65, 0.15, n), 0, 1)).astype(np.int32)
    tier = rng.choice(len(TIERS), size=n, p=[0.05, 0.08, 0.12, 0.25, 0.50]).astype(np.int8)
    effect = np.where(tier <= 2, rng.normal(0.12, 0.08, n), np.nan).astype(np.float32)
    effect[rng.random(n) < 0.3] = np.nan
    vetted = rng.random(n) < 0.7
    growth_n = np.where(rng.random(n) < 0.1, rng.integers(3, 60, n), 0).astype(np.int32)
    stage_bits = np.where(rng.random(n) < 0.6, 0, 1 << rng.integers(0, len(STAGES), n)).astype(
        np.int8
    )
    leadership = rng.random(n) < 0.05
    stage_bits = np.where(leadership, 0b1100, stage_bits).astype(np.int8)
    return CatalogArrays(
        offering_ids=[f"o{i}" for i in range(n)],
        titles=[f"Offering {i}" for i in range(n)],
        competency_ids=[f"c{j}" for j in range(c)],
        competency_names=[f"Competency {j}" for j in range(c)],
        alignment=alignment,
        hours=hours,
        cost=np.where(rng.random(n) < 0.6, 0, rng.uniform(20, 600, n)).astype(np.float32),
        span_weeks=np.where(short, 0, rng.integers(1, 20, n)).astype(np.float32),
        tier=tier,
        effect_size=effect,
        design_features=features,
        vetting_score=np.where(vetted, rng.uniform(0.4, 1.0, n), np.nan).astype(np.float32),
        vetting_failed=rng.random(n) < 0.03,
        rating_sum=(rating_mean * rating_count).astype(np.float32),
        rating_count=rating_count,
        used_yes=used_yes,
        used_count=used_count,
        growth_effect=np.where(growth_n > 0, rng.normal(0.2, 0.2, n), np.nan).astype(np.float32),
        growth_n=growth_n,
        formats=list(FORMATS),
        format_index=format_index,
        grade_band_bits=np.where(rng.random(n) < 0.5, 0, 1 << rng.integers(0, 4, n)).astype(
            np.int32
        ),
        subject_bits=np.where(rng.random(n) < 0.6, 0, 1 << rng.integers(0, 8, n)).astype(np.int64),
        position_bits=np.where(rng.random(n) < 0.9, 0, 1 << rng.integers(0, 3, n)).astype(np.int32),
        stage_bits=stage_bits,
        student_bits=np.where(rng.random(n) < 0.8, 0, 1 << rng.integers(0, 3, n)).astype(np.int32),
        credit_value=np.round(hours).astype(np.float32),
        priority=rng.random(n) < 0.03,
        leadership=leadership,
        is_new=rng.random(n) < 0.05,
    )


def educator(
    seed, competencies: int = 22, *, stage: str | None = None, name: str = "e0"
) -> EducatorInput:
    rng = _rng(seed)
    c = competencies
    stage = stage or str(rng.choice(STAGES))
    base = {"novice": 2.2, "developing": 2.6, "experienced": 3.0, "veteran": 3.2}[stage]
    observed_count = rng.poisson(1.5, c).astype(np.float32)
    observed = np.clip(rng.normal(base, 0.5, c), 1, 4).round(1).astype(np.float32)
    observed[observed_count == 0] = np.nan
    self_rating = np.where(
        rng.random(c) < 0.7, np.clip(np.round(rng.normal(base + 0.3, 0.5, c)), 1, 4), np.nan
    )
    goals = np.zeros(c, dtype=bool)
    goals[rng.choice(c, size=2, replace=False)] = True
    return EducatorInput(
        educator_id=name,
        stage=stage,
        scale_max=4,
        observed_mean=observed,
        observed_count=observed_count,
        self_rating=self_rating.astype(np.float32),
        anchor=np.full(c, 2.9, dtype=np.float32),
        target=np.full(c, 3.0, dtype=np.float32),
        in_goal=goals,
        school_priority=rng.random(c) < 0.15,
        district_priority=rng.random(c) < 0.1,
        grade_band_bits=int(1 << rng.integers(0, 4)),
        subject_bits=int(1 << rng.integers(0, 8)),
        position_bits=1,
        student_bits=int(rng.integers(0, 8)),
        preferred_formats=frozenset(
            int(f) for f in rng.choice(len(FORMATS), size=2, replace=False)
        ),
        available_hours=float(rng.choice([10.0, 20.0, 40.0])),
        budget=float(rng.choice([0.0, 200.0, 1000.0])),
        credit_needed=float(rng.choice([0.0, 30.0, 90.0])),
    )


def district(seed, educators: int, offerings: int, competencies: int = 22):
    """(catalog, [educators]) from one seed."""
    rng = _rng(seed)
    return catalog(rng, offerings, competencies), [
        educator(rng, competencies, name=f"e{i}") for i in range(educators)
    ]


def needs(seed, educators: int, competencies: int = 22) -> np.ndarray:
    """(m, c) float32 need vectors, each summing to 1, concentrated on a few competencies."""
    rng = _rng(seed)
    raw = rng.gamma(0.3, 1.0, size=(educators, competencies)).astype(np.float32)
    raw[:, 0] += 1e-3  # no all-zero rows
    return raw / raw.sum(axis=1, keepdims=True)


def build_catalog(alignment, **columns) -> CatalogArrays:
    """A hand-built catalog: `alignment` (n, c) plus any columns; the rest are neutral.

    Neutral = 2 hours, free, no evidence, no design features, not vetted, no ratings, any
    grade/subject/role/stage, first format, no credit, not priority/leadership/new.
    """
    alignment = np.asarray(alignment, dtype=np.float32)
    n, c = alignment.shape
    defaults = {
        "offering_ids": [f"o{i}" for i in range(n)],
        "titles": [f"Offering {i}" for i in range(n)],
        "competency_ids": [f"c{j}" for j in range(c)],
        "competency_names": [f"Competency {j}" for j in range(c)],
        "hours": np.full(n, 2.0, dtype=np.float32),
        "cost": np.zeros(n, dtype=np.float32),
        "span_weeks": np.zeros(n, dtype=np.float32),
        "tier": np.full(n, TIERS.index("none"), dtype=np.int8),
        "effect_size": np.full(n, np.nan, dtype=np.float32),
        "design_features": np.zeros((n, len(DESIGN_FEATURES)), dtype=bool),
        "vetting_score": np.full(n, np.nan, dtype=np.float32),
        "vetting_failed": np.zeros(n, dtype=bool),
        "rating_sum": np.zeros(n, dtype=np.float32),
        "rating_count": np.zeros(n, dtype=np.int32),
        "used_yes": np.zeros(n, dtype=np.int32),
        "used_count": np.zeros(n, dtype=np.int32),
        "growth_effect": np.full(n, np.nan, dtype=np.float32),
        "growth_n": np.zeros(n, dtype=np.int32),
        "formats": list(FORMATS),
        "format_index": np.zeros(n, dtype=np.int16),
        "grade_band_bits": np.zeros(n, dtype=np.int32),
        "subject_bits": np.zeros(n, dtype=np.int64),
        "position_bits": np.zeros(n, dtype=np.int32),
        "stage_bits": np.zeros(n, dtype=np.int8),
        "student_bits": np.zeros(n, dtype=np.int32),
        "credit_value": np.zeros(n, dtype=np.float32),
        "priority": np.zeros(n, dtype=bool),
        "leadership": np.zeros(n, dtype=bool),
        "is_new": np.zeros(n, dtype=bool),
    }
    unknown = set(columns) - set(defaults)
    if unknown:
        raise ValueError(f"Unknown catalog columns: {sorted(unknown)}")
    for name, value in columns.items():
        template = defaults[name]
        defaults[name] = (
            np.asarray(value, dtype=template.dtype) if isinstance(template, np.ndarray) else value
        )
    return CatalogArrays(alignment=alignment, **defaults)


def build_educator(competencies: int, **fields) -> EducatorInput:
    """A hand-built educator: nothing known (cold start), target 3 of 4, unless `fields` say."""
    c = competencies
    values = {
        "educator_id": "e0",
        "stage": "developing",
        "scale_max": 4,
        "observed_mean": np.full(c, np.nan, dtype=np.float32),
        "observed_count": np.zeros(c, dtype=np.float32),
        "self_rating": np.full(c, np.nan, dtype=np.float32),
        "anchor": np.full(c, np.nan, dtype=np.float32),
        "target": np.full(c, 3.0, dtype=np.float32),
        "in_goal": np.zeros(c, dtype=bool),
        "school_priority": np.zeros(c, dtype=bool),
        "district_priority": np.zeros(c, dtype=bool),
    }
    for name, value in fields.items():
        template = values.get(name)
        values[name] = (
            np.asarray(value, dtype=template.dtype) if isinstance(template, np.ndarray) else value
        )
    return EducatorInput(**values)
