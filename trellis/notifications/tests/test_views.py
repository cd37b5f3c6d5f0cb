"""The notifications pages: the list (own notices only), the bell, the choices table and the
no-login unsubscribe page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from trellis.notifications import services
from trellis.notifications.models import Channel, Kind, Notification, NotificationPreference
from trellis.notifications.preferences import channel_for
from trellis.notifications.tests.helpers import token_in


def send(user, district, subject, kind=Kind.GENERAL, path="/learning/"):
    return services.notify(
        user, district=district, kind=kind, subject=subject, lines=["Details."], path=path
    )


def text(response) -> str:
    return response.content.decode()


# ---------------------------------------------------------------------------------------------
# the list
# ---------------------------------------------------------------------------------------------


def test_the_list_shows_unread_first_then_newest(cast, client_for):
    old = send(cast.alice, cast.district_a, "Old unread")
    read = send(cast.alice, cast.district_a, "Newest but read")
    new = send(cast.alice, cast.district_a, "New unread")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    services.mark_read(user=cast.alice, notification=read)

    response = client_for(cast.alice).get("/notifications/")

    assert response.status_code == 200
    assert [n.subject for n in response.context["notifications"]] == [
        new.subject,
        old.subject,
        read.subject,
    ]
    assert "Mark all read" in text(response)


def test_the_list_shows_only_own_notices_of_the_working_district(cast, client_for):
    send(cast.alice, cast.district_a, "Mine here")
    send(cast.alice, None, "Mine anywhere")
    send(cast.alice, cast.district_b, "Mine elsewhere")
    send(cast.eve, cast.district_a, "Eve's")

    response = client_for(cast.alice).get("/notifications/")

    assert sorted(n.subject for n in response.context["notifications"]) == [
        "Mine anywhere",
        "Mine here",
    ]


def test_the_unread_filter(cast, client_for):
    read = send(cast.alice, cast.district_a, "Read one")
    send(cast.alice, cast.district_a, "Unread one")
    services.mark_read(user=cast.alice, notification=read)

    response = client_for(cast.alice).get("/notifications/?show=unread")

    assert [n.subject for n in response.context["notifications"]] == ["Unread one"]


def test_the_empty_states(cast, client_for):
    client = client_for(cast.alice)

    assert "No notifications yet." in text(client.get("/notifications/"))
    assert "Nothing unread. You are all caught up." in text(
        client.get("/notifications/?show=unread")
    )


def test_the_list_is_paginated_and_its_queries_do_not_grow(
    cast, client_for, django_assert_max_num_queries
):
    for n in range(3):
        send(cast.alice, cast.district_a, f"Notice {n}")
    client = client_for(cast.alice)
    client.get("/notifications/")
    with django_assert_max_num_queries(12) as few:
        client.get("/notifications/")
    for n in range(3, 30):
        send(cast.alice, cast.district_a, f"Notice {n}")

    with django_assert_max_num_queries(len(few.captured_queries) + 1):
        first = client.get("/notifications/")  # +1: the unread count changed, cache refreshed
    second = client.get("/notifications/?page=2")

    assert len(first.context["notifications"]) == 25
    assert len(second.context["notifications"]) == 5
    assert "Page 2 of 2 (30 in all)" in text(second)


def test_the_pages_need_a_sign_in(client):
    for url in ("/notifications/", "/notifications/preferences/", "/notifications/bell/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")


# ---------------------------------------------------------------------------------------------
# marking read
# ---------------------------------------------------------------------------------------------


def test_mark_read_then_back_to_the_list(cast, client_for):
    row = send(cast.alice, cast.district_a, "Read me")

    response = client_for(cast.alice).post(
        f"/notifications/{row.public_id}/read/", {"next": "/notifications/?show=unread"}
    )

    assert response.status_code == 302
    assert response.url == "/notifications/?show=unread"
    row.refresh_from_db()
    assert row.read_at is not None


def test_mark_read_ignores_an_outside_next(cast, client_for):
    row = send(cast.alice, cast.district_a, "Read me")

    response = client_for(cast.alice).post(
        f"/notifications/{row.public_id}/read/", {"next": "https://evil.example/"}
    )

    assert response.url == "/notifications/"


def test_open_marks_read_and_follows_the_path(cast, client_for):
    row = send(cast.alice, cast.district_a, "Go there", path="/learning/")

    response = client_for(cast.alice).post(f"/notifications/{row.public_id}/open/")

    assert response.url == "/learning/"
    row.refresh_from_db()
    assert row.read_at is not None


def test_open_never_leaves_the_site(cast, client_for):
    row = send(cast.alice, cast.district_a, "Odd", path="//evil.example/")

    response = client_for(cast.alice).post(f"/notifications/{row.public_id}/open/")

    assert response.url == "/notifications/"


@pytest.mark.parametrize("action", ["read", "open"])
def test_someone_elses_or_another_districts_notification_is_not_found(cast, client_for, action):
    evesrow = send(cast.eve, cast.district_a, "Eve's")
    elsewhere = send(cast.alice, cast.district_b, "Alice in Southport")
    client = client_for(cast.alice)

    for row in (evesrow, elsewhere):
        response = client.post(f"/notifications/{row.public_id}/{action}/")
        assert response.status_code == 404
        row.refresh_from_db()
        assert row.read_at is None
    assert client.post(f"/notifications/not-a-uuid/{action}/").status_code == 404


def test_reading_needs_a_post(cast, client_for):
    row = send(cast.alice, cast.district_a, "Read me")

    assert client_for(cast.alice).get(f"/notifications/{row.public_id}/read/").status_code == 405


def test_mark_all_read(cast, client_for):
    send(cast.alice, cast.district_a, "One")
    send(cast.alice, cast.district_a, "Two")
    other = send(cast.eve, cast.district_a, "Eve's")

    response = client_for(cast.alice).post("/notifications/read-all/", follow=True)

    assert "Marked 2 notifications read." in text(response)
    assert Notification.objects.filter(read_at__isnull=True).get() == other


# ---------------------------------------------------------------------------------------------
# the bell
# ---------------------------------------------------------------------------------------------


def test_every_page_shows_the_bell_without_a_query(cast, client_for):
    response = client_for(cast.alice).get("/notifications/preferences/")

    assert 'hx-get="/notifications/bell/"' in text(response)


def count_queries(captured) -> int:
    return sum("notifications_notification" in query["sql"] for query in captured)


def test_the_bell_shows_the_unread_count_with_at_most_one_query(cast, client_for):
    send(cast.alice, cast.district_a, "One")
    send(cast.alice, None, "Two")
    send(cast.alice, cast.district_b, "Elsewhere")
    client = client_for(cast.alice)
    cache.clear()

    with CaptureQueriesContext(connection) as cold:
        response = client.get("/notifications/bell/")
    with CaptureQueriesContext(connection) as warm:
        again = client.get("/notifications/bell/")

    assert count_queries(cold.captured_queries) == 1
    assert count_queries(warm.captured_queries) == 0
    assert len(warm) == len(cold) - 1
    assert '>2<span class="visually-hidden"> unread</span>' in text(response)
    assert text(again) == text(response)


def test_the_bell_count_follows_new_and_read_notices_without_a_query(cast, client_for):
    client = client_for(cast.alice)
    first = send(cast.alice, cast.district_a, "One")
    assert ">1<" in text(client.get("/notifications/bell/"))

    send(cast.alice, cast.district_a, "Two")
    send(cast.alice, None, "Three")
    send(cast.alice, cast.district_b, "Elsewhere")  # not counted in Northfield
    services.mark_read(user=cast.alice, notification=first)

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/notifications/bell/")
    assert count_queries(captured.captured_queries) == 0
    assert ">2<" in text(response)


def test_pages_pay_no_query_for_the_bell(cast, client_for):
    send(cast.alice, cast.district_a, "One")
    cache.clear()

    with CaptureQueriesContext(connection) as captured:
        response = client_for(cast.alice).get("/learning/")

    assert response.status_code == 200
    assert count_queries(captured.captured_queries) == 0


def test_the_bell_without_unread_notices_has_no_badge(cast, client_for):
    response = client_for(cast.alice).get("/notifications/bell/")

    assert "badge" not in text(response)
    assert "Notifications" in text(response)


# ---------------------------------------------------------------------------------------------
# preferences
# ---------------------------------------------------------------------------------------------


def test_the_preferences_table_shows_current_choices(cast, client_for):
    services.set_preferences(
        user=cast.alice, district=cast.district_a, choices={Kind.GENERAL: Channel.DIGEST_ONLY}
    )

    page = text(client_for(cast.alice).get("/notifications/preferences/"))

    assert 'name="general" value="digest_only" id="general-digest_only" checked' in page
    assert 'name="decision" value="in_app_and_email" id="decision-in_app_and_email" checked' in page
    assert 'value="off" id="decision-off"' not in page  # must-know: no "off" radio
    assert 'value="off" id="general-off"' in page
    assert "Decisions on my requests: Off is not available" not in page
    assert "It cannot be switched off." in page


def test_saving_preferences(cast, client_for):
    form = dict.fromkeys(Kind.values, Channel.IN_APP_ONLY)
    form[Kind.GENERAL] = Channel.OFF

    response = client_for(cast.alice).post("/notifications/preferences/", form, follow=True)

    assert "Your notification choices are saved." in text(response)
    assert channel_for(cast.alice, cast.district_a, Kind.GENERAL) == Channel.OFF
    assert channel_for(cast.alice, cast.district_a, Kind.DECISION) == Channel.IN_APP_ONLY
    assert NotificationPreference.objects.filter(district=cast.district_a).count() == len(Kind)


def test_saving_an_invalid_choice_shows_why_and_saves_nothing(cast, client_for):
    form = dict.fromkeys(Kind.values, Channel.IN_APP_ONLY)
    form[Kind.DECISION] = Channel.OFF

    response = client_for(cast.alice).post("/notifications/preferences/", form)

    assert response.status_code == 400
    page = text(response)
    assert "Some choices could not be saved" in page
    assert "This notice cannot be switched off: choose Trellis only or the weekly digest." in page
    assert NotificationPreference.objects.count() == 0


# ---------------------------------------------------------------------------------------------
# unsubscribe (no sign-in needed)
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def alices_link(cast, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        send(cast.alice, cast.district_a, "Enrolled", kind=Kind.DECISION)
    return f"/notifications/unsubscribe/{token_in(mail.outbox[-1])}/"


def test_the_unsubscribe_link_asks_first_and_get_changes_nothing(client, cast, alices_link):
    response = client.get(alices_link)

    assert response.status_code == 200
    assert "Stop these e-mails?" in text(response)
    assert "“decisions on my requests”" in text(response)
    assert NotificationPreference.objects.count() == 0


def test_confirming_unsubscribes_and_says_so(client, cast, alices_link):
    response = client.post(alices_link)

    assert response.status_code == 200
    assert "You are unsubscribed" in text(response)
    assert channel_for(cast.alice, cast.district_a, Kind.DECISION) == Channel.IN_APP_ONLY


def test_confirming_again_says_nothing_changed(client, cast, alices_link):
    client.post(alices_link)

    response = client.post(alices_link)

    assert "Nothing changed." in text(response)


def test_a_signed_in_person_using_someone_elses_link_changes_only_the_owners_choice(
    cast, client_for, alices_link
):
    client_for(cast.eve).post(alices_link)

    assert channel_for(cast.alice, cast.district_a, Kind.DECISION) == Channel.IN_APP_ONLY
    assert channel_for(cast.eve, cast.district_a, Kind.DECISION) == Channel.IN_APP_AND_EMAIL


def test_a_tampered_link_is_refused(client, cast, alices_link):
    tampered = alices_link.replace("/unsubscribe/", "/unsubscribe/x")

    for method in (client.get, client.post):
        response = method(tampered)
        assert response.status_code == 400
        assert "This link does not work" in text(response)
    assert NotificationPreference.objects.count() == 0
