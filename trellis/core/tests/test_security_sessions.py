"""Sessions expire, revoked tokens stop working, secrets never reach the logs, and every
sensitive action leaves an audit row.

Login throttling (message, 429, audit rows) and the password policy on the change, reset and
invitation paths are proved in trellis/accounts/tests and trellis/districts/tests; see
docs/security.md for the map.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import os
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.test import Client
from django.urls import reverse

from trellis.accounts.services import create_api_token, revoke_api_token
from trellis.accounts.tests.factories import TEST_PASSWORD
from trellis.audit.models import AuditEvent
from trellis.core.security import LAST_ACTIVITY_KEY
from trellis.credentials.services import keys
from trellis.districts.models import Role

START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


# --- session expiry -----------------------------------------------------------------------------


def sign_in(client: Client, email: str = "alice@northfield.test") -> None:
    response = client.post(reverse("accounts:login"), {"email": email, "password": TEST_PASSWORD})
    assert response.status_code == 302


def stay_active(client: Client, time_machine, until: dt.datetime) -> None:
    """A request every 25 minutes (under the idle limit) from START up to `until`."""
    moment = START
    while moment + ACTIVE_STEP < until:
        moment += ACTIVE_STEP
        time_machine.move_to(moment, tick=False)
        assert client.get(reverse("accounts:profile")).status_code == 200


ACTIVE_STEP = dt.timedelta(minutes=25)


def test_a_session_lasts_twelve_hours(cast, time_machine):
    time_machine.move_to(START, tick=False)
    client = Client()
    sign_in(client)
    stay_active(client, time_machine, START + dt.timedelta(hours=11, minutes=59))

    time_machine.move_to(START + dt.timedelta(hours=11, minutes=59), tick=False)
    assert client.get("/").status_code == 200

    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60


def test_after_twelve_hours_the_session_has_expired_even_when_active(cast, time_machine):
    time_machine.move_to(START, tick=False)
    client = Client()
    sign_in(client)
    stay_active(client, time_machine, START + dt.timedelta(hours=12))

    time_machine.move_to(START + dt.timedelta(hours=12, seconds=1), tick=False)
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/"


# --- idle timeout -------------------------------------------------------------------------------

IDLE_MESSAGE = "You were signed out after 30 minutes of inactivity. Sign in again to continue."


def test_the_idle_limit_defaults_to_thirty_minutes():
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60


def test_a_session_idle_for_thirty_minutes_is_still_signed_in(cast, time_machine):
    time_machine.move_to(START, tick=False)
    client = Client()
    sign_in(client)

    time_machine.move_to(START + dt.timedelta(minutes=30), tick=False)

    assert client.get("/").status_code == 200


def test_after_thirty_idle_minutes_the_user_is_signed_out_with_a_message(cast, time_machine):
    time_machine.move_to(START, tick=False)
    client = Client()
    sign_in(client)
    session_key = client.session.session_key

    time_machine.move_to(START + dt.timedelta(minutes=30, seconds=61), tick=False)
    response = client.get("/", follow=True)

    assert response.redirect_chain == [(f"{reverse('accounts:login')}?next=/", 302)]
    assert IDLE_MESSAGE in response.content.decode()
    # The old session is gone from the server, not just forgotten by the browser.
    replay = Client()
    replay.cookies["sessionid"] = session_key
    assert replay.get("/").status_code == 302
    # The message is shown once.
    assert IDLE_MESSAGE not in client.get(reverse("accounts:login")).content.decode()


def test_activity_keeps_the_session_alive_past_the_idle_limit(cast, time_machine):
    time_machine.move_to(START, tick=False)
    client = Client()
    sign_in(client)

    stay_active(client, time_machine, START + dt.timedelta(hours=3))

    assert client.get("/").status_code == 200


def test_the_activity_stamp_is_written_at_most_once_a_minute(cast, time_machine):
    time_machine.move_to(START, tick=False)
    client = Client()
    sign_in(client)
    client.get("/")
    stamp = client.session[LAST_ACTIVITY_KEY]
    assert stamp == int(START.timestamp())

    time_machine.move_to(START + dt.timedelta(seconds=59), tick=False)
    response = client.get("/")
    assert client.session[LAST_ACTIVITY_KEY] == stamp
    assert "sessionid" not in response.cookies  # nothing changed, nothing saved

    time_machine.move_to(START + dt.timedelta(seconds=60), tick=False)
    client.get("/")
    assert client.session[LAST_ACTIVITY_KEY] == stamp + 60


def test_the_idle_limit_comes_from_the_setting(cast, time_machine, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    time_machine.move_to(START, tick=False)
    client = Client()
    sign_in(client)

    time_machine.move_to(START + dt.timedelta(minutes=6, seconds=1), tick=False)
    response = client.get("/", follow=True)

    assert "signed out after 5 minutes of inactivity" in response.content.decode()


def test_an_idle_limit_of_zero_turns_it_off(cast, time_machine, settings):
    settings.SESSION_IDLE_TIMEOUT = 0
    time_machine.move_to(START, tick=False)
    client = Client()
    sign_in(client)

    time_machine.move_to(START + dt.timedelta(hours=11), tick=False)

    assert client.get("/").status_code == 200


def test_an_idle_api_session_gets_401_not_a_redirect(cast, time_machine):
    time_machine.move_to(START, tick=False)
    client = Client()
    sign_in(client)
    assert client.get("/api/v1/me").status_code == 200

    time_machine.move_to(START + dt.timedelta(hours=1), tick=False)

    assert client.get("/api/v1/me").status_code == 401


def test_the_idle_limit_is_read_from_the_environment():
    # A fresh interpreter: the settings module reads the environment once, at import.
    env = {**os.environ, "SESSION_IDLE_TIMEOUT": "900", "DJANGO_SETTINGS_MODULE": "config.settings"}
    code = "from django.conf import settings; print(settings.SESSION_IDLE_TIMEOUT)"
    done = subprocess.run(  # noqa: S603 - our own interpreter, a fixed command
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )

    assert done.stdout.strip() == "900"


def test_signing_out_ends_the_session_on_the_server(cast):
    client = Client()
    sign_in(client)
    stolen = client.cookies["sessionid"].value

    client.post(reverse("accounts:logout"))
    replay = Client()
    replay.cookies["sessionid"] = stolen

    assert replay.get("/").status_code == 302


# --- API tokens ---------------------------------------------------------------------------------


def test_a_token_revoked_through_the_service_gets_401_at_once(cast):
    token, secret = create_api_token(user=cast.alice, name="laptop")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/me").status_code == 200

    revoke_api_token(actor=cast.alice, token=token)
    response = api.get("/api/v1/me")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


# --- no secrets in logs -------------------------------------------------------------------------


class Everything(logging.Handler):
    """Keeps every record, formatted the way the console handler would, tracebacks included."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record) + " " + repr(record.__dict__))


