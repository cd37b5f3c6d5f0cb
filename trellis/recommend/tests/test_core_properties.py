"""Properties of the engine over generated catalogs and educators (hypothesis)."""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from trellis.recommend.core import engine, synthetic
from trellis.recommend.core.shrinkage import shrunk_mean
from trellis.recommend.core.types import STAGES

COMPETENCIES = 6
SETTINGS = settings(max_examples=100, deadline=None, derandomize=True)

seeds = st.integers(min_value=0, max_value=2**32 - 1)
offering_counts = st.integers(min_value=3, max_value=60)
stages = st.sampled_from(STAGES)


def world(seed: int, offerings: int, stage: str):
    rng = np.random.default_rng(seed)
    catalog = synthetic.catalog(rng, offerings, COMPETENCIES)
    educator = synthetic.educator(rng, COMPETENCIES, stage=stage)
    return catalog, educator


def with_copies(catalog, source: int, alignments):
    """The catalog plus one copy of offering `source` per alignment row (all else identical)."""

    def extend(value, extra_rows):
        if isinstance(value, np.ndarray):
            return np.concatenate([value, extra_rows])
        return list(value) + [value[source]] * len(alignments)

    changed = {}
    for item in dataclasses.fields(catalog):
        value = getattr(catalog, item.name)
        if item.name in ("competency_ids", "competency_names", "formats"):
            continue
        if item.name == "derived":
            changed[item.name] = {}
            continue
        if item.name == "alignment":
            changed[item.name] = np.concatenate([value, np.asarray(alignments, dtype=np.float32)])
        elif item.name == "offering_ids":
            changed[item.name] = list(value) + [f"copy{i}" for i in range(len(alignments))]
        else:
            changed[item.name] = extend(
                value, np.repeat(value[source : source + 1], len(alignments), axis=0)
            )
    return dataclasses.replace(catalog, **changed)


@SETTINGS
@given(
    seed=seeds,
    offerings=offering_counts,
    stage=stages,
    source=st.integers(0, 59),
    unaligned_first=st.booleans(),
)
def test_an_offering_aligned_to_no_need_never_outranks_one_for_the_top_need(
    seed, offerings, stage, source, unaligned_first
):
    catalog, educator = world(seed, offerings, stage)
    source %= offerings
    need, _ = engine.need_vector(educator, engine.DEFAULT_WEIGHTS)
    top = np.zeros(COMPETENCIES, dtype=np.float32)
    top[int(np.argmax(need))] = 1.0
    nothing = np.zeros(COMPETENCIES, dtype=np.float32)
    rows = [nothing, top] if unaligned_first else [top, nothing]
    extended = with_copies(catalog, source, rows)
    scores = engine.score(educator, extended)
    aligned, unaligned = (
        (offerings + 1, offerings) if unaligned_first else (offerings, offerings + 1)
    )
    assume(scores.eligible[aligned])
    assert scores.total[aligned] > scores.total[unaligned]
    ranking = np.lexsort((np.arange(len(scores.total)), -scores.total))
    assert list(ranking).index(aligned) < list(ranking).index(unaligned)


@SETTINGS
@given(
    prior=st.floats(min_value=1.0, max_value=4.5),
    strength=st.floats(min_value=10.0, max_value=100.0),
)
def test_two_five_star_ratings_never_beat_two_hundred_averaging_four_point_six(prior, strength):
    few, many = shrunk_mean([10.0, 920.0], [2, 200], prior, strength)
    assert few < many


@SETTINGS
@given(seed=seeds, offerings=offering_counts, source=st.integers(0, 59))
def test_few_perfect_ratings_lose_to_many_good_ones_in_the_engine(seed, offerings, source):
    catalog, educator = world(seed, offerings, "developing")
    source %= offerings
    extended = with_copies(catalog, source, [catalog.alignment[source]] * 2)
    extended.rating_sum[-2:] = [10.0, 920.0]
    extended.rating_count[-2:] = [2, 200]
    extended.used_yes[-2:] = 0  # same "used it in class" answers: only the stars differ
    extended.used_count[-2:] = 0
    scores = engine.score(educator, extended)
    assume(scores.parts.stars_prior < 4.5)
    assert scores.parts.stars[-2] < scores.parts.stars[-1]
    assert scores.effectiveness[-2] < scores.effectiveness[-1]


