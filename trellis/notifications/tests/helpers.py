"""Shared helpers of the notification tests."""

from __future__ import annotations

import re

from django.core import mail

UNSUBSCRIBE = re.compile(r"/notifications/unsubscribe/([^/\s]+)/")


def token_in(message: mail.EmailMessage) -> str:
    found = UNSUBSCRIBE.search(message.body)
    assert found, message.body
    return found.group(1)
