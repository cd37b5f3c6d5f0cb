"""Shared plumbing for the benchmarks: a throwaway database, the environment, JSON output.

Results go to stdout, one JSON object per line; everything meant for people goes to stderr.
By default each benchmark runs on a fresh SQLite file in a temporary directory; when
DATABASE_URL names PostgreSQL, it creates (and always drops) a throwaway database
`trellis_bench_<pid>` on that server instead, never touching the database the URL names.
"""

from __future__ import annotations

import json
import math
import os
import platform
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import SplitResult, unquote, urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
BIN = REPO / ".venv" / "bin"
PYTHON = BIN / "python"
POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql", "postgis")
# Other work on the machine skews absolute figures (ratios less so), so results record it.
LOAD_AT_START = round(os.getloadavg()[0], 2)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def emit(
    name: str,
    value: float,
    unit: str,
    *,
    baseline: str,
    baseline_value: float,
    **extra: object,
) -> dict[str, object]:
    """Print one result line. `ratio` is value / baseline_value, both measured in this run.

    A figure that could not be measured (no successful request) is printed as null.
    """
    measured = math.isfinite(value) and math.isfinite(baseline_value)
    record: dict[str, object] = {
        "name": name,
        "value": round(value, 3) if math.isfinite(value) else None,
        "unit": unit,
        "baseline": baseline,
        "baseline_value": round(baseline_value, 3) if math.isfinite(baseline_value) else None,
        "ratio": round(value / baseline_value, 3) if measured and baseline_value else None,
        **extra,
    }
    print(json.dumps(record), flush=True)
    return record


@dataclass(frozen=True)
class Database:
    url: str
    vendor: str  # "sqlite" or "postgresql"
    version: str


def _run_psql(parts: SplitResult, sql: str) -> str:
    host = parts.hostname or "127.0.0.1"
    port = str(parts.port or 5432)
    user = unquote(parts.username or "postgres")
    env = dict(os.environ)
    if parts.password:
        env["PGPASSWORD"] = unquote(parts.password)
    command = ["psql", "-h", host, "-p", port, "-U", user, "-d", "postgres"]
    command += ["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", sql]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise RuntimeError(f"psql failed ({sql}): {done.stderr.strip()}")
    return done.stdout.strip()


@contextmanager
def throwaway_database(directory: Path) -> Iterator[Database]:
    """A fresh, empty database for one benchmark, removed afterwards whatever happens."""
    configured = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(configured)
    if parts.scheme not in POSTGRES_SCHEMES:
        yield Database(
            url=f"sqlite:///{directory / 'bench.sqlite3'}",
            vendor="sqlite",
            version=f"SQLite {sqlite3.sqlite_version}",
        )
        return
    name = f"trellis_bench_{os.getpid()}"
    version = _run_psql(parts, "SHOW server_version")
    _run_psql(parts, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _run_psql(parts, f'CREATE DATABASE "{name}"')
    log(f"Created throwaway PostgreSQL database {name} on {parts.hostname}:{parts.port or 5432}.")
    try:
        yield Database(
            url=urlunsplit(parts._replace(path=f"/{name}")),
            vendor="postgresql",
            version=f"PostgreSQL {version.split()[0]}",
        )
    finally:
        _run_psql(parts, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        log(f"Dropped throwaway database {name}.")


@contextmanager
def temporary_directory(prefix: str) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def bench_environment(directory: Path, database: Database) -> dict[str, str]:
    """Production mode (DEBUG off) on plain HTTP at 127.0.0.1, with a throwaway secret.

    Child processes keep their compiled bytecode in a cache outside the tree (shared by runs):
    without it, where PYTHONDONTWRITEBYTECODE is set, every set-up step and server worker
    compiles the whole project again, seconds each.
    """
    env = dict(os.environ)
    for name in ("TRELLIS_TESTING", "REDIS_URL", "SECRET_KEY_FILE", "DATABASE_URL_FILE"):
        env.pop(name, None)
    if not env.get("PYTHONPYCACHEPREFIX"):
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "trellis-bench-pycache")
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings_bench",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        TRELLIS_VAR_DIR=str(directory / "var"),
        DATABASE_URL=database.url,
        EMAIL_URL="dummy://",
        LOG_LEVEL="WARNING",
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
    )
    return env


def create_schema() -> None:
    """The tables of a fresh benchmark database, built straight from the models (as Django's
    test runner does with MIGRATE off): a second, where applying every migration takes ten.

    The schema is the migrated one only while the models and the migrations agree, so any model
    change without its migration stops the benchmark. BENCH_MIGRATE=1 applies the migrations.
    """
    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command
    from django.db.migrations.autodetector import MigrationAutodetector
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.state import ProjectState

    if os.environ.get("BENCH_MIGRATE") == "1":
        call_command("migrate", interactive=False, verbosity=0)
        return
    loader = MigrationLoader(None, ignore_no_migrations=True)
    changes = MigrationAutodetector(loader.project_state(), ProjectState.from_apps(apps)).changes(
        graph=loader.graph
    )
    if changes:
        raise RuntimeError(
            f"Models of {', '.join(sorted(changes))} have changes without a migration: run "
            "makemigrations (or BENCH_MIGRATE=1 to benchmark the migrated schema)."
        )
    settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
    call_command("migrate", run_syncdb=True, interactive=False, verbosity=0)


def common_fields(vendor: str, version: str) -> dict[str, object]:
    return {
        "database": vendor,
        "database_version": version,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_at_start": LOAD_AT_START,
    }