@SETTINGS
@given(
    seed=seeds,
    offerings=offering_counts,
    stage=stages,
    size=st.integers(1, 6),
    reserved=st.integers(0, 6),
    explore=st.booleans(),
)
def test_shortlist_size_reserved_slots_and_dismissals(
    seed, offerings, stage, size, reserved, explore
):
    catalog, educator = world(seed, offerings, stage)
    reserved = min(reserved, size)
    rng = np.random.default_rng(seed + 1)
    catalog.priority[:] = rng.random(offerings) < 0.3
    dismissed = frozenset(
        int(i) for i in rng.choice(offerings, size=min(3, offerings), replace=False)
    )
    educator = dataclasses.replace(educator, dismissed=dismissed)
    result = engine.shortlist(educator, catalog, size=size, reserved=reserved, explore=explore)
    scores = engine.score(educator, catalog)
    eligible = int(scores.eligible.sum())
    picked = [pick.index for pick in result.picks]
    assert result.considered == eligible
    assert len(picked) == min(size, eligible)
    assert len(set(picked)) == len(picked)
    assert not set(picked) & dismissed
    assert all(scores.eligible[i] for i in picked)
    priority_available = int((scores.eligible & catalog.priority).sum())
    assert sum(bool(catalog.priority[i]) for i in picked) >= min(reserved, priority_available)
    assert all(len(pick.reasons) >= 2 for pick in result.picks)
    assert result == engine.shortlist(
        educator, catalog, size=size, reserved=reserved, explore=explore
    )


@SETTINGS
@given(
    seed=seeds,
    offerings=offering_counts,
    stage=st.sampled_from(["novice", "developing"]),
    size=st.integers(3, 6),
)
def test_short_and_goal_options_are_included_when_they_exist(seed, offerings, stage, size):
    catalog, educator = world(seed, offerings, stage)
    result = engine.shortlist(educator, catalog, size=size)
    scores = engine.score(educator, catalog)
    picked = [pick.index for pick in result.picks]
    short = catalog.hours <= engine.DEFAULT_WEIGHTS.short_hours
    if (scores.eligible & short).any():
        assert any(short[i] for i in picked)
    goal_tied = catalog.alignment[:, educator.in_goal].sum(axis=1) > 0
    if (scores.eligible & goal_tied).any():
        assert any(goal_tied[i] for i in picked)


@SETTINGS
@given(seed=seeds, offerings=offering_counts, stage=stages, size=st.integers(5, 6))
def test_two_formats_when_possible(seed, offerings, stage, size):
    catalog, educator = world(seed, offerings, stage)
    result = engine.shortlist(educator, catalog, size=size)
    scores = engine.score(educator, catalog)
    picked = [pick.index for pick in result.picks]
    if len({int(catalog.format_index[i]) for i in np.flatnonzero(scores.eligible)}) >= 2:
        assert len({int(catalog.format_index[i]) for i in picked}) >= 2


@SETTINGS
@given(
    seed=seeds,
    offerings=offering_counts,
    stage=st.sampled_from(["experienced", "veteran"]),
    size=st.integers(4, 6),
)
def test_experienced_educators_get_a_leadership_path_when_one_is_eligible(
    seed, offerings, stage, size
):
    catalog, educator = world(seed, offerings, stage)
    result = engine.shortlist(educator, catalog, size=size)
    scores = engine.score(educator, catalog)
    if (scores.eligible & catalog.leadership).any():
        assert any(catalog.leadership[pick.index] for pick in result.picks)
