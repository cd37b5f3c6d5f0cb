"""Welcome e-mails for people a roster import created: a link to choose their password.

The link is the ordinary password-reset link (valid for PASSWORD_RESET_TIMEOUT); after it
expires, "Forgot your password?" on the sign-in page sends a fresh one.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from trellis.accounts.models import User
from trellis.core.email import queue_email
from trellis.districts.models import District
from trellis.roster.sync import chunks

BATCH = 500


def queue_welcome_emails(*, district_id: int, user_ids: list[int]) -> None:
    """One task per batch of new people, enqueued once the import's last write commits."""
    from trellis.roster.tasks import send_welcome_emails  # the task module imports services

    for batch in chunks(user_ids, BATCH):
        ids = list(batch)
        transaction.on_commit(
            lambda ids=ids: send_welcome_emails.enqueue(district_id=district_id, user_ids=ids)
        )


def send_welcome_emails(*, district_id: int, user_ids: list[int]) -> int:
    """E-mail each new person a link to set their password; skips anyone who already has one."""
    district = District.objects.get(pk=district_id)
    sent = 0
    for user in User.objects.filter(pk__in=user_ids, is_active=True):
        if user.has_usable_password():
            continue
        path = reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        context = {"user": user, "district": district, "join_url": f"{settings.SITE_URL}{path}"}
        queue_email(
            to=[user.email],
            subject=f"Your Trellis account for {district.name}",
            body=render_to_string("roster/email/welcome.txt", context),
        )
        sent += 1
    return sent
