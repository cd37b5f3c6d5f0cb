"""Identity pages: sign in and out, profile, password change and reset, API tokens."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlparse

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from trellis.accounts.models import ApiToken, LoginFailure
from trellis.accounts.services import create_api_token, revoke_api_token
from trellis.accounts.tests.factories import TEST_PASSWORD
from trellis.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")
PROFILE = reverse("accounts:profile")
CHANGE_PASSWORD = reverse("accounts:change_password")
CREATE_TOKEN = reverse("accounts:create_token")
RESET = reverse("accounts:password_reset")
HOME = reverse("dashboard:home")
ALICE = "alice@northfield.test"
NEW_PASSWORD = "a far better passphrase"
NO_MATCH = "That e-mail and password do not match an active account."
EMAIL_LOCK_MESSAGE = (
    "Too many failed sign-in attempts for this account. Wait 15 minutes or reset your password."
)


def signed_in_as(client: Client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


def post_login(client: Client, email: str = ALICE, password: str = TEST_PASSWORD, **extra):
    return client.post(LOGIN, {"email": email, "password": password, **extra})


# --- signing in ---------------------------------------------------------------------------------


def test_the_sign_in_page_shows_the_form(db):
    response = Client().get(LOGIN)

    assert response.status_code == 200
    assertTemplateUsed(response, "accounts/login.html")
    assertContains(response, 'name="email"')
    assertContains(response, 'name="password"')


def test_sign_in_with_the_email_in_any_case_goes_to_the_dashboard(cast):
    client = Client()

    response = post_login(client, email="Alice@NORTHFIELD.test")

    assert response.status_code == 302
    assert response["Location"] == HOME
    assert signed_in_as(client) == cast.alice.pk
    assert AuditEvent.objects.filter(action="accounts.login", actor=cast.alice).count() == 1


def test_a_wrong_password_shows_a_clear_error_and_is_recorded(cast):
    client = Client()

    response = post_login(client, password="wrong horse battery")

    assert response.status_code == 400
    assertContains(response, NO_MATCH, status_code=400)
    assert signed_in_as(client) is None
    failure = LoginFailure.objects.get()
    assert (failure.email, failure.ip_address) == (ALICE, "127.0.0.1")
    event = AuditEvent.objects.get()
    assert (event.action, event.subject, event.actor) == ("accounts.login_failed", cast.alice, None)
    assert event.data == {"email": ALICE, "channel": "web"}


def test_the_page_keeps_the_typed_email_but_never_the_password(cast):
    response = post_login(Client(), password="wrong horse battery")

    assertContains(response, f'value="{ALICE}"', status_code=400)
    assertNotContains(response, "wrong horse battery", status_code=400)


@pytest.mark.parametrize(
    "data",
    [{"email": "not-an-email", "password": "x"}, {"email": ALICE, "password": ""}, {}],
)
def test_an_incomplete_form_is_refused_and_not_counted_as_a_failure(cast, data):
    client = Client()

    response = client.post(LOGIN, data)

    assert response.status_code == 400
    assert signed_in_as(client) is None
    assert LoginFailure.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_after_too_many_failures_the_page_answers_429_even_with_the_right_password(cast, settings):
    client = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert post_login(client, password="wrong").status_code == 400

    response = post_login(client)

    assert response.status_code == 429
    assertContains(response, EMAIL_LOCK_MESSAGE, status_code=429)
    assert signed_in_as(client) is None
    assert LoginFailure.objects.count() == settings.LOGIN_FAILURE_LIMIT
    assert not AuditEvent.objects.filter(action="accounts.login").exists()


def test_too_many_failures_from_one_address_lock_it_for_everyone_there(cast, settings):
    settings.LOGIN_FAILURE_IP_LIMIT = 2
    office = Client(REMOTE_ADDR="192.0.2.10")
    post_login(office, email="someone@example.test", password="wrong")
    post_login(office, email="other@example.test", password="wrong")

    response = post_login(office)

    assert response.status_code == 429
    assertContains(
        response,
        "Too many failed sign-in attempts from your network. Wait 15 minutes.",
        status_code=429,
    )
    assert signed_in_as(office) is None
    elsewhere = Client(REMOTE_ADDR="192.0.2.99")
    assert post_login(elsewhere).status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(cast, settings):
    client = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        post_login(client, password="wrong")

    assert post_login(client).status_code == 302

    assert LoginFailure.objects.count() == 0


def test_a_safe_next_url_is_followed_after_sign_in(cast):
    response = post_login(Client(), next=PROFILE)

    assert response.status_code == 302
    assert response["Location"] == PROFILE


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/steal",
        "//evil.example/steal",
        "http://evil.example",
        "javascript:alert(1)",
        "accounts:logout",
        "https://testserver.evil.example/",
    ],
)
def test_an_external_or_odd_next_url_is_ignored(cast, next_url):
    response = post_login(Client(), next=next_url)

    assert response.status_code == 302
    assert response["Location"] == HOME


def test_the_next_url_from_the_query_string_is_kept_in_the_form(db):
    response = Client().get(LOGIN, {"next": PROFILE})

    assertContains(response, f'name="next" value="{PROFILE}"')


def test_an_external_next_url_is_not_echoed_into_the_form(db):
    response = Client().get(LOGIN, {"next": "https://evil.example/"})

    assertContains(response, 'name="next" value=""')
    assertNotContains(response, "evil.example")


def test_a_signed_in_person_visiting_the_sign_in_page_is_sent_on(cast, client_for):
    client = client_for(cast.alice)

    assert client.get(LOGIN)["Location"] == HOME
    assert client.get(LOGIN, {"next": PROFILE})["Location"] == PROFILE
    assert client.get(LOGIN, {"next": "https://evil.example/"})["Location"] == HOME


def test_a_protected_page_sends_an_anonymous_visitor_to_sign_in_and_back(cast):
    client = Client()

    response = client.get(PROFILE)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={PROFILE}"
    assert post_login(client, next=PROFILE)["Location"] == PROFILE


# --- signing out --------------------------------------------------------------------------------


def test_logout_by_get_is_refused_and_keeps_the_session(cast, client_for):
    client = client_for(cast.alice)

    response = client.get(LOGOUT)

    assert response.status_code == 405
    assert signed_in_as(client) == cast.alice.pk
    assert AuditEvent.objects.count() == 0


def test_logout_by_post_ends_the_session_and_is_recorded(cast, client_for):
    client = client_for(cast.alice)

    response = client.post(LOGOUT, follow=True)

    assert response.redirect_chain == [(LOGIN, 302)]
    assertContains(response, "You are signed out.")
    assert signed_in_as(client) is None
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.ip_address) == (
        "accounts.logout",
        cast.alice,
        "127.0.0.1",
    )
    assert client.get(PROFILE).status_code == 302


def test_logout_when_not_signed_in_writes_nothing(db):
    response = Client().post(LOGOUT)

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert AuditEvent.objects.count() == 0


# --- profile ------------------------------------------------------------------------------------


def test_the_profile_page_shows_the_current_names(cast, client_for):
    response = client_for(cast.alice).get(PROFILE)

    assert response.status_code == 200
    assertContains(response, "Signed in as alice@northfield.test.")
    assertContains(response, 'value="Alice Archer"')
    assertContains(response, "No tokens yet.")


def test_updating_the_profile_saves_it(cast, client_for):
    client = client_for(cast.alice)

    response = client.post(PROFILE, {"full_name": " Alice B. Archer ", "preferred_name": "Al"})

    assert response.status_code == 302
    assert response["Location"] == PROFILE
    cast.alice.refresh_from_db()
    assert (cast.alice.full_name, cast.alice.preferred_name) == ("Alice B. Archer", "Al")
    assertContains(client.get(PROFILE), "Your profile is saved.")
    assert AuditEvent.objects.filter(action="accounts.profile_updated").count() == 1


@pytest.mark.parametrize("blank", ["", "    "])
def test_a_blank_name_is_refused_and_nothing_is_written(cast, client_for, blank):
    response = client_for(cast.alice).post(PROFILE, {"full_name": blank, "preferred_name": "Al"})

    assert response.status_code == 400
    assertContains(response, "This field is required.", status_code=400)
    cast.alice.refresh_from_db()
    assert (cast.alice.full_name, cast.alice.preferred_name) == ("Alice Archer", "")
    assert AuditEvent.objects.count() == 0


def test_a_name_longer_than_the_limit_is_refused(cast, client_for):
    response = client_for(cast.alice).post(PROFILE, {"full_name": "A" * 151})

    assertContains(
        response,
        "Ensure this value has at most 150 characters (it has 151).",
        status_code=400,
    )
    cast.alice.refresh_from_db()
    assert cast.alice.full_name == "Alice Archer"


# --- changing the password ----------------------------------------------------------------------


def change_password(client: Client, current: str = TEST_PASSWORD, new: str = NEW_PASSWORD):
    return client.post(CHANGE_PASSWORD, {"current_password": current, "new_password": new})


def test_change_password_needs_a_post(cast, client_for):
    assert client_for(cast.alice).get(CHANGE_PASSWORD).status_code == 405


def test_a_wrong_current_password_is_refused_and_nothing_changes(cast, client_for):
    response = change_password(client_for(cast.alice), current="not my password")

    assertContains(response, "That is not your current password.", status_code=400)
    cast.alice.refresh_from_db()
    assert cast.alice.check_password(TEST_PASSWORD)
    assert AuditEvent.objects.count() == 0


def test_a_weak_new_password_is_refused_with_the_validators_message(cast, client_for):
    response = change_password(client_for(cast.alice), new="short")

    assertContains(
        response,
        "This password is too short. It must contain at least 10 characters.",
        status_code=400,
    )
    cast.alice.refresh_from_db()
    assert cast.alice.check_password(TEST_PASSWORD)
    assert AuditEvent.objects.count() == 0


def test_changing_the_password_keeps_the_session(cast, client_for):
    client = client_for(cast.alice)

    response = change_password(client)

    assert response.status_code == 302
    assert response["Location"] == PROFILE
    cast.alice.refresh_from_db()
    assert cast.alice.check_password(NEW_PASSWORD)
    follow = client.get(PROFILE)
    assert follow.status_code == 200
    assertContains(follow, "Your password is changed.")
    assert signed_in_as(client) == cast.alice.pk
    assert AuditEvent.objects.filter(action="accounts.password_set").count() == 1


def test_after_a_change_other_sessions_end_and_only_the_new_password_works(cast, client_for):
    other_device = client_for(cast.alice)
    change_password(client_for(cast.alice))

    assert other_device.get(PROFILE).status_code == 302
    assert post_login(Client()).status_code == 400
    assert post_login(Client(), password=NEW_PASSWORD).status_code == 302


# --- password reset -----------------------------------------------------------------------------


def request_reset(client: Client, email: str, capture):
    with capture(execute=True):
        return client.post(RESET, {"email": email})


def same_page(html: str) -> str:
    """The page without its per-request CSRF tokens (64 letters and digits)."""
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "<csrf>", html)


def reset_path_from(body: str) -> str:
    match = re.search(r"^(https?://\S+/accounts/password-reset/\S+/)$", body, re.MULTILINE)
    assert match, body
    return urlparse(match.group(1)).path


def test_the_reset_page_shows_a_form(db):
    response = Client().get(RESET)

    assert response.status_code == 200
    assertContains(response, "Send the reset link")


def test_a_reset_for_an_unknown_email_shows_the_same_page_and_sends_nothing(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    unknown = request_reset(Client(), "nobody@northfield.test", django_capture_on_commit_callbacks)
    known = request_reset(Client(), ALICE, django_capture_on_commit_callbacks)

    assert unknown.status_code == known.status_code == 200
    assertTemplateUsed(unknown, "accounts/password_reset_sent.html")
    assertContains(unknown, "If <strong>nobody@northfield.test</strong> belongs to an account")
    assert same_page(unknown.content.decode().replace("nobody@northfield.test", ALICE)) == (
        same_page(known.content.decode())
    )
    assert [m.to for m in mailoutbox] == [[ALICE]]
    assert AuditEvent.objects.filter(action="accounts.password_reset_requested").count() == 1


def test_a_reset_request_with_a_malformed_email_is_refused(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    response = request_reset(Client(), "not-an-email", django_capture_on_commit_callbacks)

    assert response.status_code == 400
    assertContains(response, "Enter a valid email address.", status_code=400)
    assert mailoutbox == []


def test_the_reset_link_works_once(cast, mailoutbox, django_capture_on_commit_callbacks):
    response = request_reset(Client(), ALICE, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert len(mailoutbox) == 1
    path = reset_path_from(mailoutbox[0].body)
    client = Client()

    form = client.get(path)
    assert form.status_code == 200
    assertContains(form, "Choose a new password")

    mismatch = client.post(path, {"new_password": NEW_PASSWORD, "new_password_again": "other"})
    assertContains(mismatch, "The two passwords do not match.", status_code=400)
    cast.alice.refresh_from_db()
    assert cast.alice.check_password(TEST_PASSWORD)

    weak = client.post(path, {"new_password": "short", "new_password_again": "short"})
    assertContains(
        weak,
        "This password is too short. It must contain at least 10 characters.",
        status_code=400,
    )

    done = client.post(
        path, {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}, follow=True
    )
    assert done.redirect_chain == [(LOGIN, 302)]
    assertContains(done, "Your password is set. Sign in with it now.")
    event = AuditEvent.objects.get(action="accounts.password_set")
    assert event.data == {"reason": "reset by e-mail link"}

    assert post_login(Client()).status_code == 400
    assert post_login(Client(), password=NEW_PASSWORD).status_code == 302

    again = Client().get(path)
    assert again.status_code == 400
    assertTemplateUsed(again, "accounts/password_reset_invalid.html")
    assertContains(again, "This link is no longer valid", status_code=400)
    reuse = Client().post(
        path, {"new_password": "yet another secret", "new_password_again": "yet another secret"}
    )
    assert reuse.status_code == 400
    cast.alice.refresh_from_db()
    assert cast.alice.check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/password-reset/xx/set-password/",
        "/accounts/password-reset/MQ/abc-def/",
        "/accounts/password-reset/%F0%9F%92%A9/abc/",
        "/accounts/password-reset/OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5/abc/",
    ],
)
def test_a_forged_reset_link_shows_the_invalid_page(cast, path):
    response = Client().get(path)

    assert response.status_code == 400
    assertTemplateUsed(response, "accounts/password_reset_invalid.html")


# --- API tokens ---------------------------------------------------------------------------------


def test_creating_a_token_shows_the_secret_once(cast, client_for):
    client = client_for(cast.alice)

    response = client.post(CREATE_TOKEN, {"name": "SIS sync"})

    assert response.status_code == 200
    token = ApiToken.objects.get(user=cast.alice)
    secret = response.context["new_token_secret"]
    assert secret.startswith("trl_")
    assertContains(response, f'<p class="secret" id="new-token">{secret}</p>', html=False)
    assertContains(response, "Token created. Copy it now: it will not be shown again.")
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert token.name == "SIS sync"
    later = client.get(PROFILE)
    assertNotContains(later, secret)
    assertContains(later, f"{token.prefix}…")


def test_a_token_without_a_name_is_refused(cast, client_for):
    response = client_for(cast.alice).post(CREATE_TOKEN, {"name": ""})

    assertContains(response, "This field is required.", status_code=400)
    assert ApiToken.objects.count() == 0


def test_creating_tokens_needs_a_post(cast, client_for):
    assert client_for(cast.alice).get(CREATE_TOKEN).status_code == 405


def test_the_twenty_first_active_token_is_refused_with_a_clear_message(cast, client_for):
    for index in range(20):
        create_api_token(user=cast.alice, name=f"t{index}")

    response = client_for(cast.alice).post(CREATE_TOKEN, {"name": "one more"})

    assertContains(
        response,
        "You have 20 active tokens. Revoke one before creating another.",
        status_code=400,
    )
    assert ApiToken.objects.filter(user=cast.alice).count() == 20


def test_revoking_a_token_works_and_says_so(cast, client_for):
    token, _secret = create_api_token(user=cast.alice, name="SIS sync")
    client = client_for(cast.alice)

    response = client.post(reverse("accounts:revoke_token", args=[token.public_id]), follow=True)

    assert response.redirect_chain == [(PROFILE, 302)]
    assertContains(response, "Token “SIS sync” is revoked.")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_revoking_twice_shows_a_clear_error(cast, client_for):
    token, _secret = create_api_token(user=cast.alice, name="SIS sync")
    revoke_api_token(actor=cast.alice, token=token)
    token.refresh_from_db()
    revoked_at = token.revoked_at

    response = client_for(cast.alice).post(
        reverse("accounts:revoke_token", args=[token.public_id]), follow=True
    )

    assertContains(response, "This token was already revoked.")
    token.refresh_from_db()
    assert token.revoked_at == revoked_at
    assert AuditEvent.objects.filter(action="accounts.token_revoked").count() == 1


def test_another_persons_token_is_not_found(cast, client_for):
    token, _secret = create_api_token(user=cast.bob, name="Bob's")

    response = client_for(cast.alice).post(reverse("accounts:revoke_token", args=[token.public_id]))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert AuditEvent.objects.filter(action="accounts.token_revoked").count() == 0


def test_revoking_needs_a_post(cast, client_for):
    token, _secret = create_api_token(user=cast.alice, name="SIS sync")

    response = client_for(cast.alice).get(reverse("accounts:revoke_token", args=[token.public_id]))

    assert response.status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None
