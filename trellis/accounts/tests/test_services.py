"""Identity services: sign-in with throttling, profile, passwords, API tokens, password reset."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from trellis.accounts import services
from trellis.accounts.models import ApiToken, LoginFailure
from trellis.accounts.tests.factories import TEST_PASSWORD
from trellis.audit.models import AuditEvent
from trellis.core.errors import ConflictError, DomainError, TooManyAttempts

pytestmark = pytest.mark.django_db

ALICE = "alice@northfield.test"
IP = "203.0.113.7"
EMAIL_LOCK_MESSAGE = (
    "Too many failed sign-in attempts for this account. Wait 15 minutes or reset your password."
)
IP_LOCK_MESSAGE = "Too many failed sign-in attempts from your network. Wait 15 minutes."
START = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


def sign_in(email: str = ALICE, password: str = TEST_PASSWORD, ip: str | None = IP):
    return services.authenticate_credentials(
        email=email, password=password, ip_address=ip, channel="web"
    )


def fail(email: str = ALICE, ip: str | None = IP, times: int = 1) -> None:
    for _ in range(times):
        with pytest.raises(DomainError) as caught:
            sign_in(email=email, password="not the password", ip=ip)
        assert caught.value.code == "invalid_credentials"


# --- signing in ---------------------------------------------------------------------------------


def test_sign_in_matches_the_email_case_insensitively_and_ignores_spaces(cast):
    user = sign_in(email="  ALICE@Northfield.Test ")

    assert user == cast.alice
    event = AuditEvent.objects.get(action="accounts.login")
    assert event.actor == cast.alice
    assert event.actor_label == ALICE
    assert event.summary == "Signed in (web)"
    assert event.data == {"channel": "web"}
    assert event.ip_address == IP
    assert event.target_type == "accounts.user"
    assert event.target_id == str(cast.alice.public_id)
    assert LoginFailure.objects.count() == 0


def test_wrong_password_is_refused_and_recorded(cast):
    with pytest.raises(DomainError) as caught:
        sign_in(password="wrong horse battery")

    assert caught.value.code == "invalid_credentials"
    assert caught.value.message == "That e-mail and password do not match an active account."
    assert caught.value.status == 400
    failure = LoginFailure.objects.get()
    assert (failure.email, failure.ip_address) == (ALICE, IP)
    event = AuditEvent.objects.get()
    assert event.action == "accounts.login_failed"
    assert event.subject == cast.alice
    assert event.actor is None
    assert event.actor_label == ""
    assert event.summary == f"Failed sign-in for {ALICE} (web)"
    assert event.data == {"email": ALICE, "channel": "web"}
    assert event.ip_address == IP
    assert event.target_id == str(cast.alice.public_id)


def test_failure_for_a_mixed_case_email_is_stored_lower_case_with_the_known_subject(cast):
    fail(email="Alice@NORTHFIELD.test")

    assert list(LoginFailure.objects.values_list("email", flat=True)) == [ALICE]
    assert AuditEvent.objects.get(action="accounts.login_failed").subject == cast.alice


def test_unknown_email_is_refused_with_the_same_message_and_no_subject(cast):
    with pytest.raises(DomainError) as caught:
        sign_in(email="nobody@northfield.test")

    assert caught.value.message == "That e-mail and password do not match an active account."
    assert LoginFailure.objects.get().email == "nobody@northfield.test"
    event = AuditEvent.objects.get()
    assert event.action == "accounts.login_failed"
    assert event.subject is None
    assert (event.target_type, event.target_id) == ("", "")


def test_deactivated_person_is_refused_even_with_the_right_password(cast):
    cast.alice.is_active = False
    cast.alice.save(update_fields=["is_active"])

    with pytest.raises(DomainError) as caught:
        sign_in()

    assert caught.value.code == "invalid_credentials"
    assert not AuditEvent.objects.filter(action="accounts.login").exists()
    assert LoginFailure.objects.count() == 1


def test_api_channel_is_named_in_the_audit_rows(cast):
    services.authenticate_credentials(
        email=ALICE, password=TEST_PASSWORD, ip_address=None, channel="api"
    )

    event = AuditEvent.objects.get(action="accounts.login")
    assert event.summary == "Signed in (api)"
    assert event.ip_address is None


# --- throttling ---------------------------------------------------------------------------------


def test_too_many_failures_for_an_email_lock_it_even_with_the_right_password(cast, settings):
    fail(times=settings.LOGIN_FAILURE_LIMIT)
    audit_rows = AuditEvent.objects.count()

    with pytest.raises(TooManyAttempts) as caught:
        sign_in(password=TEST_PASSWORD)

    assert caught.value.code == "too_many_attempts"
    assert caught.value.status == 429
    assert caught.value.message == EMAIL_LOCK_MESSAGE
    assert LoginFailure.objects.count() == settings.LOGIN_FAILURE_LIMIT
    assert AuditEvent.objects.count() == audit_rows
    assert not AuditEvent.objects.filter(action="accounts.login").exists()


def test_one_failure_fewer_than_the_limit_still_allows_the_right_password(cast, settings):
    fail(times=settings.LOGIN_FAILURE_LIMIT - 1)

    assert sign_in() == cast.alice


def test_failures_count_whatever_the_case_of_the_email(cast, settings):
    for index in range(settings.LOGIN_FAILURE_LIMIT):
        fail(email=ALICE.upper() if index % 2 else ALICE)

    with pytest.raises(TooManyAttempts):
        sign_in()


def test_the_email_lock_applies_from_any_address(cast, settings):
    fail(times=settings.LOGIN_FAILURE_LIMIT, ip="198.51.100.1")

    with pytest.raises(TooManyAttempts):
        sign_in(ip="198.51.100.2")


def test_the_email_lock_does_not_touch_other_people(cast, settings):
    fail(times=settings.LOGIN_FAILURE_LIMIT, ip=None)

    assert sign_in(email="carol@northfield.test", ip=None) == cast.carol


def test_too_many_failures_from_one_address_lock_that_address(cast, settings):
    settings.LOGIN_FAILURE_IP_LIMIT = 3
    for email in ("x1@example.test", "x2@example.test", "x3@example.test"):
        fail(email=email)

    with pytest.raises(TooManyAttempts) as caught:
        sign_in()

    assert caught.value.code == "too_many_attempts"
    assert caught.value.message == IP_LOCK_MESSAGE
    assert LoginFailure.objects.count() == 3
    assert sign_in(ip="198.51.100.9") == cast.alice


def test_a_successful_sign_in_clears_the_failures_for_that_email(cast, settings):
    fail(times=settings.LOGIN_FAILURE_LIMIT - 1)
    fail(email="carol@northfield.test")

    sign_in()

    assert list(LoginFailure.objects.values_list("email", flat=True)) == ["carol@northfield.test"]
    fail(times=settings.LOGIN_FAILURE_LIMIT - 1)
    assert sign_in() == cast.alice


def test_failures_older_than_the_window_do_not_count(cast, settings, time_machine):
    time_machine.move_to(START, tick=False)
    fail(times=settings.LOGIN_FAILURE_LIMIT)

    time_machine.shift(dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS - 1))
    with pytest.raises(TooManyAttempts):
        sign_in()

    time_machine.shift(dt.timedelta(seconds=2))
    assert sign_in() == cast.alice


def test_the_window_slides_so_only_recent_failures_count(cast, settings, time_machine):
    limit = settings.LOGIN_FAILURE_LIMIT
    time_machine.move_to(START, tick=False)
    fail(times=limit - 1)
    time_machine.shift(dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS - 60))
    fail()
    with pytest.raises(TooManyAttempts):
        sign_in()

    time_machine.shift(dt.timedelta(seconds=120))  # the first failures leave the window
    fail(times=limit - 2)
    fail()  # still allowed: one recent failure plus limit - 2 new ones is below the limit

    with pytest.raises(TooManyAttempts):
        sign_in()


# --- signing out --------------------------------------------------------------------------------


def test_logout_is_recorded(cast):
    services.record_logout(user=cast.alice, ip_address=IP)

    event = AuditEvent.objects.get()
    assert (event.action, event.summary, event.actor, event.ip_address) == (
        "accounts.logout",
        "Signed out",
        cast.alice,
        IP,
    )


# --- profile ------------------------------------------------------------------------------------


def test_profile_update_trims_and_saves_names(cast):
    services.update_profile(user=cast.alice, full_name="  Alice B. Archer ", preferred_name=" Al ")

    cast.alice.refresh_from_db()
    assert (cast.alice.full_name, cast.alice.preferred_name) == ("Alice B. Archer", "Al")
    assert cast.alice.display_name == "Al"
    event = AuditEvent.objects.get()
    assert (event.action, event.actor) == ("accounts.profile_updated", cast.alice)


@pytest.mark.parametrize("blank", ["", "   ", "\t\n"])
def test_a_blank_full_name_is_refused_and_nothing_is_written(cast, blank):
    with pytest.raises(DomainError) as caught:
        services.update_profile(user=cast.alice, full_name=blank, preferred_name="Al")

    assert caught.value.code == "name_required"
    assert caught.value.message == "Enter your full name."
    cast.alice.refresh_from_db()
    assert (cast.alice.full_name, cast.alice.preferred_name) == ("Alice Archer", "")
    assert AuditEvent.objects.count() == 0


# --- passwords ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1x", "This password is too short. It must contain at least 10 characters."),
        ("password123", "This password is too common."),
        (
            "1234567890",
            "This password is too common. This password is entirely numeric.",
        ),
    ],
)
def test_a_weak_password_is_refused_with_the_validator_message(cast, password, message):
    old_hash = cast.alice.password

    with pytest.raises(DomainError) as caught:
        services.set_password(user=cast.alice, new_password=password)

    assert caught.value.code == "weak_password"
    assert caught.value.message == message
    cast.alice.refresh_from_db()
    assert cast.alice.password == old_hash
    assert AuditEvent.objects.count() == 0


def test_a_password_too_like_the_email_is_refused(cast):
    with pytest.raises(DomainError) as caught:
        services.set_password(user=cast.alice, new_password="alice@northfield")

    assert caught.value.message == "The password is too similar to the email."
    assert cast.alice.check_password(TEST_PASSWORD)


def test_setting_a_strong_password_saves_it_and_records_the_reason(cast):
    services.set_password(
        user=cast.alice, new_password="a much better secret", actor=cast.dana, reason="reset"
    )

    cast.alice.refresh_from_db()
    assert cast.alice.check_password("a much better secret")
    event = AuditEvent.objects.get()
    assert (event.action, event.summary, event.actor, event.data) == (
        "accounts.password_set",
        "Password reset",
        cast.dana,
        {"reason": "reset"},
    )
    assert event.target_id == str(cast.alice.public_id)


# --- API tokens ---------------------------------------------------------------------------------


def test_creating_a_token_returns_the_secret_once_and_stores_only_its_digest(cast):
    token, secret = services.create_api_token(user=cast.alice, name="  SIS sync ")

    assert secret.startswith("trl_")
    assert len(secret) == 4 + 43
    stored = ApiToken.objects.get()
    assert stored == token
    assert stored.name == "SIS sync"
    assert stored.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert stored.prefix == secret[:10]
    assert secret not in {stored.name, stored.prefix, stored.digest}
    assert stored.is_active
    event = AuditEvent.objects.get()
    assert (event.action, event.summary, event.target_type, event.target_id) == (
        "accounts.token_created",
        "Created API token “SIS sync”",
        "accounts.apitoken",
        str(token.public_id),
    )
    assert services.user_for_token(secret) == cast.alice


def test_two_tokens_never_share_a_secret(cast):
    _first, one = services.create_api_token(user=cast.alice, name="one")
    _second, two = services.create_api_token(user=cast.alice, name="two")

    assert one != two
    assert ApiToken.objects.values("digest").distinct().count() == 2


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [
        ("   ", "name_required", "Give the token a name so you can recognise it later."),
        ("x" * 81, "name_too_long", "Token names are at most 80 characters."),
    ],
)
def test_a_bad_token_name_is_refused_and_nothing_is_written(cast, name, code, message):
    with pytest.raises(DomainError) as caught:
        services.create_api_token(user=cast.alice, name=name)

    assert (caught.value.code, caught.value.message) == (code, message)
    assert ApiToken.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_a_person_may_hold_at_most_twenty_active_tokens(cast):
    tokens = [services.create_api_token(user=cast.alice, name=f"t{i}")[0] for i in range(20)]

    with pytest.raises(ConflictError) as caught:
        services.create_api_token(user=cast.alice, name="one too many")

    assert caught.value.code == "too_many_tokens"
    assert caught.value.status == 409
    assert caught.value.message == (
        "You have 20 active tokens. Revoke one before creating another."
    )
    assert ApiToken.objects.filter(user=cast.alice).count() == 20
    # Another person is not affected, and revoking one frees a place.
    services.create_api_token(user=cast.carol, name="carol's")
    services.revoke_api_token(actor=cast.alice, token=tokens[0])
    services.create_api_token(user=cast.alice, name="replacement")
    assert ApiToken.objects.filter(user=cast.alice, revoked_at__isnull=True).count() == 20


def test_revoking_a_token_stops_it_working(cast):
    token, secret = services.create_api_token(user=cast.alice, name="SIS sync")

    services.revoke_api_token(actor=cast.alice, token=token)

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert not token.is_active
    assert services.user_for_token(secret) is None
    event = AuditEvent.objects.get(action="accounts.token_revoked")
    assert event.summary == "Revoked API token “SIS sync”"


def test_revoking_a_token_twice_is_a_clear_conflict_and_changes_nothing(cast):
    token, _secret = services.create_api_token(user=cast.alice, name="SIS sync")
    services.revoke_api_token(actor=cast.alice, token=token)
    token.refresh_from_db()
    revoked_at = token.revoked_at

    with pytest.raises(ConflictError) as caught:
        services.revoke_api_token(actor=cast.alice, token=token)

    assert (caught.value.code, caught.value.message) == (
        "already_revoked",
        "This token was already revoked.",
    )
    token.refresh_from_db()
    assert token.revoked_at == revoked_at
    assert AuditEvent.objects.filter(action="accounts.token_revoked").count() == 1


@pytest.mark.parametrize("secret", ["", "trl_", "trl_unknown", "Bearer trl_x", "abc"])
def test_unknown_or_malformed_secrets_identify_nobody(cast, secret):
    services.create_api_token(user=cast.alice, name="real")

    assert services.user_for_token(secret) is None


def test_an_expired_token_identifies_nobody(cast, time_machine):
    time_machine.move_to(START, tick=False)
    _token, secret = services.create_api_token(
        user=cast.alice, name="short-lived", expires_at=START + dt.timedelta(hours=1)
    )
    assert services.user_for_token(secret) == cast.alice

    time_machine.shift(dt.timedelta(hours=1))

    assert services.user_for_token(secret) is None


def test_a_deactivated_persons_token_identifies_nobody(cast):
    _token, secret = services.create_api_token(user=cast.alice, name="sync")
    cast.alice.is_active = False
    cast.alice.save(update_fields=["is_active"])

    assert services.user_for_token(secret) is None


def test_token_use_is_marked_at_most_once_a_minute(cast, time_machine):
    time_machine.move_to(START, tick=False)
    token, secret = services.create_api_token(user=cast.alice, name="sync")

    services.user_for_token(secret)
    token.refresh_from_db()
    assert token.last_used_at == START

    time_machine.shift(dt.timedelta(seconds=59))
    services.user_for_token(secret)
    token.refresh_from_db()
    assert token.last_used_at == START

    time_machine.shift(dt.timedelta(seconds=2))
    services.user_for_token(secret)
    token.refresh_from_db()
    assert token.last_used_at == START + dt.timedelta(seconds=61)


# --- password reset -----------------------------------------------------------------------------


def test_a_reset_for_an_unknown_email_sends_nothing_and_writes_nothing(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.send_password_reset(email="nobody@northfield.test", ip_address=IP)

    assert callbacks == []
    assert mailoutbox == []
    assert AuditEvent.objects.count() == 0


def test_a_reset_for_a_deactivated_person_sends_nothing(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    cast.alice.is_active = False
    cast.alice.save(update_fields=["is_active"])

    with django_capture_on_commit_callbacks(execute=True):
        services.send_password_reset(email=ALICE, ip_address=IP)

    assert mailoutbox == []


def test_a_reset_for_a_known_email_queues_one_message_after_commit(
    cast, settings, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.send_password_reset(email=" Alice@Northfield.test ", ip_address=IP)
    assert mailoutbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1

    callbacks[0]()

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [ALICE]
    assert message.subject == "Reset your Trellis password"
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert f"{settings.SITE_URL}/accounts/password-reset/" in message.body
    assert message.body.startswith("Hello Alice,")
    event = AuditEvent.objects.get()
    assert (event.action, event.subject, event.actor, event.ip_address) == (
        "accounts.password_reset_requested",
        cast.alice,
        None,
        IP,
    )