@pytest.fixture
def all_logs():
    handler = Everything()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    touched = {name: logging.getLogger(name).level for name in ("django", "trellis")}
    for name in touched:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(old_level)
    for name, level in touched.items():
        logging.getLogger(name).setLevel(level)


def test_no_password_token_or_key_reaches_the_logs(cast, all_logs, monkeypatch):
    password = "correct horse battery staple 93"
    cast.dana.set_password(password)
    cast.dana.save()
    secrets: list[str] = [password]

    web = Client()
    web.post(reverse("accounts:login"), {"email": cast.dana.email, "password": "wrong " + password})
    secrets.append("wrong " + password)
    web.post(reverse("accounts:login"), {"email": cast.dana.email, "password": password})

    api = Client()
    issued = api.post(
        "/api/v1/auth/token",
        {"email": cast.dana.email, "password": password},
        content_type="application/json",
    )
    assert issued.status_code == 200
    token = issued.json()["token"]
    secrets.append(token)
    assert Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/me").status_code == 200
    assert Client(HTTP_AUTHORIZATION=f"Bearer {token}x").get("/api/v1/me").status_code == 401
    secrets.append(token + "x")
    bad_json = api.post(
        "/api/v1/auth/token",
        f'{{"email": "x", "password": "{password}"',
        content_type="application/json",
    )
    assert bad_json.status_code in {400, 422}

    signing_key = keys.active_key(keys.ensure_issuer(cast.district_a))
    raw = keys.private_key(signing_key).private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    secrets += [raw.hex(), base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode()]
    secrets.append(settings.SECRET_KEY)

    xapi_secret = _xapi_round_trip(cast)
    if xapi_secret:
        secrets.append(xapi_secret)

    logging.getLogger("trellis.tests").debug("capture canary")
    logged = "\n".join(all_logs.lines)
    assert "capture canary" in logged
    assert "Unauthorized: /api/v1/me" in logged  # the failed token use was logged, safely
    leaked = [s for s in secrets if s and s in logged]
    assert leaked == []


def _xapi_round_trip(cast) -> str | None:
    """Basic auth to the xAPI endpoint with the right and a wrong secret; None if not built."""
    try:
        from trellis.informal.services.integrations import create_integration
    except ImportError:
        return None
    integration, secret = create_integration(
        access=cast.access(cast.dana), actor=cast.dana, name="Log test LRS"
    )
    for attempt in (secret, secret + "-wrong"):
        basic = base64.b64encode(f"{integration.username}:{attempt}".encode()).decode()
        Client(HTTP_AUTHORIZATION=f"Basic {basic}").get(
            "/xapi/statements", HTTP_X_EXPERIENCE_API_VERSION="1.0.3"
        )
    return secret


# --- audit rows for sensitive actions ------------------------------------------------------------


def test_every_sensitive_action_leaves_an_audit_row(cast, client_for):
    from trellis.accounts.services import set_password
    from trellis.districts.services import set_roles

    Client().post(reverse("accounts:login"), {"email": cast.alice.email, "password": "nope"})
    sign_in(Client())
    set_password(user=cast.alice, new_password="a much longer passphrase")
    token, _secret = create_api_token(user=cast.alice, name="laptop")
    revoke_api_token(actor=cast.alice, token=token)
    issuer = keys.ensure_issuer(cast.district_a)
    first = keys.active_key(issuer)
    keys.rotate_key(cast.access(cast.dana), actor=cast.dana)
    keys.revoke_key(cast.access(cast.dana), first.public_id, reason="laptop lost", actor=cast.dana)
    set_roles(
        access=cast.access(cast.dana),
        actor=cast.dana,
        user=cast.eve,
        roles=[Role.EDUCATOR, Role.COACH],
        school=cast.elementary_a,
    )

    actions = set(AuditEvent.objects.values_list("action", flat=True))

    assert {
        "accounts.login_failed",
        "accounts.login",
        "accounts.password_set",
        "accounts.token_created",
        "accounts.token_revoked",
        "credential.key_created",
        "credential.key_rotated",
        "credential.key_revoked",
        "districts.roles_changed",
    } <= actions
    created = AuditEvent.objects.get(action="credential.key_created")
    assert (created.district, created.target_id) == (cast.district_a, str(first.public_id))
