"""Outgoing e-mail is enqueued only when the surrounding transaction commits."""

from __future__ import annotations

import pytest
from django.db import transaction

from trellis.core.email import queue_email

pytestmark = pytest.mark.django_db


def test_nothing_is_sent_until_the_transaction_commits(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_email(to=["a@x.test"], subject="Hello", body="Plain", html="<p>Rich</p>")

    assert mailoutbox == []
    assert len(callbacks) == 1

    callbacks[0]()

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert (message.to, message.subject, message.body) == (["a@x.test"], "Hello", "Plain")
    assert message.from_email == "Trellis <no-reply@trellis.local>"
    assert message.alternatives[0][:2] == ("<p>Rich</p>", "text/html")


def _queue_then_fail() -> None:
    with transaction.atomic():
        queue_email(to=["a@x.test"], subject="Hello", body="Plain")
        raise RuntimeError("the write failed")


def test_a_rolled_back_transaction_sends_nothing(mailoutbox, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError, match="the write failed"),
    ):
        _queue_then_fail()

    assert callbacks == []
    assert mailoutbox == []
