"""A mixed workload under concurrent load, on SQLite and PostgreSQL, against a minimal view.

For each database (SQLite always; PostgreSQL when DATABASE_URL names a server, else the local
server at BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres, when reachable) it
builds a fresh database with the demo districts and a synthetic 5,000-educator district, starts
gunicorn (2 workers, production settings, DEBUG off, WhiteNoise) on 127.0.0.1, and sends a
fixed number of requests from concurrent client threads, each request drawn from this mix:

- educators browsing the catalog (`GET /catalog/`, signed in),            weight 4
- educators logging informal learning (`POST /api/v1/me/informal-learning`), weight 2
- educators autosaving a micro-credential draft (`PATCH /api/v1/submissions/{id}`), weight 2
- admins loading the home dashboard (`GET /`, demo admin and the 5,000-educator admin), weight 1
- admins loading the reports page (`GET /reports/`, when it exists), weight 1

then the same number of requests to `GET /bench/minimal` (no database, session or template).
Prints requests/s, p50/p99 latency and the error count for the mix and for each kind; any
error (not the expected status and content) fails the benchmark.

The databases are built first, side by side, one child process each (`benchmarks._prepare`:
tables from the models, checked against the migrations), then measured one at a time.

Knobs: BENCH_LOAD_REQUESTS (default 300), BENCH_CONCURRENCY (8), BENCH_TIME_LIMIT (seconds,
default 40), BENCH_EDUCATORS (5000), BENCH_LOAD_DATABASES ("sqlite,postgresql"),
BENCH_MIGRATE=1 (apply the migrations instead; ten seconds more per database).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks import landing_pages as pages
from benchmarks._support import (
    POSTGRES_SCHEMES,
    Database,
    bench_environment,
    common_fields,
    emit,
    log,
    temporary_directory,
    throwaway_database,
)

REQUESTS = int(os.environ.get("BENCH_LOAD_REQUESTS", "300"))
CONCURRENCY = pages.CONCURRENCY
TIME_LIMIT = float(os.environ.get("BENCH_TIME_LIMIT", "40"))
DATABASES = os.environ.get("BENCH_LOAD_DATABASES", "sqlite,postgresql").split(",")
PG_FALLBACK = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
EDUCATOR = "educator@pinevalley.test"
ADMIN = "admin@pinevalley.test"
SEED = 20261205  # the same sequence of kinds on every run
# Yesterday, so "not in the future" holds in any district time zone.
YESTERDAY = (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)).isoformat()


@dataclass(frozen=True)
class Kind:
    name: str
    weight: int
    send: Callable[[int], tuple[bool, str]]  # one request; (ok, problem)


def _json(port: int, method: str, path: str, token: str, body: object = None):
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    text = None
    if body is not None:
        headers["Content-Type"] = "application/json"
        text = json.dumps(body)
    status, _, raw = pages._request(port, method, path, headers=headers, body=text)
    return status, (json.loads(raw) if raw else None)


def _token(port: int, email: str) -> str:
    status, body = _json(
        port,
        "POST",
        "/api/v1/auth/token",
        "",
        {
            "email": email,
            "password": pages.DEMO_PASSWORD,
        },
    )
    if status != 200:
        raise RuntimeError(f"No API token for {email} (HTTP {status}: {body}).")
    return body["token"]


def _items(page: object) -> list[dict]:
    """The rows of a paginated answer ({"items": [...], "count": n}) or of a plain list."""
    return page.get("items", []) if isinstance(page, dict) else list(page or [])


def _draft(port: int, token: str) -> tuple[str, str]:
    """A draft submission of the educator (started when there is none) and a text part of it."""
    _, mine = _json(port, "GET", "/api/v1/me/submissions?limit=100", token)
    drafts = [s["id"] for s in _items(mine) if s.get("status") == "draft"]
    if not drafts:
        _, offered = _json(port, "GET", "/api/v1/micro-credentials?limit=100", token)
        for item in _items(offered):
            status, started = _json(
                port, "POST", f"/api/v1/micro-credentials/{item['id']}/submissions", token, {}
            )
            if status == 201:
                drafts = [started["id"]]
                break
    if not drafts:
        raise RuntimeError("The demo educator has no micro-credential draft and cannot start one.")
    _, detail = _json(port, "GET", f"/api/v1/submissions/{drafts[0]}", token)
    text_parts = [p["id"] for p in detail["parts"] if p["kind"] != "artifact" and p["editable"]]
    if not text_parts:
        raise RuntimeError(f"Submission {drafts[0]} has no editable text part.")
    return drafts[0], text_parts[0]


def _kinds(port: int) -> list[Kind]:
    educator = pages.sign_in(port, EDUCATOR)
    admins = [pages.sign_in(port, ADMIN), pages.sign_in(port, pages.BENCH_ADMIN)]
    token = _token(port, EDUCATOR)
    submission, part = _draft(port, token)
    counter = itertools.count()

    def page(cookie: str, path: str, expect: bytes) -> tuple[bool, str]:
        status, _, body = pages._request(port, "GET", path, headers={"Cookie": cookie})
        return (status == 200 and expect in body), f"GET {path}: HTTP {status}"

    def log_learning(_: int) -> tuple[bool, str]:
        n = next(counter)
        status, body = _json(
            port,
            "POST",
            "/api/v1/me/informal-learning",
            token,
            {
                "title": f"Bench article {n}",
                "minutes": 15,
                "format": "article",
                "reflection": "Read during the load benchmark.",
                "learned_on": YESTERDAY,
            },
        )
        return status == 201, f"POST informal-learning: HTTP {status} {body}"

    def autosave(_: int) -> tuple[bool, str]:
        n = next(counter)
        status, body = _json(
            port,
            "PATCH",
            f"/api/v1/submissions/{submission}",
            token,
            {
                "answers": {part: f"Draft text, save {n}."},
                "client_id": "bench",
            },
        )
        return status == 200, f"PATCH submission: HTTP {status} {body}"

    kinds = [
        Kind("browse_catalog", 4, lambda _: page(educator, "/catalog/", b"<h1")),
        Kind("log_informal_learning", 2, log_learning),
        Kind("autosave_draft", 2, autosave),
        Kind("admin_home", 1, lambda i: page(admins[i % 2], "/", b"Welcome, ")),
    ]
    status, _, _ = pages._request(port, "GET", "/reports/", headers={"Cookie": admins[0]})
    if status == 200:
        kinds.append(Kind("admin_reports", 1, lambda i: page(admins[i % 2], "/reports/", b"<h1")))
    else:
        log(f"/reports/ answers HTTP {status} for the admin: left out of the mix.")
    return kinds


@dataclass
class Tally:
    runs: dict[str, pages.Run]
    seconds: float = 0.0


def drive(kinds: list[Kind], requests: int) -> Tally:
    """`requests` requests from CONCURRENCY threads, kinds drawn by weight (fixed seed)."""
    chooser = random.Random(SEED)
    plan = chooser.choices(kinds, weights=[k.weight for k in kinds], k=requests)
    tally = Tally(runs={k.name: pages.Run() for k in kinds})
    tickets = itertools.count()
    lock = threading.Lock()
    deadline = time.perf_counter() + TIME_LIMIT

    def client() -> None:
        while (ticket := next(tickets)) < requests:
            kind = plan[ticket]
            if time.perf_counter() > deadline:
                tally.runs[kind.name].stopped_by_time_limit = True
                return
            started = time.perf_counter()
            try:
                ok, problem = kind.send(ticket)
            except Exception as exc:  # every failure is counted; none may stop the run
                ok, problem = False, f"{type(exc).__name__}: {exc}"
            elapsed = time.perf_counter() - started
            with lock:
                run = tally.runs[kind.name]
                (run.latencies.append(elapsed) if ok else run.errors.append(problem))

    threads = [threading.Thread(target=client, daemon=True) for _ in range(CONCURRENCY)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIME_LIMIT + 30)
    tally.seconds = time.perf_counter() - started
    for run in tally.runs.values():
        run.seconds = tally.seconds
    return tally


def measure(database: Database, env: dict[str, str], directory: Path) -> int:
    port = pages._free_port()
    log(f"Starting gunicorn ({pages.WORKERS} workers) on {pages.HOST}:{port}…")
    server = pages._start_server(env, port, directory)
    try:
        kinds = _kinds(port)

        def minimal(requests: int) -> pages.Run:
            return pages.load(port, "/bench/minimal", cookie="", expect=b"ok", requests=requests)

        minimal(pages.WARMUP)
        drive(kinds, pages.WARMUP * 2)
        log(f"{REQUESTS} mixed requests from {CONCURRENCY} client threads:")
        tally = drive(kinds, REQUESTS)
        baseline = minimal(REQUESTS)
    finally:
        pages._stop_server(server)

    mixed = pages.Run()
    for run in tally.runs.values():
        mixed = mixed.merged(pages.Run(latencies=run.latencies, errors=run.errors))
    mixed.seconds = tally.seconds
    log(pages._describe("mixed workload", mixed))
    for name, run in tally.runs.items():
        log(pages._describe(f"  {name}", run))
    log(pages._describe("minimal view", baseline))

    shared = {
        **common_fields(database.vendor, database.version),
        "server": f"gunicorn, {pages.WORKERS} sync workers",
        "concurrency": CONCURRENCY,
        "educators_in_bench_district": pages.EDUCATORS,
        "mix": {k.name: k.weight for k in kinds},
    }
    baseline_name = "GET /bench/minimal (HttpResponse('ok')), same server and load, after the mix"
    prefix = f"load.{database.vendor}"
    details = {
        "requests": len(mixed.latencies),
        "planned_requests": REQUESTS,
        "stopped_by_time_limit": any(r.stopped_by_time_limit for r in tally.runs.values()),
        "seconds": round(mixed.seconds, 2),
        **shared,
    }
    emit(
        f"{prefix}.mixed.requests_per_second",
        mixed.requests_per_second,
        "requests/s",
        baseline=baseline_name,
        baseline_value=baseline.requests_per_second,
        **details,
    )
    for percent in (50, 99):
        emit(
            f"{prefix}.mixed.p{percent}_latency",
            mixed.percentile_ms(percent),
            "ms",
            baseline=baseline_name,
            baseline_value=baseline.percentile_ms(percent),
            **details,
        )
    for name, run in tally.runs.items():
        emit(
            f"{prefix}.{name}.p50_latency",
            run.percentile_ms(50),
            "ms",
            baseline=baseline_name,
            baseline_value=baseline.percentile_ms(50),
            requests=len(run.latencies),
            errors=len(run.errors),
            **shared,
        )
    errors = len(mixed.errors) + len(baseline.errors)
    emit(
        f"{prefix}.error_rate",
        errors / max(1, REQUESTS * 2),
        "fraction",
        baseline="zero errors expected",
        baseline_value=0.0,
        errors=errors,
        **shared,
    )
    for problem in (mixed.errors + baseline.errors)[:5]:
        log(f"  error: {problem}")
    return 1 if errors else 0


def _postgres_url() -> str | None:
    configured = os.environ.get("DATABASE_URL", "")
    if urlsplit(configured).scheme in POSTGRES_SCHEMES:
        return configured
    if shutil.which("psql") is None:
        return None
    return PG_FALLBACK


@contextmanager
def _database(vendor: str) -> Iterator[tuple[Database, dict[str, str], Path] | None]:
    """A fresh database of the engine, its directory and the server's environment (None when
    there is no PostgreSQL); DATABASE_URL tells `throwaway_database` which engine."""
    saved = os.environ.get("DATABASE_URL")
    if vendor == "postgresql":
        url = _postgres_url()
        if url is None:
            log("No PostgreSQL (psql not found): skipping the PostgreSQL run.")
            yield None
            return
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
    try:
        with (
            temporary_directory("trellis-bench-load-") as directory,
            throwaway_database(directory) as database,
        ):
            _restore_database_url(saved)
            log(f"Mixed load on {database.version}, files under {directory}.")
            yield database, bench_environment(directory, database), directory
    finally:
        _restore_database_url(saved)


def _restore_database_url(saved: str | None) -> None:
    if saved is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = saved


def main() -> int:
    """Every engine's database is built first, side by side; then each is measured alone."""
    with ExitStack() as stack:
        runs = [
            run
            for vendor in DATABASES
            if vendor.strip() and (run := stack.enter_context(_database(vendor.strip())))
        ]
        pages.prepare(*(env for _, env, _ in runs))
        return max((measure(*run) for run in runs), default=0)


if __name__ == "__main__":
    sys.exit(main())
