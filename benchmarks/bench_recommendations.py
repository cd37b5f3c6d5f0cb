"""The recommendation engine (trellis.recommend.core), pure numpy on synthetic data; no database.

- `recommend_shortlist_10k`: median time of `shortlist(...)` for one educator over 10,000
  offerings (inputs precomputed as arrays; need, every factor, MMR, constraints and reasons);
  baseline: a bare numpy dot product (alignment @ need) plus top-10 (argpartition + sort of the
  10) over the same shape, measured in this run. Goal: ≤ 5 ms.
- `recommend_score_batch_100k_x_10k`: 100,000 educators × 10,000 offerings through
  `score_batch` (chunks of 2,048 educators, top 10 each); baseline: the bare dense product
  `needs[chunk] @ alignment.T` over the same chunks (a full 100,000 × 10,000 float32 product would
  need 4 GB, so it is chunked the same way). Goal: ratio ≤ 3. The line also carries the peak
  memory traced by tracemalloc during a separate, untimed run (goal < 2 GB).
- `recommend_eval_*`: the offline evaluation of a synthetic district (2,000 educators × 500
  offerings): the engine's shortlists against a top-N-by-score baseline of the same sizes.

Knobs: BENCH_RECOMMEND_EDUCATORS (100000), BENCH_RECOMMEND_OFFERINGS (10000),
BENCH_RECOMMEND_REPEATS (200 single-educator runs), BENCH_RECOMMEND_EVAL_EDUCATORS (2000).
"""

from __future__ import annotations

import os
import resource
import statistics
import time
import tracemalloc

import numpy as np

from benchmarks._support import LOAD_AT_START, emit, log
from trellis.recommend.core import engine, evaluation, synthetic

EDUCATORS = int(os.environ.get("BENCH_RECOMMEND_EDUCATORS", "100000"))
OFFERINGS = int(os.environ.get("BENCH_RECOMMEND_OFFERINGS", "10000"))
REPEATS = int(os.environ.get("BENCH_RECOMMEND_REPEATS", "200"))
EVAL_EDUCATORS = int(os.environ.get("BENCH_RECOMMEND_EVAL_EDUCATORS", "2000"))
COMPETENCIES = 22  # the Danielson Framework for Teaching's component count
CHUNK = 2048


def median_ms(operation, repeats: int) -> float:
    operation(0)  # warm-up
    timings = []
    for i in range(repeats):
        started = time.perf_counter()
        operation(i)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def bench_shortlist() -> None:
    catalog = synthetic.catalog(1, OFFERINGS, COMPETENCIES)
    educators = [synthetic.educator(100 + i, COMPETENCIES, name=f"e{i}") for i in range(20)]
    needs = [engine.need_vector(e, engine.DEFAULT_WEIGHTS)[0].astype(np.float32) for e in educators]

    def engine_once(i: int) -> None:
        engine.shortlist(educators[i % 20], catalog, size=5, reserved=1)

    def baseline_once(i: int) -> None:
        scores = catalog.alignment @ needs[i % 20]
        top = np.argpartition(-scores, 10)[:10]
        top[np.argsort(-scores[top])]

    log(f"shortlist: 1 educator × {OFFERINGS:,} offerings, {REPEATS} runs")
    ours = median_ms(engine_once, REPEATS)
    bare = median_ms(baseline_once, REPEATS)
    emit(
        "recommend_shortlist_10k",
        ours,
        "ms (median)",
        baseline="numpy_dot_top10",
        baseline_value=bare,
        offerings=OFFERINGS,
        competencies=COMPETENCIES,
        list_size=5,
        goal_ms=5.0,
        load=LOAD_AT_START,
    )


