"""Landing pages under concurrent load, against a minimal Django view measured the same way.

Sets up a fresh database (SQLite by default; PostgreSQL when DATABASE_URL says so) with the demo
districts and a synthetic district of 5,000 educators, serves the app with gunicorn (2 workers,
production settings, DEBUG off) on 127.0.0.1, signs in as each demo account through the real
login form, then sends a fixed number of requests from concurrent client threads to:

- `GET /bench/minimal` (the baseline: no database, session or template), before and after
  each page;
- `GET /` as the Pine Valley educator, principal and district admin (demo accounts, §7);
- `GET /` as the admin of the 5,000-educator district (aggregates over 5,000 profiles).

Prints requests/s, p50 and p99 latency for each page with its ratio to the minimal view.
Every response must be a 200 with the expected content; any error fails the benchmark.

Knobs (environment): BENCH_REQUESTS (per page, default 400), BENCH_CONCURRENCY (client
threads, default 8), BENCH_TIME_LIMIT (seconds per page, default 30), BENCH_EDUCATORS (5000),
BENCH_MIGRATE=1 (apply the migrations rather than build the tables from the models).
"""

from __future__ import annotations

import http.client
import itertools
import math
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from benchmarks._support import (
    BIN,
    PYTHON,
    REPO,
    Database,
    bench_environment,
    common_fields,
    emit,
    log,
    temporary_directory,
    throwaway_database,
)

HOST = "127.0.0.1"
WORKERS = 2
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "400"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
TIME_LIMIT = float(os.environ.get("BENCH_TIME_LIMIT", "30"))
EDUCATORS = int(os.environ.get("BENCH_EDUCATORS", "5000"))
WARMUP = 2 * CONCURRENCY
DEMO_PASSWORD = "trellis-demo"  # noqa: S105 - the documented demo password (DESIGN §7)
BENCH_DISTRICT = "Bench ISD"
BENCH_ADMIN = "admin@bench-isd.test"

# (result name, e-mail) of each signed-in landing page.
PAGES = (
    ("educator", "educator@pinevalley.test"),
    ("principal", "principal@pinevalley.test"),
    ("district_admin", "admin@pinevalley.test"),
    ("district_admin_5000", BENCH_ADMIN),
)


