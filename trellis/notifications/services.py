"""Telling people what needs them: the in-app row, the e-mail their preference asks for, marking
read, choosing channels and the no-login unsubscribe link."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from trellis.audit import services as audit
from trellis.core.email import queue_email
from trellis.core.erasure import delete_counted
from trellis.core.errors import DomainError
from trellis.notifications.models import (
    Channel,
    DigestSent,
    Kind,
    Notification,
    NotificationPreference,
    ReminderSent,
)
from trellis.notifications.preferences import MUST_KNOW, allowed_channels, channel_for

UNSUBSCRIBE_SALT = "trellis.notifications.unsubscribe"
DIGEST = "digest"  # the unsubscribe token's kind for the weekly digest e-mail
MAX_SUBJECT = 200


def site_url(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


# ---------------------------------------------------------------------------------------------
# the unread count behind the bell (cached per person; every change below clears it)
# ---------------------------------------------------------------------------------------------

UNREAD_TTL = 60  # seconds: a count changed by another process (the task worker) is never older


def unread_cache_key(user: Any) -> str:
    # By public id, not pk: a pk can be reused (tests, restores) while a stale count is cached.
    return f"notifications:unread:{user.public_id}"


def forget_unread(user: Any) -> None:
    cache.delete(unread_cache_key(user))


def bump_unread(user: Any, district_id: int | None, delta: int) -> None:
    """Adjust a cached count in place rather than dropping it, so the next page needs no query.
    A notice of no district counts in every district's figure."""
    key = unread_cache_key(user)
    counts = cache.get(key)
    if not counts:
        return
    for cached_district in counts:
        if district_id is None or cached_district == district_id:
            counts[cached_district] = max(counts[cached_district] + delta, 0)
    cache.set(key, counts, UNREAD_TTL)


# ---------------------------------------------------------------------------------------------
# notify
# ---------------------------------------------------------------------------------------------


def notify(
    recipient: Any,
    *,
    district: Any = None,
    kind: str = Kind.GENERAL,
    subject: str,
    lines: list[str],
    path: str = "",
) -> Notification | None:
    """Record the notice in Trellis and e-mail it if the person wants that kind by e-mail now.
    Returns the row, or None when the person switched the kind off."""
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind: {kind!r}")
    channel = channel_for(recipient, district, kind)
    if channel == Channel.OFF:
        return None
    body = "\n\n".join(line for line in lines if line)
    now = timezone.now()
    email_now = channel == Channel.IN_APP_AND_EMAIL and bool(getattr(recipient, "email", ""))
    notification = Notification.objects.create(
        recipient=recipient,
        district=district,
        kind=kind,
        subject=subject[:MAX_SUBJECT],
        body=body,
        path=path[:500],
        in_digest=channel == Channel.DIGEST_ONLY,
        emailed_at=now if email_now else None,
    )
    if email_now:
        queue_email(
            to=[recipient.email],
            subject=f"Trellis: {subject}",
            body=email_body(recipient, body=body, path=path, kind=kind, district=district),
        )
    bump_unread(recipient, getattr(district, "pk", None), +1)
    return notification


def email_body(recipient: Any, *, body: str, path: str, kind: str, district: Any) -> str:
    text = body
    if path:
        text += f"\n\n{site_url(path)}"
    token = unsubscribe_token(recipient, kind=kind, district=district)
    return (
        f"{text}\n\n-- \n"
        f"All your notifications: {site_url(reverse('notifications:list'))}\n"
        f"Stop e-mails like this one: "
        f"{site_url(reverse('notifications:unsubscribe', args=[token]))}"
    )