def bench_batch() -> None:
    catalog = synthetic.catalog(2, OFFERINGS, COMPETENCIES)
    needs = synthetic.needs(3, EDUCATORS, COMPETENCIES)
    transposed = np.ascontiguousarray(catalog.alignment.T)

    def baseline() -> None:
        for start in range(0, EDUCATORS, CHUNK):
            needs[start : start + CHUNK] @ transposed

    def ours() -> None:
        engine.score_batch(needs, catalog, chunk=CHUNK, top_k=10)

    log(f"score_batch: {EDUCATORS:,} educators × {OFFERINGS:,} offerings in chunks of {CHUNK}")
    baseline()  # warm-up (BLAS threads, page faults)
    timings_base, timings_ours = [], []
    for _ in range(3):  # interleaved, best of three, so load spikes hit both alike
        started = time.perf_counter()
        baseline()
        timings_base.append(time.perf_counter() - started)
        started = time.perf_counter()
        ours()
        timings_ours.append(time.perf_counter() - started)

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    ours()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    emit(
        "recommend_score_batch_100k_x_10k",
        min(timings_ours),
        "s (best of 3)",
        baseline="numpy_dense_dot_same_chunks",
        baseline_value=min(timings_base),
        educators=EDUCATORS,
        offerings=OFFERINGS,
        chunk=CHUNK,
        top_k=10,
        peak_traced_mb=round(peak / 2**20, 1),
        max_rss_mb=round(rss_after / 1024, 1),
        max_rss_growth_mb=round((rss_after - rss_before) / 1024, 1),
        goal_ratio=3.0,
        goal_peak_mb=2048,
        load=LOAD_AT_START,
    )


def bench_evaluation() -> None:
    catalog, educators = synthetic.district(4, EVAL_EDUCATORS, 500, COMPETENCIES)
    log(f"evaluation: {EVAL_EDUCATORS:,} educators × 500 offerings")
    started = time.perf_counter()
    lists = [
        engine.shortlist(e, catalog, size=evaluation.DEFAULT_SIZES[e.stage]) for e in educators
    ]
    elapsed = time.perf_counter() - started
    ours = evaluation.evaluate(catalog, educators, lists)
    started = time.perf_counter()
    baseline_lists = evaluation.score_only_lists(catalog, educators)
    baseline_elapsed = time.perf_counter() - started
    base = evaluation.evaluate(catalog, educators, baseline_lists)
    metrics = [
        ("gap_coverage", "share of top-3 needs covered"),
        ("diversity", "mean pairwise 1 − cosine"),
        ("catalog_coverage", "share of offerings in any list"),
        ("calibration_kl", "KL(need ‖ list), nats; lower is better"),
        ("mean_formats", "formats per list"),
        ("share_with_short", "share of lists"),
        ("share_with_goal", "share of lists"),
    ]
    for metric, unit in metrics:
        emit(
            f"recommend_eval_{metric}",
            float(ours["overall"][metric]),
            unit,
            baseline="top_n_by_score",
            baseline_value=float(base["overall"][metric]),
            educators=EVAL_EDUCATORS,
            offerings=500,
        )
    for group in ("novice", "veteran"):
        mine, theirs = ours["novice_vs_veteran"][group], base["novice_vs_veteran"][group]
        for metric in (
            "gap_coverage",
            "diversity",
            "share_with_coaching",
            "share_with_leadership",
            "mean_hours",
        ):
            emit(
                f"recommend_eval_{group}_{metric}",
                float(mine[metric]),
                "hours"
                if metric == "mean_hours"
                else "share"
                if metric.startswith("share")
                else "score",
                baseline="top_n_by_score",
                baseline_value=float(theirs[metric]),
                educators=mine["educators"],
                list_size=evaluation.DEFAULT_SIZES["novice" if group == "novice" else "veteran"],
            )
    emit(
        "recommend_eval_seconds_per_1000",
        elapsed / EVAL_EDUCATORS * 1000,
        "s per 1,000 shortlists (500 offerings)",
        baseline="top_n_by_score_lists",
        baseline_value=baseline_elapsed / EVAL_EDUCATORS * 1000,
    )


def main() -> None:
    bench_shortlist()
    bench_batch()
    bench_evaluation()


if __name__ == "__main__":
    main()
