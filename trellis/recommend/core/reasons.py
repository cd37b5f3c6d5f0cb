"""Plain-language reasons for a pick, built from the arrays (never written per offering)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .factors import COACHING
from .types import DESIGN_FEATURES, STAGES, TIERS, CatalogArrays, EducatorInput, Reason

if TYPE_CHECKING:
    from .engine import Scores

TIER_NAMES = {
    "1": "ESSA Tier 1 (strong: a randomised trial)",
    "2": "ESSA Tier 2 (moderate: a quasi-experiment)",
    "3": "ESSA Tier 3 (promising: a correlational study)",
    "4": "ESSA Tier 4 (a research-based rationale)",
}
FEATURE_NAMES = {
    "content_focus": "content focus",
    "active_learning": "active learning",
    "collaboration": "collaboration",
    "modelling": "modelling",
    "coaching": "coaching",
    "feedback_reflection": "feedback and reflection",
    "sustained": "sustained over time",
    "job_embedded": "job-embedded",
}
STAGE_NAMES = {
    "novice": "new",
    "developing": "developing",
    "experienced": "experienced",
    "veteran": "veteran",
}


def figure(value: float, places: int = 1) -> str:
    """2.30 → "2.3", 3.0 → "3"."""
    text = f"{value:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def plural(count: float, word: str) -> str:
    text = figure(count)
    return f"{text} {word}{'' if text == '1' else 's'}"


def need_reason(
    index: int, educator: EducatorInput, catalog: CatalogArrays, scores: Scores
) -> Reason | None:
    contribution = catalog.alignment[index] * scores.need
    if contribution.max() <= 0:
        return None
    c = int(np.argmax(contribution))
    name = catalog.competency_names[c]
    evidence = []
    observed, count = educator.observed_mean[c], educator.observed_count[c]
    if not np.isnan(observed) and count > 0:
        evidence.append(f"observed {figure(observed)} from {plural(count, 'observation')}")
    if not np.isnan(educator.self_rating[c]):
        evidence.append(f"self {figure(educator.self_rating[c])}")
    if not evidence and not np.isnan(educator.anchor[c]):
        evidence.append(f"school average {figure(educator.anchor[c])}")
    target = float(educator.scale_max) if scores.mode == "expertise" else float(educator.target[c])
    evidence.append(f"target {figure(target)}")
    in_goal = bool(educator.in_goal[c])
    text = f"{name}: {', '.join(evidence)}"
    if scores.mode == "expertise":
        text = f"Stretch toward the top level in {name} ({', '.join(evidence)})"
    if in_goal:
        text += " — one of your goals"
    data = {
        "competency_id": catalog.competency_ids[c],
        "competency": name,
        "observed": None if np.isnan(observed) else round(float(observed), 2),
        "observations": float(count) if not np.isnan(count) else 0.0,
        "self": None if np.isnan(educator.self_rating[c]) else float(educator.self_rating[c]),
        "target": target,
        "share_of_need": round(float(scores.need[c]), 3),
        "coverage": round(float(catalog.alignment[index, c]), 3),
    }
    return Reason("goal" if in_goal else "need", text, data)


def fit_reason(
    index: int, educator: EducatorInput, catalog: CatalogArrays, scores: Scores
) -> Reason:
    parts = []
    if educator.grade_band_bits:
        parts.append("your grade band" if catalog.grade_band_bits[index] else "all grades")
    if educator.subject_bits:
        parts.append("your subject" if catalog.subject_bits[index] else "any subject")
    stage_bits = int(catalog.stage_bits[index])
    if stage_bits and educator.stage in STAGES and stage_bits & (1 << STAGES.index(educator.stage)):
        parts.append(f"{STAGE_NAMES[educator.stage]} educators")
    elif not stage_bits:
        parts.append("every career stage")
    else:
        aimed = [STAGE_NAMES[s] for i, s in enumerate(STAGES) if stage_bits & (1 << i)]
        parts.append(f"aimed at {' and '.join(aimed)} educators")
    form = catalog.formats[int(catalog.format_index[index])] if catalog.formats else ""
    if form:
        preferred = int(catalog.format_index[index]) in educator.preferred_formats
        parts.append(f"{form.replace('_', ' ')}{' (a format you prefer)' if preferred else ''}")
    fit = float(scores.fit[index])
    text = f"Fit {figure(fit * 100, 0)}%: {', '.join(parts)}"
    return Reason("fit", text, {"fit": round(fit, 3), "format": form})


def evidence_reason(index: int, catalog: CatalogArrays, scores: Scores) -> Reason:
    tier = TIERS[int(catalog.tier[index])]
    parts = scores.parts
    features = [
        FEATURE_NAMES[f]
        for f, on in zip(DESIGN_FEATURES, catalog.design_features[index], strict=True)
        if on
    ]
    effect = catalog.effect_size[index]
    if tier in TIER_NAMES:
        text = TIER_NAMES[tier]
        if not np.isnan(effect):
            text += f", +{figure(effect, 2)} SD reported"
    else:
        text = "No formal research evidence yet"
    if features:
        text += f"; design: {', '.join(features)} ({len(features)} of {len(DESIGN_FEATURES)})"
    data = {
        "tier": tier,
        "effect_size": None if np.isnan(effect) else float(effect),
        "expected_effect": round(float(parts.expected_effect[index]), 3),
        "design": round(float(parts.design[index]), 3),
        "features": features,
        "coaching": bool(catalog.design_features[index, COACHING]),
    }
    return Reason("evidence", text, data)


def rating_reason(index: int, catalog: CatalogArrays, scores: Scores) -> Reason:
    count = int(catalog.rating_count[index])
    parts = scores.parts
    shrunk = float(parts.stars[index])
    if count:
        text = (
            f"{figure(shrunk)}★ from {plural(count, 'rating')}, adjusted toward the catalog mean "
            f"({figure(parts.stars_prior)}★)"
        )
    else:
        text = f"Not rated yet (counted as the catalog mean, {figure(parts.stars_prior)}★)"
    answers = int(catalog.used_count[index])
    if answers:
        text += (
            f"; {figure(100 * catalog.used_yes[index] / answers, 0)}% of {answers} used it in class "
            f"({figure(100 * parts.used[index], 0)}% adjusted)"
        )
    data = {
        "adjusted": round(shrunk, 2),
        "count": count,
        "raw": round(float(catalog.rating_sum[index]) / count, 2) if count else None,
        "used_in_class": round(float(parts.used[index]), 3),
    }
    return Reason("rating", text, data)


def time_reason(index: int, educator: EducatorInput, catalog: CatalogArrays) -> Reason:
    hours = float(catalog.hours[index])
    weeks = float(catalog.span_weeks[index])
    cost = float(catalog.cost[index])
    text = plural(hours, "hour")
    if weeks > 0:
        text += f" over {plural(weeks, 'week')}"
    text += ", free" if cost <= 0 else f", ${figure(cost, 0)}"
    if educator.available_hours is not None:
        text += f" (you have {figure(educator.available_hours)} h available)"
    return Reason("time", text, {"hours": hours, "span_weeks": weeks, "cost": cost})


def _in_unit(value: float, educator: EducatorInput) -> str:
    one, many = educator.credit_unit
    text = figure(value)
    return f"{text} {one if text == '1' else many}"


def credit_reason(index: int, educator: EducatorInput, catalog: CatalogArrays) -> Reason | None:
    credit = float(catalog.credit_value[index])
    if credit <= 0:
        return None
    text = f"Counts {_in_unit(credit, educator)} toward your renewal"
    if educator.credit_needed > 0:
        text += f" (you still need {_in_unit(educator.credit_needed, educator)})"
    return Reason("credit", text, {"credit": credit, "needed": float(educator.credit_needed)})


def cold_start_reason(index: int, catalog: CatalogArrays, scores: Scores) -> Reason:
    tier = TIERS[int(catalog.tier[index])]
    strength = (
        TIER_NAMES[tier].split(" (")[0] + " evidence" if tier in TIER_NAMES else "well designed"
    )
    count = int(catalog.rating_count[index])
    if count:
        strength += f", {figure(float(scores.parts.stars[index]))}★ from {plural(count, 'rating')}"
    text = f"Good for everyone: {strength}; take the 5-minute self-check for picks fitted to you"
    return Reason("cold_start", text, {"tier": tier, "ratings": count})


SLOT_REASONS = {
    "priority": ("priority", "A district priority: a slot on every list is kept for these"),
    "short": ("short", "A short option to start with"),
    "leadership": (
        "leadership",
        "A leadership path: share your expertise (lead, mentor, assess, present)",
    ),
    "explore": ("explore", "New in the catalog: worth a look"),
}


def reasons_for(
    index: int, slot: str, educator: EducatorInput, catalog: CatalogArrays, scores: Scores
) -> tuple[Reason, ...]:
    reasons: list[Reason] = []
    if slot in SLOT_REASONS:
        code, text = SLOT_REASONS[slot]
        if slot == "short":
            text += f" ({plural(float(catalog.hours[index]), 'hour')})"
        reasons.append(Reason(code, text, {"slot": slot}))
    if index in educator.boosted:
        reasons.append(Reason("coach", "Suggested by your coach", {}))
    if scores.mode == "cold_start":
        reasons.append(cold_start_reason(index, catalog, scores))
    else:
        need = need_reason(index, educator, catalog, scores)
        if need is not None:
            reasons.append(need)
    reasons.append(fit_reason(index, educator, catalog, scores))
    reasons.append(evidence_reason(index, catalog, scores))
    if catalog.growth_n[index] > 0 and not np.isnan(catalog.growth_effect[index]):
        reasons.append(
            Reason(
                "growth",
                f"Past participants grew {figure(catalog.growth_effect[index], 2)} levels "
                f"(from {plural(int(catalog.growth_n[index]), 'participant')})",
                {"growth": float(catalog.growth_effect[index]), "n": int(catalog.growth_n[index])},
            )
        )
    reasons.append(rating_reason(index, catalog, scores))
    reasons.append(time_reason(index, educator, catalog))
    credit = credit_reason(index, educator, catalog)
    if credit is not None:
        reasons.append(credit)
    if np.isnan(catalog.vetting_score[index]):
        reasons.append(Reason("not_vetted", "Not yet vetted by the district", {}))
    return tuple(reasons)
