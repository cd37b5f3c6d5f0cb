"""Credit rules engine throughput: renewal progress for 100,000 synthetic educators.

Prints one JSON object on stdout (see `_support.emit`). Each educator has about 15 completed
learning records (workshops, courses, CEUs, micro-credentials, capped independent study,
presenting and mentoring, some outside the cycle, some from unapproved providers) under one of
the shipped rule sets (Texas, New York, Tennessee, round robin). The records are built before
the clock starts, as they would arrive from the database; what is timed is
`renewal_progress` for every educator, result objects and sentences included.

The baseline, timed in the same run, sums the same records' amounts per educator in a plain
Python loop (Decimal additions, no rules), so `ratio` says what the rules cost next to the
cheapest possible "total hours".

    .venv/bin/python -m benchmarks.renewal_progress     # CREDIT_BENCH_EDUCATORS=10000 for a quick run

No database: the engine is plain Python.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # also runs as a plain script

from benchmarks._support import LOAD_AT_START, emit, log
from trellis.credit.rules import (
    RULE_SETS,
    Category,
    LearningRecord,
    RenewalCycle,
    RuleSet,
    Unit,
    renewal_progress,
)

Educators = list[tuple[RuleSet, RenewalCycle, list[LearningRecord]]]
EDUCATORS = int(os.environ.get("CREDIT_BENCH_EDUCATORS", "100000"))
RECORDS_PER_EDUCATOR = 15
KEYS = ("TX/classroom_teacher", "TX/counselor", "NY/professional", "TN/professional_renewal")
CYCLE_START = dt.date(2022, 7, 1)
SHAPES = (  # (unit, category, amount choices)
    (Unit.CLOCK_HOUR, Category.WORKSHOP, ("3", "6", "7.5", "12")),
    (Unit.CLOCK_HOUR, Category.COURSE, ("10", "15", "20")),
    (Unit.CEU, Category.COURSE, ("0.5", "1", "1.5")),
    (Unit.MICRO_CREDENTIAL, Category.MICRO_CREDENTIAL, ("1",)),
    (Unit.CLOCK_HOUR, Category.INDEPENDENT_STUDY, ("5", "10", "15")),
    (Unit.CLOCK_HOUR, Category.INFORMAL, ("0.5", "1", "2")),
    (Unit.CLOCK_HOUR, Category.PRESENTING, ("3", "6")),
    (Unit.CLOCK_HOUR, Category.MENTORING, ("10", "20")),
)


def synthetic(rng: random.Random) -> Educators:
    educators = []
    for index in range(EDUCATORS):
        rule_set = RULE_SETS[KEYS[index % len(KEYS)]]
        cycle = RenewalCycle.of_years(CYCLE_START - dt.timedelta(days=index % 365), 5)
        records = []
        for number in range(RECORDS_PER_EDUCATOR + rng.randrange(-3, 4)):
            unit, category, amounts = rng.choice(SHAPES)
            records.append(
                LearningRecord(
                    id=f"{index}-{number}",
                    title=f"Activity {rng.randrange(400)}",
                    completed_on=dt.date(2021, 9, 1) + dt.timedelta(days=rng.randrange(2000)),
                    amount=Decimal(rng.choice(amounts)),
                    unit=unit,
                    category=category,
                    topics=frozenset({"ell"}) if rng.random() < 0.2 else frozenset(),
                    provider_id=f"P{rng.randrange(50)}",
                    provider_approved=rng.random() < 0.9,
                    related_to_certificate=rng.random() < 0.85,
                )
            )
        educators.append((rule_set, cycle, records))
    return educators


def plain_sums(educators: Educators) -> Decimal:
    grand = Decimal(0)
    for _rule_set, _cycle, records in educators:
        total = Decimal(0)
        for record in records:
            total += record.amount
        grand += total
    return grand


def engine(educators: Educators) -> Decimal:
    grand = Decimal(0)
    for rule_set, cycle, records in educators:
        grand += renewal_progress(rule_set, cycle, records).total
    return grand


def timed(
    work: Callable[[Educators], Decimal], educators: Educators
) -> tuple[Decimal, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work(educators)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    started = time.perf_counter()
    educators = synthetic(random.Random(20261123))
    records = sum(len(item[2]) for item in educators)
    log(
        f"Renewal progress for {EDUCATORS:,} educators, {records:,} records "
        f"(built in {time.perf_counter() - started:.1f} s)"
    )
    _sum, base_wall, _base_cpu = timed(plain_sums, educators)
    log(f"  baseline (plain sums): {base_wall:.2f} s")
    counted, wall, cpu = timed(engine, educators)
    log(f"  engine: {wall:.2f} s ({cpu:.2f} s CPU); {counted} units counted in all")
    emit(
        "renewal_progress_per_second",
        EDUCATORS / wall,
        "educators/s",
        baseline="summing the same records' hours in a plain loop",
        baseline_value=EDUCATORS / base_wall,
        educators=EDUCATORS,
        records=records,
        seconds=round(wall, 2),
        cpu_seconds=round(cpu, 2),
        baseline_seconds=round(base_wall, 3),
        rule_sets=list(KEYS),
        python=sys.version.split()[0],
        cpus=os.cpu_count(),
        load_average_at_start=LOAD_AT_START,
    )


if __name__ == "__main__":
    main()