# ---------------------------------------------------------------------------------------------
# read state
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def mark_read(*, user: Any, notification: Notification) -> Notification:
    if notification.recipient_id != user.pk:  # queries already 404 others' rows; belt and braces
        raise DomainError("not_yours", "That notification is not yours.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
        bump_unread(user, notification.district_id, -1)
    return notification


@transaction.atomic
def mark_all_read(*, user: Any, district: Any = None) -> int:
    """Mark read everything the person sees in this district (and notices of no district)."""
    from trellis.notifications.queries import visible_to

    changed = (
        visible_to(user, district)
        .filter(read_at__isnull=True)
        .update(read_at=timezone.now(), updated_at=timezone.now())
    )
    forget_unread(user)
    return changed


# ---------------------------------------------------------------------------------------------
# preferences
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def set_preferences(*, user: Any, district: Any, choices: dict[str, str]) -> dict[str, str]:
    """Save the person's channel per kind for the district (None: everywhere). Validates every
    choice before writing anything. Returns what changed, kind → channel."""
    errors = {}
    for kind, channel in choices.items():
        if kind not in Kind.values:
            errors[kind] = "This is not a kind of notification."
        elif channel not in allowed_channels(kind):
            errors[kind] = (
                "This notice cannot be switched off: choose Trellis only or the weekly digest."
                if channel == Channel.OFF and kind in MUST_KNOW
                else "Choose one of the listed channels."
            )
    if errors:
        raise DomainError("invalid_preferences", "Some choices could not be saved.", details=errors)
    existing = {
        row.kind: row for row in NotificationPreference.objects.filter(user=user, district=district)
    }
    changed: dict[str, str] = {}
    for kind, channel in choices.items():
        row = existing.get(kind)
        if row is None:
            NotificationPreference.objects.create(
                user=user, district=district, kind=kind, channel=channel
            )
            changed[kind] = channel
        elif row.channel != channel:
            row.channel = channel
            row.save(update_fields=["channel", "updated_at"])
            changed[kind] = channel
    if changed:
        audit.record(
            action="notifications.preferences_changed",
            summary="Changed how they are notified",
            actor=user,
            subject=user,
            district=district,
            data={"changed": changed},
        )
    return changed


# ---------------------------------------------------------------------------------------------
# unsubscribe: a signed link in every e-mail, no sign-in needed
# ---------------------------------------------------------------------------------------------


def unsubscribe_token(user: Any, *, kind: str, district: Any = None) -> str:
    district_ids = district if isinstance(district, list) else [getattr(district, "pk", None)]
    return signing.dumps({"u": user.pk, "k": kind, "d": district_ids}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> dict[str, Any]:
    """The token's payload, or DomainError("invalid_link") for anything not signed by us."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise DomainError(
            "invalid_link", "This unsubscribe link is not valid. Sign in to change your choices."
        ) from None
    if not (
        isinstance(payload, dict)
        and isinstance(payload.get("u"), int)
        and (payload.get("k") in Kind.values or payload.get("k") == DIGEST)
        and isinstance(payload.get("d"), list)
    ):
        raise DomainError("invalid_link", "This unsubscribe link is not valid.")
    return payload


@transaction.atomic
def unsubscribe(*, token: str) -> tuple[Any, list[str]]:
    """Turn off the e-mail the token names: one kind → Trellis only; the digest → every kind
    that went to the digest now stays in Trellis only. Returns (person, kinds changed)."""
    from django.contrib.auth import get_user_model

    from trellis.districts.models import District

    payload = read_unsubscribe_token(token)
    user = get_user_model().objects.filter(pk=payload["u"], is_active=True).first()
    if user is None:
        raise DomainError("invalid_link", "This unsubscribe link is not valid.")
    district_ids = [pk for pk in payload["d"] if isinstance(pk, int)]
    districts: list[Any] = list(District.objects.filter(pk__in=district_ids))
    if None in payload["d"] or not districts:
        districts.append(None)
    changed_kinds: set[str] = set()
    for district in districts:
        if payload["k"] == DIGEST:
            kinds = [
                k for k in Kind.values if channel_for(user, district, k) == Channel.DIGEST_ONLY
            ]
        elif channel_for(user, district, payload["k"]) in (
            Channel.IN_APP_AND_EMAIL,
            Channel.DIGEST_ONLY,
        ):
            kinds = [payload["k"]]
        else:
            kinds = []
        for kind in kinds:
            NotificationPreference.objects.update_or_create(
                user=user, district=district, kind=kind, defaults={"channel": Channel.IN_APP_ONLY}
            )
            changed_kinds.add(kind)
        if kinds:
            audit.record(
                action="notifications.unsubscribed",
                summary="Stopped e-mails from an unsubscribe link",
                subject=user,
                district=district,
                data={"kinds": kinds},
            )
    return user, sorted(changed_kinds)


# ---------------------------------------------------------------------------------------------
# reminders: once per subject per person, however often the job runs
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def notify_once(
    recipient: Any,
    *,
    key: str,
    district: Any = None,
    kind: str,
    subject: str,
    lines: list[str],
    path: str = "",
) -> bool:
    """Notify unless a reminder with this key already went to the person. True when sent now."""
    from trellis.notifications.models import ReminderSent

    _, created = ReminderSent.objects.get_or_create(recipient=recipient, key=key[:200])
    if not created:
        return False
    notify(recipient, district=district, kind=kind, subject=subject, lines=lines, path=path)
    return True


def erasable(district: Any, user: Any, *, everywhere: bool) -> dict[str, QuerySet]:
    """One person's notification rows in one district, for a privacy erasure (trellis/privacy;
    shared with its preview). Preferences without a district, and the reminder and digest
    bookkeeping, carry no district: they go only with the last district (`everywhere`)."""
    in_district = (
        Q(district=district) | Q(district__isnull=True) if everywhere else Q(district=district)
    )
    none = ReminderSent.objects.none()
    return {
        "notifications.notifications": Notification.objects.filter(in_district, recipient=user),
        "notifications.preferences": NotificationPreference.objects.filter(in_district, user=user),
        "notifications.reminders_sent": (
            ReminderSent.objects.filter(recipient=user) if everywhere else none
        ),
        "notifications.digests_sent": (
            DigestSent.objects.filter(recipient=user) if everywhere else DigestSent.objects.none()
        ),
    }


def erase_personal_data(*, district: Any, user: Any, everywhere: bool) -> dict[str, int]:
    """Delete the rows of `erasable`; the caller holds the transaction and writes the audit."""
    return delete_counted(erasable(district, user, everywhere=everywhere))
