"""Writes for identity: sign-in with throttling, profile, passwords, API tokens, password reset."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from trellis.accounts.backends import EmailBackend
from trellis.accounts.models import ApiToken, LoginFailure, User
from trellis.audit import services as audit
from trellis.core.email import queue_email
from trellis.core.errors import ConflictError, DomainError, TooManyAttempts

TOKEN_PREFIX = "trl_"  # noqa: S105 - a public marker, not a secret


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def _window_text() -> str:
    minutes = max(1, round(settings.LOGIN_FAILURE_WINDOW_SECONDS / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def check_login_allowed(*, email: str, ip_address: str | None) -> None:
    """Refuse further attempts after too many recent failures for this e-mail or address."""
    since = _window_start()
    if (
        LoginFailure.objects.filter(email=normalize_email(email), at__gte=since).count()
        >= settings.LOGIN_FAILURE_LIMIT
    ):
        raise TooManyAttempts(
            "too_many_attempts",
            f"Too many failed sign-in attempts for this account. Wait {_window_text()} or reset your password.",
        )
    if ip_address and (
        LoginFailure.objects.filter(ip_address=ip_address, at__gte=since).count()
        >= settings.LOGIN_FAILURE_IP_LIMIT
    ):
        raise TooManyAttempts(
            "too_many_attempts",
            f"Too many failed sign-in attempts from your network. Wait {_window_text()}.",
        )


def authenticate_credentials(
    *, email: str, password: str, ip_address: str | None, channel: str
) -> User:
    """Check e-mail and password, throttled. `channel` ("web" or "api") goes into the audit row.

    Not atomic as a whole: a failure must be committed *before* the error is raised, or the
    rollback would erase the very row that throttling counts.
    """
    email = normalize_email(email)
    check_login_allowed(email=email, ip_address=ip_address)
    user = EmailBackend().authenticate(None, email=email, password=password)
    if user is None:
        _record_login_failure(email=email, ip_address=ip_address, channel=channel)
        raise DomainError(
            "invalid_credentials", "That e-mail and password do not match an active account."
        )
    with transaction.atomic():
        LoginFailure.objects.filter(email=email).delete()
        audit.record(
            action="accounts.login",
            summary=f"Signed in ({channel})",
            actor=user,
            target=user,
            data={"channel": channel},
            ip_address=ip_address,
        )
    return user


@transaction.atomic
def _record_login_failure(*, email: str, ip_address: str | None, channel: str) -> None:
    LoginFailure.objects.create(email=email, ip_address=ip_address)
    known = User.objects.filter(email__iexact=email).first()
    audit.record(
        action="accounts.login_failed",
        summary=f"Failed sign-in for {email} ({channel})",
        subject=known,
        target=known,
        data={"email": email, "channel": channel},
        ip_address=ip_address,
    )


@transaction.atomic
def record_logout(*, user: User, ip_address: str | None) -> None:
    audit.record(
        action="accounts.logout",
        summary="Signed out",
        actor=user,
        target=user,
        ip_address=ip_address,
    )


@transaction.atomic
def update_profile(*, user: User, full_name: str, preferred_name: str) -> User:
    full_name = full_name.strip()
    if not full_name:
        raise DomainError("name_required", "Enter your full name.")
    user.full_name = full_name[:150]
    user.preferred_name = preferred_name.strip()[:80]
    user.save(update_fields=["full_name", "preferred_name"])
    audit.record(
        action="accounts.profile_updated", summary="Updated their profile", actor=user, target=user
    )
    return user


def validate_new_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise DomainError("weak_password", " ".join(exc.messages)) from None


@transaction.atomic
def set_password(
    *, user: User, new_password: str, actor: User | None = None, reason: str = "changed"
) -> User:
    validate_new_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit.record(
        action="accounts.password_set",
        summary=f"Password {reason}",
        actor=actor or user,
        target=user,
        data={"reason": reason},
    )
    return user


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_api_token(
    *, user: User, name: str, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """Return the token row and its secret; the secret is never stored and cannot be shown again."""
    name = name.strip()
    if not name:
        raise DomainError("name_required", "Give the token a name so you can recognise it later.")
    if len(name) > 80:
        raise DomainError("name_too_long", "Token names are at most 80 characters.")
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= 20:
        raise ConflictError(
            "too_many_tokens", "You have 20 active tokens. Revoke one before creating another."
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        digest=_digest(secret),
        expires_at=expires_at,
    )
    audit.record(
        action="accounts.token_created",
        summary=f"Created API token “{name}”",
        actor=user,
        target=token,
    )
    return token, secret


@transaction.atomic
def revoke_api_token(*, actor: User, token: ApiToken) -> ApiToken:
    if token.revoked_at is not None:
        raise ConflictError("already_revoked", "This token was already revoked.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        action="accounts.token_revoked",
        summary=f"Revoked API token “{token.name}”",
        actor=actor,
        target=token,
    )
    return token


def user_for_token(secret: str) -> User | None:
    """The active user owning an active token, or None. Marks use at most once a minute."""
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=_digest(secret)).first()
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def send_password_reset(*, email: str, ip_address: str | None = None) -> None:
    """E-mail a reset link if the account exists; say nothing either way (no account probing)."""
    user = User.objects.filter(email=normalize_email(email), is_active=True).first()
    if user is None:
        return
    with transaction.atomic():
        path = reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        context = {
            "user": user,
            "reset_url": f"{settings.SITE_URL}{path}",
            "site_url": settings.SITE_URL,
        }
        queue_email(
            to=[user.email],
            subject="Reset your Trellis password",
            body=render_to_string("accounts/email/password_reset.txt", context),
        )
        audit.record(
            action="accounts.password_reset_requested",
            summary="Password reset e-mail requested",
            subject=user,
            target=user,
            ip_address=ip_address,
        )


@transaction.atomic
def deactivate_account(*, actor: User, user: User) -> int:
    """Close an account (no district left to work in): no sign-in, and every active API token
    revoked the usual way (each one audited). Returns how many tokens were revoked."""
    tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
    for token in tokens:
        revoke_api_token(actor=actor, token=token)
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit.record(
            action="accounts.deactivated",
            summary="Account deactivated: it belongs to no district any more",
            actor=actor,
            subject=user,
            target_label=str(user.public_id),
        )
    return len(tokens)
