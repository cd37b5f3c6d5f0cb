"""Production mode's responses carry every security header and only secure, HttpOnly cookies.

The settings come from a fresh process started the way production starts (DEBUG off, a real
SECRET_KEY, ALLOWED_HOSTS, an https SITE_URL); the responses are then checked in this process
with exactly those values. `check --deploy` passing cleanly is proved in test_settings.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from trellis.accounts.tests.factories import TEST_PASSWORD

ROOT = Path(__file__).resolve().parents[3]
SECURITY_SETTINGS = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_AGE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "MIDDLEWARE",
]
PRINT_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    f"print(json.dumps({{n: getattr(s, n) for n in {SECURITY_SETTINGS!r}}}))"
)
HOST = "pd.example.org"


@pytest.fixture(scope="module")
def production_settings(tmp_path_factory) -> dict[str, object]:
    var = tmp_path_factory.mktemp("var")
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(var),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "TRELLIS_VAR_DIR": str(var),
        "SECRET_KEY": "p" * 20 + "roduction-secret-key-0123456789",
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": f"https://{HOST}",
    }
    run = subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    values = json.loads(run.stdout)
    if isinstance(values["SECURE_PROXY_SSL_HEADER"], list):
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture
def production(production_settings):
    with override_settings(**production_settings, ALLOWED_HOSTS=[HOST]):
        yield production_settings


def https_client(**extra) -> Client:
    return Client(HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https", **extra)


def test_production_settings_are_locked_down(production_settings):
    assert production_settings["DEBUG"] is False
    assert production_settings["SECURE_SSL_REDIRECT"] is True
    assert production_settings["SECURE_HSTS_SECONDS"] == 31536000
    assert production_settings["SESSION_COOKIE_SECURE"] is True
    assert production_settings["CSRF_COOKIE_SECURE"] is True
    assert (
        "trellis.core.security.ContentSecurityPolicyMiddleware"
        in (production_settings["MIDDLEWARE"])
    )


def test_plain_http_is_redirected_to_https(production, db):
    response = Client(HTTP_HOST=HOST).get("/accounts/login/")

    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}/accounts/login/"


def test_the_health_check_answers_over_plain_http_for_the_load_balancer(production, db):
    response = Client(HTTP_HOST=HOST).get("/healthz")

    assert response.status_code == 200


def test_an_https_page_carries_every_security_header(production, db):
    response = https_client().get("/accounts/login/")

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["Content-Security-Policy"] == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_signing_in_sets_only_secure_http_only_cookies(production, cast):
    client = https_client(enforce_csrf_checks=True)
    page = client.get("/accounts/login/")
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"

    response = client.post(
        "/accounts/login/",
        {
            "email": "alice@northfield.test",
            "password": TEST_PASSWORD,
            "csrfmiddlewaretoken": csrf.value,
        },
        HTTP_REFERER=f"https://{HOST}/accounts/login/",  # HTTPS also checks the referring page
    )

    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert session["max-age"] == 43200


def test_a_form_post_without_the_csrf_token_is_refused(production, cast):
    client = https_client(enforce_csrf_checks=True)

    response = client.post(
        "/accounts/login/", {"email": "alice@northfield.test", "password": TEST_PASSWORD}
    )

    assert response.status_code == 403
    assert "sessionid" not in response.cookies
