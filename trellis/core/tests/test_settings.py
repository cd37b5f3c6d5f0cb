"""Production mode refuses to start without its secrets, and passes Django's deployment checks.

Each case runs a fresh Python process with a clean environment (the test run itself sets
TRELLIS_TESTING, which must not leak in). The processes start together to keep the suite fast.
"""

from __future__ import annotations

import base64
import secrets
import string
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SETUP = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DEBUG, s.ALLOWED_HOSTS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
    "len(s.SECRET_KEY))"
)
DEPLOY_CHECK = ["-m", "django", "check", "--deploy", "--fail-level", "WARNING"]
KEY = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(50))
HOSTS = {"ALLOWED_HOSTS": "example.org"}


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def last_error(self) -> str:
        """The final line of the traceback: `module.Error: message`."""
        lines = self.stderr.strip().splitlines()
        return lines[-1] if lines else ""


KEK = "primary:" + base64.urlsafe_b64encode(bytes(range(32))).decode()


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Run]:
    var = tmp_path_factory.mktemp("var")
    key_file = var / "secret_key"
    key_file.write_text("k" * 32 + "\n", encoding="utf-8")  # the shortest key allowed
    production = {"SECRET_KEY": KEY, **HOSTS, "DATABASE_URL": f"sqlite:///{var / 'x.sqlite3'}"}
    cases: dict[str, tuple[list[str], dict[str, str]]] = {
        "nothing": (["-c", SETUP], {}),
        "no hosts": (["-c", SETUP], {"SECRET_KEY": KEY}),
        "no key": (["-c", SETUP], HOSTS),
        "short key": (["-c", SETUP], {"SECRET_KEY": "k" * 31, **HOSTS}),
        "production": (["-c", SETUP], {"SECRET_KEY": KEY, "ALLOWED_HOSTS": "a.org, b.org"}),
        "key from file": (["-c", SETUP], {"SECRET_KEY_FILE": str(key_file), **HOSTS}),
        "debug": (["-c", SETUP], {"DEBUG": "true"}),
        "bad debug": (["-c", SETUP], {"DEBUG": "perhaps"}),
        "deploy check": (DEPLOY_CHECK, {**production, "TRELLIS_KEY_ENCRYPTION_KEY": KEK}),
        "deploy check without a KEK": (DEPLOY_CHECK, production),
    }
    base = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(var),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "TRELLIS_VAR_DIR": str(var),  # keep the default SQLite path out of the repository
    }
    started = {
        name: subprocess.Popen(  # noqa: S603 - fixed arguments, our own interpreter
            [sys.executable, *args],
            cwd=ROOT,
            env={**base, **extra},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, (args, extra) in cases.items()
    }
    results = {}
    for name, process in started.items():
        stdout, stderr = process.communicate(timeout=120)
        results[name] = Run(process.returncode, stdout, stderr)
    return results


def test_production_mode_without_secret_key_and_allowed_hosts_refuses_to_start(runs):
    run = runs["nothing"]

    assert run.returncode == 1
    assert run.last_error == (
        "django.core.exceptions.ImproperlyConfigured: Production mode (DEBUG off) needs "
        "SECRET_KEY and ALLOWED_HOSTS in the environment. Set them, or set DEBUG=true for "
        "local development."
    )


@pytest.mark.parametrize(
    ("case", "missing"), [("no hosts", "ALLOWED_HOSTS"), ("no key", "SECRET_KEY")]
)
def test_production_mode_names_the_one_missing_setting(runs, case, missing):
    run = runs[case]

    assert run.returncode == 1
    assert run.last_error == (
        "django.core.exceptions.ImproperlyConfigured: Production mode (DEBUG off) needs "
        f"{missing} in the environment. Set them, or set DEBUG=true for local development."
    )


def test_a_short_secret_key_is_refused(runs):
    run = runs["short key"]

    assert run.returncode == 1
    assert run.last_error == (
        "django.core.exceptions.ImproperlyConfigured: "
        "SECRET_KEY must be at least 32 characters long in production."
    )


def test_production_mode_starts_with_its_secrets_and_is_locked_down(runs):
    run = runs["production"]

    assert (run.returncode, run.stderr) == (0, "")
    assert run.stdout == "False ['a.org', 'b.org'] True True 50\n"


def test_a_32_character_secret_key_from_a_mounted_file_is_accepted(runs):
    run = runs["key from file"]

    assert (run.returncode, run.stderr) == (0, "")
    assert run.stdout == "False ['example.org'] True True 32\n"


def test_debug_mode_starts_without_secrets_on_local_hosts(runs):
    run = runs["debug"]

    assert (run.returncode, run.stderr) == (0, "")
    assert run.stdout.startswith("True ['127.0.0.1', 'localhost', '[::1]', 'testserver'] ")


def test_a_debug_value_that_is_not_a_yes_or_no_stops_start_up(runs):
    run = runs["bad debug"]

    assert run.returncode == 1
    assert run.last_error == (
        "ValueError: DEBUG must be one of true/false/1/0/yes/no, not 'perhaps'"
    )


def test_production_without_a_key_encryption_key_is_warned_about(runs):
    run = runs["deploy check without a KEK"]

    assert "trellis.credentials.W001" in run.stderr + run.stdout


def test_production_settings_pass_the_deployment_checks_without_warnings(runs):
    run = runs["deploy check"]

    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("System check identified no issues")
