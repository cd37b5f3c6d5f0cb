"""The notifications API: the caller's own notices and choices only."""

from __future__ import annotations

import json

import pytest

from trellis.notifications import services
from trellis.notifications.models import Channel, Kind, NotificationPreference
from trellis.notifications.preferences import channel_for
from trellis.notifications.tests.api_urls import PREFIX

pytestmark = pytest.mark.urls("trellis.notifications.tests.api_urls")


def send(user, district, subject, kind=Kind.GENERAL):
    return services.notify(
        user, district=district, kind=kind, subject=subject, lines=["One.", "Two."], path="/x/"
    )


def test_list_is_paginated_unread_first_and_own_only(cast, api_client_for):
    read = send(cast.alice, cast.district_a, "Read")
    send(cast.alice, cast.district_a, "Unread")
    send(cast.eve, cast.district_a, "Eve's")
    send(cast.alice, cast.district_b, "Elsewhere")
    services.mark_read(user=cast.alice, notification=read)
    client = api_client_for(cast.alice)

    body = client.get(f"{PREFIX}/me/notifications").json()
    unread = client.get(f"{PREFIX}/me/notifications?unread=true").json()
    paged = client.get(f"{PREFIX}/me/notifications?limit=1&offset=1").json()

    assert body["count"] == 2
    assert [(n["subject"], n["read"]) for n in body["items"]] == [
        ("Unread", False),
        ("Read", True),
    ]
    first = body["items"][0]
    assert first["kind"] == "general"
    assert first["kind_label"] == "Other notices"
    assert first["body"] == "One.\n\nTwo."
    assert first["path"] == "/x/"
    assert first["district_id"] == str(cast.district_a.public_id)
    assert [n["subject"] for n in unread["items"]] == ["Unread"]
    assert [n["subject"] for n in paged["items"]] == ["Read"]


def test_the_district_header_scopes_the_list(cast, api_client_for):
    send(cast.alice, cast.district_a, "Northfield notice")

    response = api_client_for(cast.bob).get(
        f"{PREFIX}/me/notifications", HTTP_X_TRELLIS_DISTRICT="southport"
    )

    assert response.json()["count"] == 0


def test_mark_read(cast, api_client_for):
    row = send(cast.alice, cast.district_a, "Read me")
    client = api_client_for(cast.alice)

    response = client.post(f"{PREFIX}/me/notifications/{row.public_id}/read")
    again = client.post(f"{PREFIX}/me/notifications/{row.public_id}/read")

    assert response.status_code == 200
    assert response.json()["read"] is True
    assert again.json()["read_at"] == response.json()["read_at"]


def test_someone_elses_notification_is_404(cast, api_client_for):
    row = send(cast.eve, cast.district_a, "Eve's")

    response = api_client_for(cast.alice).post(f"{PREFIX}/me/notifications/{row.public_id}/read")
    malformed = api_client_for(cast.alice).post(f"{PREFIX}/me/notifications/nope/read")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert malformed.status_code == 404
    row.refresh_from_db()
    assert row.read_at is None


def test_anonymous_is_refused(client, db):
    assert client.get(f"{PREFIX}/me/notifications").status_code == 401
    assert client.get(f"{PREFIX}/me/notification-preferences").status_code == 401


def test_get_preferences(cast, api_client_for):
    body = api_client_for(cast.alice).get(f"{PREFIX}/me/notification-preferences").json()

    assert body["district_id"] == str(cast.district_a.public_id)
    by_kind = {p["kind"]: p for p in body["preferences"]}
    assert set(by_kind) == set(Kind.values)
    assert by_kind["decision"] == {
        "kind": "decision",
        "label": "Decisions on my requests",
        "channel": "in_app_and_email",
        "allowed_channels": ["in_app_and_email", "in_app_only", "digest_only"],
        "can_turn_off": False,
    }
    assert by_kind["request_update"]["channel"] == "digest_only"
    assert "off" in by_kind["general"]["allowed_channels"]


def test_put_preferences_changes_only_the_given_kinds(cast, api_client_for):
    response = api_client_for(cast.alice).put(
        f"{PREFIX}/me/notification-preferences",
        data=json.dumps({"preferences": {"general": "off", "decision": "digest_only"}}),
        content_type="application/json",
    )

    assert response.status_code == 200
    by_kind = {p["kind"]: p["channel"] for p in response.json()["preferences"]}
    assert by_kind["general"] == "off"
    assert by_kind["decision"] == "digest_only"
    assert by_kind["approval_waiting"] == "in_app_and_email"
    assert channel_for(cast.alice, cast.district_a, Kind.GENERAL) == Channel.OFF


@pytest.mark.parametrize(
    ("choices", "details"),
    [
        (
            {"decision": "off"},
            {
                "decision": "This notice cannot be switched off: choose Trellis only or the weekly digest."
            },
        ),
        ({"gossip": "off"}, {"gossip": "This is not a kind of notification."}),
        ({"general": "loud"}, {"general": "Choose one of the listed channels."}),
    ],
)
def test_put_preferences_refuses_bad_choices_and_saves_nothing(
    cast, api_client_for, choices, details
):
    response = api_client_for(cast.alice).put(
        f"{PREFIX}/me/notification-preferences",
        data=json.dumps({"preferences": {"general": "in_app_only", **choices}}),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_preferences"
    assert response.json()["error"]["details"] == details
    assert NotificationPreference.objects.count() == 0


def test_put_preferences_needs_a_body(cast, api_client_for):
    response = api_client_for(cast.alice).put(
        f"{PREFIX}/me/notification-preferences", data="{}", content_type="application/json"
    )

    assert response.status_code == 422
