"""The weekly digest: one e-mail per person per ISO week with their digest-only notices."""

from __future__ import annotations

import datetime as dt

from django.core import mail

from trellis.notifications import services
from trellis.notifications.digest import send_weekly_digests, week_of
from trellis.notifications.models import Channel, DigestSent, Kind, Notification
from trellis.notifications.tests.helpers import token_in

MONDAY = dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC)


def digest_notice(user, district, subject, *, at):
    row = services.notify(
        user,
        district=district,
        kind=Kind.REQUEST_UPDATE,  # digest-only by default
        subject=subject,
        lines=["Details."],
        path="/voice/",
    )
    Notification.objects.filter(pk=row.pk).update(created_at=at)
    return row


def test_week_of_is_the_monday():
    assert week_of(dt.datetime(2026, 12, 6, 23, 0, tzinfo=dt.UTC)) == dt.date(2026, 11, 30)
    assert week_of(MONDAY) == dt.date(2026, 11, 30)


def test_one_digest_per_person_lists_their_digest_notices(cast, django_capture_on_commit_callbacks):
    digest_notice(cast.alice, cast.district_a, "Request A planned", at=MONDAY - dt.timedelta(2))
    digest_notice(cast.alice, cast.district_a, "Request B done", at=MONDAY - dt.timedelta(1))
    digest_notice(cast.eve, cast.district_a, "Eve's request", at=MONDAY - dt.timedelta(1))
    services.notify(  # e-mailed at once: never in a digest
        cast.alice, district=cast.district_a, kind=Kind.DECISION, subject="Now", lines=["x"]
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        sent = send_weekly_digests(now=MONDAY)

    assert sent == 2
    by_person = {message.to[0]: message for message in mail.outbox}
    assert set(by_person) == {"alice@northfield.test", "eve@northfield.test"}
    alice = by_person["alice@northfield.test"]
    assert alice.subject == "Trellis: your weekly digest (2 notices)"
    assert alice.body.startswith(
        "Here are the 2 notices you chose to receive in your weekly digest:\n\n"
        "• Request A planned (28 Nov)\n  http"
    )
    assert "• Request B done (29 Nov)\n" in alice.body
    assert "Now" not in alice.body
    assert by_person["eve@northfield.test"].subject == "Trellis: your weekly digest (1 notice)"
    assert Notification.objects.filter(in_digest=True, digest_sent_at=MONDAY).count() == 3
    assert list(DigestSent.objects.order_by("items").values_list("week", "items")) == [
        (dt.date(2026, 11, 30), 1),
        (dt.date(2026, 11, 30), 2),
    ]


def test_running_again_in_the_same_week_sends_nothing_more(
    cast, django_capture_on_commit_callbacks
):
    digest_notice(cast.alice, cast.district_a, "First", at=MONDAY - dt.timedelta(1))
    with django_capture_on_commit_callbacks(execute=True):
        send_weekly_digests(now=MONDAY)
    later_this_week = MONDAY + dt.timedelta(days=2)
    digest_notice(cast.alice, cast.district_a, "Second", at=later_this_week - dt.timedelta(1))

    with django_capture_on_commit_callbacks(execute=True):
        again = send_weekly_digests(now=MONDAY)
        later = send_weekly_digests(now=later_this_week)

    assert (again, later) == (0, 0)
    assert len(mail.outbox) == 1
    second = Notification.objects.get(subject="Second")
    assert second.digest_sent_at is None  # waits for next week

    with django_capture_on_commit_callbacks(execute=True):
        next_week = send_weekly_digests(now=MONDAY + dt.timedelta(days=7))

    assert next_week == 1
    assert "• Second" in mail.outbox[-1].body


def test_nobody_with_nothing_pending_gets_a_digest(cast, django_capture_on_commit_callbacks):
    services.set_preferences(
        user=cast.alice,
        district=cast.district_a,
        choices={Kind.REQUEST_UPDATE: Channel.IN_APP_ONLY},
    )
    services.notify(
        cast.alice, district=cast.district_a, kind=Kind.REQUEST_UPDATE, subject="x", lines=[]
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert send_weekly_digests(now=MONDAY + dt.timedelta(days=30)) == 0

    assert mail.outbox == []


def test_the_digest_unsubscribe_link_stops_the_digest(
    cast, client, django_capture_on_commit_callbacks
):
    digest_notice(cast.alice, cast.district_a, "Request", at=MONDAY - dt.timedelta(1))
    with django_capture_on_commit_callbacks(execute=True):
        send_weekly_digests(now=MONDAY)
    (message,) = mail.outbox

    link = f"/notifications/unsubscribe/{token_in(message)}/"
    assert "the weekly digest" in client.get(link).content.decode()
    client.post(link)

    row = services.notify(
        cast.alice, district=cast.district_a, kind=Kind.REQUEST_UPDATE, subject="y", lines=[]
    )
    assert row is not None
    assert row.in_digest is False
