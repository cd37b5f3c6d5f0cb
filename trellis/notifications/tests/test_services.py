"""notify(): each kind's channel decides the in-app row, the e-mail and the digest; preferences
are validated; the unsubscribe link works without signing in and only for its owner."""

from __future__ import annotations

import pytest
from django.core import mail, signing

from trellis.audit.models import AuditEvent
from trellis.core.errors import DomainError
from trellis.notifications import services
from trellis.notifications.models import Channel, Kind, Notification, NotificationPreference
from trellis.notifications.preferences import DEFAULTS, MUST_KNOW, channel_for, channels_for
from trellis.notifications.tests.helpers import token_in

EXPECTED_EMAIL = {
    Channel.IN_APP_AND_EMAIL: True,
    Channel.IN_APP_ONLY: False,
    Channel.DIGEST_ONLY: False,
}


def send(cast, kind, *, user=None, district=None, **extra):
    return services.notify(
        user or cast.alice,
        district=district or cast.district_a,
        kind=kind,
        subject=extra.get("subject", "Something happened"),
        lines=extra.get("lines", ["First line.", "Second line."]),
        path=extra.get("path", "/learning/"),
    )


@pytest.mark.parametrize("kind", Kind.values)
def test_every_kind_follows_its_default(cast, kind, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = send(cast, kind)

    channel = DEFAULTS[kind]
    assert row is not None
    assert (row.recipient, row.district, row.kind) == (cast.alice, cast.district_a, kind)
    assert row.body == "First line.\n\nSecond line."
    assert row.in_digest is (channel == Channel.DIGEST_ONLY)
    assert len(mail.outbox) == (1 if EXPECTED_EMAIL[channel] else 0)
    assert (row.emailed_at is not None) is EXPECTED_EMAIL[channel]


def test_the_defaults_email_approvals_decisions_outcomes_and_assignments_at_once():
    immediate = {kind for kind, channel in DEFAULTS.items() if channel == Channel.IN_APP_AND_EMAIL}
    assert {
        Kind.APPROVAL_WAITING,
        Kind.DECISION,
        Kind.ASSESSOR_ASSIGNMENT,
        Kind.SUBMISSION_OUTCOME,
        Kind.PROPOSAL_OUTCOME,
        Kind.CREDENTIAL_ISSUED,
    } <= immediate
    assert {kind for kind, channel in DEFAULTS.items() if channel == Channel.DIGEST_ONLY} == {
        Kind.REQUEST_UPDATE
    }
    assert set(DEFAULTS) == set(Kind.values)


@pytest.mark.parametrize("kind", Kind.values)
@pytest.mark.parametrize(
    "channel", [Channel.IN_APP_AND_EMAIL, Channel.IN_APP_ONLY, Channel.DIGEST_ONLY, Channel.OFF]
)
def test_every_kind_respects_every_allowed_choice(
    cast, kind, channel, django_capture_on_commit_callbacks
):
    if channel == Channel.OFF and kind in MUST_KNOW:
        pytest.skip("must-know kinds cannot be switched off (tested below)")
    services.set_preferences(user=cast.alice, district=cast.district_a, choices={kind: channel})

    with django_capture_on_commit_callbacks(execute=True):
        row = send(cast, kind)

    if channel == Channel.OFF:
        assert row is None
        assert Notification.objects.count() == 0
        assert mail.outbox == []
        return
    assert row is not None
    assert row.in_digest is (channel == Channel.DIGEST_ONLY)
    assert len(mail.outbox) == (1 if channel == Channel.IN_APP_AND_EMAIL else 0)


def test_the_email_carries_the_link_the_notifications_page_and_an_unsubscribe_link(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(cast, Kind.DECISION, subject="You are enrolled: Labs", path="/learning/")

    (message,) = mail.outbox
    assert message.to == ["alice@northfield.test"]
    assert message.subject == "Trellis: You are enrolled: Labs"
    assert message.body.startswith("First line.\n\nSecond line.\n\nhttp://")
    assert "/learning/\n\n-- \nAll your notifications: http" in message.body
    assert "/notifications/\nStop e-mails like this one: http" in message.body
    payload = services.read_unsubscribe_token(token_in(message))
    assert payload == {"u": cast.alice.pk, "k": "decision", "d": [cast.district_a.pk]}


def test_a_choice_for_one_district_does_not_change_another(cast):
    services.set_preferences(
        user=cast.alice, district=cast.district_a, choices={Kind.GENERAL: Channel.OFF}
    )

    assert channel_for(cast.alice, cast.district_a, Kind.GENERAL) == Channel.OFF
    assert channel_for(cast.alice, cast.district_b, Kind.GENERAL) == Channel.IN_APP_AND_EMAIL
    assert channel_for(cast.alice, None, Kind.GENERAL) == Channel.IN_APP_AND_EMAIL


def test_a_choice_for_everywhere_applies_unless_the_district_has_its_own(cast):
    services.set_preferences(user=cast.alice, district=None, choices={Kind.GENERAL: Channel.OFF})
    services.set_preferences(
        user=cast.alice, district=cast.district_a, choices={Kind.GENERAL: Channel.IN_APP_ONLY}
    )

    assert channel_for(cast.alice, cast.district_a, Kind.GENERAL) == Channel.IN_APP_ONLY
    assert channel_for(cast.alice, cast.district_b, Kind.GENERAL) == Channel.OFF


def test_channel_lookup_is_one_query(cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        channel_for(cast.alice, cast.district_a, Kind.DECISION)
    with django_assert_num_queries(1):
        channels_for(cast.alice, cast.district_a)


@pytest.mark.parametrize("kind", sorted(MUST_KNOW))
def test_must_know_kinds_cannot_be_switched_off(cast, kind):
    with pytest.raises(DomainError) as caught:
        services.set_preferences(
            user=cast.alice,
            district=cast.district_a,
            choices={Kind.GENERAL: Channel.IN_APP_ONLY, kind: Channel.OFF},
        )

    assert caught.value.code == "invalid_preferences"
    assert caught.value.details == {
        kind: "This notice cannot be switched off: choose Trellis only or the weekly digest."
    }
    assert NotificationPreference.objects.count() == 0  # nothing written, not even GENERAL


@pytest.mark.parametrize(
    ("choices", "details"),
    [
        ({"nonsense": Channel.OFF}, {"nonsense": "This is not a kind of notification."}),
        ({Kind.GENERAL: "sometimes"}, {Kind.GENERAL: "Choose one of the listed channels."}),
        ({Kind.GENERAL: ""}, {Kind.GENERAL: "Choose one of the listed channels."}),
    ],
)
def test_bad_choices_are_refused_and_nothing_is_written(cast, choices, details):
    with pytest.raises(DomainError) as caught:
        services.set_preferences(user=cast.alice, district=cast.district_a, choices=choices)

    assert caught.value.details == details
    assert NotificationPreference.objects.count() == 0
    assert not AuditEvent.objects.filter(action="notifications.preferences_changed").exists()


def test_changing_choices_is_audited_once_with_what_changed(cast):
    changed = services.set_preferences(
        user=cast.alice,
        district=cast.district_a,
        choices={Kind.GENERAL: Channel.DIGEST_ONLY, Kind.DECISION: Channel.IN_APP_AND_EMAIL},
    )
    again = services.set_preferences(
        user=cast.alice, district=cast.district_a, choices={Kind.GENERAL: Channel.DIGEST_ONLY}
    )

    assert changed == {Kind.GENERAL: Channel.DIGEST_ONLY, Kind.DECISION: Channel.IN_APP_AND_EMAIL}
    assert again == {}
    (event,) = AuditEvent.objects.filter(action="notifications.preferences_changed")
    assert event.district == cast.district_a
    assert event.data == {"changed": changed}


def test_an_unknown_kind_is_a_programming_error(cast):
    with pytest.raises(ValueError, match="Unknown notification kind"):
        send(cast, "gossip")


def test_a_recipient_without_email_still_gets_the_in_app_notice(
    cast, django_capture_on_commit_callbacks
):
    cast.alice.email = ""
    with django_capture_on_commit_callbacks(execute=True):
        row = send(cast, Kind.DECISION)

    assert row is not None
    assert row.emailed_at is None
    assert mail.outbox == []


# ---------------------------------------------------------------------------------------------
# unsubscribe
# ---------------------------------------------------------------------------------------------


def test_unsubscribing_moves_that_kind_to_trellis_only(cast):
    token = services.unsubscribe_token(cast.alice, kind=Kind.DECISION, district=cast.district_a)

    user, changed = services.unsubscribe(token=token)

    assert (user, changed) == (cast.alice, [Kind.DECISION])
    assert channel_for(cast.alice, cast.district_a, Kind.DECISION) == Channel.IN_APP_ONLY
    assert channel_for(cast.alice, cast.district_a, Kind.GENERAL) == Channel.IN_APP_AND_EMAIL
    (event,) = AuditEvent.objects.filter(action="notifications.unsubscribed")
    assert event.data == {"kinds": [Kind.DECISION]}


def test_unsubscribing_twice_changes_nothing_the_second_time(cast):
    token = services.unsubscribe_token(cast.alice, kind=Kind.DECISION, district=cast.district_a)
    services.unsubscribe(token=token)

    _, changed = services.unsubscribe(token=token)

    assert changed == []
    assert AuditEvent.objects.filter(action="notifications.unsubscribed").count() == 1


def test_unsubscribing_keeps_a_kind_that_was_already_off(cast):
    services.set_preferences(
        user=cast.alice, district=cast.district_a, choices={Kind.GENERAL: Channel.OFF}
    )
    token = services.unsubscribe_token(cast.alice, kind=Kind.GENERAL, district=cast.district_a)

    _, changed = services.unsubscribe(token=token)

    assert changed == []
    assert channel_for(cast.alice, cast.district_a, Kind.GENERAL) == Channel.OFF


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature broken
        lambda t: "x" + t,  # payload changed
        lambda t: "",
        lambda t: "not-a-token",
    ],
)
def test_a_tampered_token_is_refused_and_nothing_changes(cast, mangle):
    token = services.unsubscribe_token(cast.alice, kind=Kind.DECISION, district=cast.district_a)

    with pytest.raises(DomainError) as caught:
        services.unsubscribe(token=mangle(token))

    assert caught.value.code == "invalid_link"
    assert NotificationPreference.objects.count() == 0


def test_a_token_signed_for_another_purpose_is_refused(cast):
    token = signing.dumps(
        {"u": cast.alice.pk, "k": Kind.DECISION, "d": [cast.district_a.pk]}, salt="other"
    )

    with pytest.raises(DomainError):
        services.unsubscribe(token=token)


def test_a_token_only_ever_changes_its_owners_choices(cast):
    """Alice's link cannot be bent to Bob: the user is inside the signed payload."""
    token = services.unsubscribe_token(cast.alice, kind=Kind.DECISION, district=cast.district_a)
    payload = signing.loads(token, salt=services.UNSUBSCRIBE_SALT)
    forged = token.replace(
        signing.b64_encode(signing.JSONSerializer().dumps(payload)).decode(),
        signing.b64_encode(signing.JSONSerializer().dumps({**payload, "u": cast.bob.pk})).decode(),
    )

    with pytest.raises(DomainError):
        services.unsubscribe(token=forged)
    user, _ = services.unsubscribe(token=token)

    assert user == cast.alice
    assert list(NotificationPreference.objects.values_list("user__email", flat=True)) == [
        "alice@northfield.test"
    ]


def test_the_digest_token_moves_every_digest_kind_to_trellis_only(cast):
    services.set_preferences(
        user=cast.alice, district=cast.district_a, choices={Kind.GENERAL: Channel.DIGEST_ONLY}
    )
    token = services.unsubscribe_token(
        cast.alice, kind=services.DIGEST, district=[cast.district_a.pk]
    )

    _, changed = services.unsubscribe(token=token)

    assert changed == sorted([Kind.GENERAL, Kind.REQUEST_UPDATE])
    assert channel_for(cast.alice, cast.district_a, Kind.GENERAL) == Channel.IN_APP_ONLY
    assert channel_for(cast.alice, cast.district_a, Kind.REQUEST_UPDATE) == Channel.IN_APP_ONLY


# ---------------------------------------------------------------------------------------------
# read state
# ---------------------------------------------------------------------------------------------


def test_mark_read_and_mark_all_read(cast):
    first = send(cast, Kind.DECISION)
    send(cast, Kind.GENERAL)
    send(cast, Kind.GENERAL, district=cast.district_b)  # another district: untouched

    services.mark_read(user=cast.alice, notification=first)
    again = services.mark_read(user=cast.alice, notification=first)
    changed = services.mark_all_read(user=cast.alice, district=cast.district_a)

    assert again.read_at == first.read_at
    assert changed == 1
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_mark_read_refuses_someone_elses_notification(cast):
    row = send(cast, Kind.DECISION)

    with pytest.raises(DomainError):
        services.mark_read(user=cast.eve, notification=row)

    row.refresh_from_db()
    assert row.read_at is None