@dataclass
class Run:
    """The outcome of sending requests to one path."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    stopped_by_time_limit: bool = False

    @property
    def requests_per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile_ms(self, percent: float) -> float:
        """Nearest-rank percentile of the successful requests, in milliseconds."""
        ordered = sorted(self.latencies)
        if not ordered:
            return math.nan
        rank = max(1, math.ceil(percent / 100 * len(ordered)))
        return ordered[rank - 1] * 1000

    def merged(self, other: Run) -> Run:
        return Run(
            latencies=self.latencies + other.latencies,
            errors=self.errors + other.errors,
            seconds=self.seconds + other.seconds,
            stopped_by_time_limit=self.stopped_by_time_limit or other.stopped_by_time_limit,
        )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _request(
    port: int, method: str, path: str, *, headers: dict[str, str], body: str | None = None
) -> tuple[int, http.client.HTTPMessage, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=15)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def _cookies(headers: http.client.HTTPMessage) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def sign_in(port: int, email: str) -> str:
    """Sign in through the login form (with its CSRF token); returns the Cookie header to send."""
    status, headers, body = _request(port, "GET", "/accounts/login/", headers={})
    cookies = _cookies(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or token is None or "csrftoken" not in cookies:
        raise RuntimeError(f"The login page did not offer a CSRF token (HTTP {status}).")
    form = {
        "csrfmiddlewaretoken": token.group(1).decode(),
        "email": email,
        "password": DEMO_PASSWORD,
        "next": "",
    }
    status, headers, _ = _request(
        port,
        "POST",
        "/accounts/login/",
        body=urlencode(form),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken']}",
        },
    )
    cookies.update(_cookies(headers))
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"Signing in as {email} failed (HTTP {status}).")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def load(port: int, path: str, *, cookie: str, expect: bytes, requests: int) -> Run:
    """`requests` GETs from CONCURRENCY threads, one connection each; stops at TIME_LIMIT."""
    run = Run()
    tickets = itertools.count()
    lock = threading.Lock()
    headers = {"Cookie": cookie} if cookie else {}
    deadline = time.perf_counter() + TIME_LIMIT

    def client() -> None:
        while next(tickets) < requests:
            if time.perf_counter() > deadline:
                run.stopped_by_time_limit = True
                return
            started = time.perf_counter()
            try:
                status, _, body = _request(port, "GET", path, headers=headers)
            except (OSError, http.client.HTTPException) as exc:
                problem: str | None = f"{type(exc).__name__}: {exc}"
            else:
                problem = None if status == 200 and expect in body else f"HTTP {status}"
            elapsed = time.perf_counter() - started
            with lock:
                if problem:
                    run.errors.append(problem)
                else:
                    run.latencies.append(elapsed)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(CONCURRENCY)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIME_LIMIT + 30)
    run.seconds = time.perf_counter() - started
    return run


def _describe(label: str, run: Run) -> str:
    return (
        f"  {label:<22} {run.requests_per_second:8.1f} req/s   p50 {run.percentile_ms(50):7.1f} ms"
        f"   p99 {run.percentile_ms(99):7.1f} ms   errors {len(run.errors)}"
    )


def _start_server(env: dict[str, str], port: int, directory: Path) -> subprocess.Popen[bytes]:
    command = [
        str(BIN / "gunicorn"),
        "config.wsgi:application",
        f"--workers={WORKERS}",
        f"--bind={HOST}:{port}",
        f"--chdir={REPO}",
        "--timeout=60",
        "--log-level=warning",
        "--no-control-socket",
        f"--pid={directory / 'gunicorn.pid'}",
    ]
    server = subprocess.Popen(command, env=env, cwd=REPO, stdout=sys.stderr, stderr=sys.stderr)
    ready_by = time.monotonic() + 60
    while time.monotonic() < ready_by:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}.")
        try:
            if _request(port, "GET", "/bench/minimal", headers={})[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    _stop_server(server)
    raise RuntimeError("gunicorn did not answer within 60 seconds.")


def _stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def prepare(*envs: dict[str, str]) -> None:
    """Build each environment's database: the schema, the demo districts, BENCH_DISTRICT with
    EDUCATORS educators and its admin BENCH_ADMIN, and the static files, each in one child
    process (benchmarks._prepare). The databases are built side by side, as nothing is being
    measured yet."""
    started = time.perf_counter()
    log(f"Building the demo districts and {BENCH_DISTRICT} with {EDUCATORS:,} educators…")
    command = [str(PYTHON), "-m", "benchmarks._prepare", "--district", BENCH_DISTRICT]
    command += ["--educators", str(EDUCATORS), "--admin", BENCH_ADMIN]
    children = [subprocess.Popen(command, env=env, cwd=REPO, stdout=sys.stderr) for env in envs]
    failed = [
        urlsplit(env["DATABASE_URL"]).scheme
        for env, child in zip(envs, children, strict=True)
        if child.wait() != 0
    ]
    if failed:
        raise RuntimeError(f"Building the benchmark database failed on {', '.join(failed)}.")
    log(f"Set-up took {time.perf_counter() - started:.1f} s.")


def measure(database: Database, env: dict[str, str], directory: Path) -> int:
    port = _free_port()
    log(f"Starting gunicorn ({WORKERS} workers) on {HOST}:{port}…")
    server = _start_server(env, port, directory)
    try:
        cookies = {name: sign_in(port, email) for name, email in PAGES}
        log(
            f"Signed in as {len(cookies)} people. {REQUESTS} requests per page from "
            f"{CONCURRENCY} client threads (at most {TIME_LIMIT:.0f} s each):"
        )

        def minimal(requests: int) -> Run:
            return load(port, "/bench/minimal", cookie="", expect=b"ok", requests=requests)

        def home(name: str, requests: int) -> Run:
            return load(port, "/", cookie=cookies[name], expect=b"Welcome, ", requests=requests)

        # The minimal view runs before and after every page; each page is compared with the two
        # runs around it, so a machine that gets busier or quieter mid-run skews both alike.
        minimal(WARMUP)
        minimal_runs = [minimal(REQUESTS)]
        log(_describe("minimal view", minimal_runs[-1]))
        pages: dict[str, tuple[Run, Run]] = {}
        for name, _ in PAGES:
            home(name, WARMUP)
            page = home(name, REQUESTS)
            log(_describe(name, page))
            minimal_runs.append(minimal(REQUESTS))
            log(_describe("minimal view", minimal_runs[-1]))
            pages[name] = (page, minimal_runs[-2].merged(minimal_runs[-1]))
    finally:
        _stop_server(server)

    shared = {
        **common_fields(database.vendor, database.version),
        "server": f"gunicorn, {WORKERS} sync workers",
        "concurrency": CONCURRENCY,
        "educators_in_bench_district": EDUCATORS,
    }
    name_of_baseline = (
        "GET /bench/minimal (HttpResponse('ok')), same server and load, run before and after"
    )
    failures = 0
    for name, (run, baseline) in pages.items():
        details = {
            "requests": len(run.latencies),
            "errors": len(run.errors),
            "seconds": round(run.seconds, 2),
            "stopped_by_time_limit": run.stopped_by_time_limit,
            **shared,
        }
        emit(
            f"landing_page.{name}.requests_per_second",
            run.requests_per_second,
            "requests/s",
            baseline=name_of_baseline,
            baseline_value=baseline.requests_per_second,
            **details,
        )
        for percent in (50, 99):
            emit(
                f"landing_page.{name}.p{percent}_latency",
                run.percentile_ms(percent),
                "ms",
                baseline=name_of_baseline,
                baseline_value=baseline.percentile_ms(percent),
                **details,
            )
        if run.errors:
            failures += 1
            log(f"{name}: {len(run.errors)} errors, e.g. {run.errors[0]}")
    minimal_errors = [error for run in minimal_runs for error in run.errors]
    if minimal_errors:
        failures += 1
        log(f"minimal view: {len(minimal_errors)} errors, e.g. {minimal_errors[0]}")
    return 1 if failures else 0


def main() -> int:
    with (
        temporary_directory("trellis-bench-pages-") as directory,
        throwaway_database(directory) as database,
    ):
        log(f"Landing pages on {database.version}, files under {directory}.")
        env = bench_environment(directory, database)
        prepare(env)
        return measure(database, env, directory)


if __name__ == "__main__":
    sys.exit(main())
