"""The audit writer and the audit-log filters.

The audit app sits below accounts and districts, so these tests take their people and districts
from the shared `cast` fixture instead of importing those apps' factories.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType

from trellis.audit import services
from trellis.audit.models import AuditEvent
from trellis.audit.queries import events_by_actor, filter_events

pytestmark = pytest.mark.django_db

LOCAL = ZoneInfo("America/Chicago")  # settings.TIME_ZONE: `created_at__date` is a local date


def at(day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2025, 3, day, hour, 0, tzinfo=LOCAL)


# --- record -------------------------------------------------------------------------------------


def test_record_fills_the_actor_label_and_the_target_from_the_objects(cast):
    event = services.record(
        action="districts.member_added",
        summary="Added Alice",
        actor=cast.dana,
        district=cast.district_a,
        target=cast.alice,
        data={"roles": ["educator"]},
        ip_address="192.0.2.1",
    )

    stored = AuditEvent.objects.get()
    assert stored == event
    assert stored.actor == cast.dana
    assert stored.actor_label == "dana@northfield.test"
    assert stored.subject is None
    assert stored.district == cast.district_a
    assert stored.action == "districts.member_added"
    assert stored.target_type == "accounts.user"
    assert stored.target_id == str(cast.alice.public_id)
    assert stored.target_label == "Alice Archer"
    assert stored.summary == "Added Alice"
    assert stored.data == {"roles": ["educator"]}
    assert stored.ip_address == "192.0.2.1"


def test_record_names_a_target_of_another_kind_by_its_public_id(cast):
    event = services.record(action="districts.renamed", summary="Renamed", target=cast.district_a)

    assert event.target_type == "districts.district"
    assert event.target_id == str(cast.district_a.public_id)
    assert event.target_label == str(cast.district_a)


def test_record_falls_back_to_the_primary_key_for_targets_without_a_public_id(db):
    content_type = ContentType.objects.get_for_model(AuditEvent)

    event = services.record(action="core.touched", summary="Touched", target=content_type)

    assert event.target_type == "contenttypes.contenttype"
    assert event.target_id == str(content_type.pk)


def test_record_without_actor_or_target_leaves_them_blank(db):
    event = services.record(action="core.ran", summary="A scheduled job ran")

    event.refresh_from_db()
    assert event.actor is None
    assert event.actor_label == ""
    assert (event.target_type, event.target_id, event.target_label) == ("", "", "")
    assert event.data == {}
    assert event.district is None
    assert event.ip_address is None


def test_an_anonymous_actor_is_not_recorded_as_a_person(db):
    event = services.record(action="accounts.x", summary="x", actor=AnonymousUser())

    assert event.actor is None
    assert event.actor_label == ""


def test_the_subject_is_kept_apart_from_the_actor(cast):
    event = services.record(
        action="accounts.login_failed", summary="Failed", subject=cast.alice, target=cast.alice
    )

    assert event.actor is None
    assert event.subject == cast.alice
    assert event.actor_label == ""


def test_an_explicit_target_label_wins_and_long_texts_are_cut(cast):
    event = services.record(
        action="growth.note",
        summary="s" * 400,
        actor=cast.alice,
        target=cast.alice,
        target_label="L" * 250,
    )

    event.refresh_from_db()
    assert event.summary == "s" * 300
    assert event.target_label == "L" * 200


def test_the_actor_label_keeps_the_email_at_the_time_of_the_action(cast):
    event = services.record(action="accounts.x", summary="x", actor=cast.alice)
    cast.alice.email = "alice.archer@northfield.test"
    cast.alice.save(update_fields=["email"])

    event.refresh_from_db()
    assert event.actor_label == "alice@northfield.test"


def test_the_row_outlives_the_person_it_names(cast):
    event = services.record(action="accounts.x", summary="x", actor=cast.eve, target=cast.eve)
    public_id = str(cast.eve.public_id)

    cast.eve.delete()

    event.refresh_from_db()
    assert event.actor is None
    assert (event.actor_label, event.target_id, event.target_label) == (
        "eve@northfield.test",
        public_id,
        "Eve Evans",
    )


# --- filter_events ------------------------------------------------------------------------------


@pytest.fixture
def log(cast, time_machine):
    """Four events on four days by three people."""
    rows = {}
    for name, day, actor, action in [
        ("first", 1, cast.dana, "districts.member_added"),
        ("second", 2, cast.alice, "accounts.login"),
        ("third", 3, cast.dana, "accounts.login"),
        ("fourth", 4, None, "accounts.login_failed"),
    ]:
        time_machine.move_to(at(day), tick=False)
        rows[name] = services.record(action=action, summary=name, actor=actor)
    return rows


def names(events) -> list[str]:
    return [event.summary for event in events]


def test_without_filters_every_event_is_listed_newest_first(log):
    assert names(filter_events(AuditEvent.objects.all())) == ["fourth", "third", "second", "first"]


def test_events_filter_by_exact_action(log):
    events = filter_events(AuditEvent.objects.all(), action="accounts.login")

    assert names(events) == ["third", "second"]
    assert names(filter_events(AuditEvent.objects.all(), action="accounts")) == []


def test_events_filter_by_part_of_the_actors_email_in_any_case(log):
    assert names(filter_events(AuditEvent.objects.all(), actor_email=" DANA@ ")) == [
        "third",
        "first",
    ]
    assert names(filter_events(AuditEvent.objects.all(), actor_email="northfield.test")) == [
        "third",
        "second",
        "first",
    ]


def test_events_filter_by_a_range_of_local_days_inclusive(log):
    events = filter_events(
        AuditEvent.objects.all(), since=dt.date(2025, 3, 2), until=dt.date(2025, 3, 3)
    )

    assert names(events) == ["third", "second"]
    assert names(filter_events(AuditEvent.objects.all(), since=dt.date(2025, 3, 4))) == ["fourth"]
    assert names(filter_events(AuditEvent.objects.all(), until=dt.date(2025, 3, 1))) == ["first"]


def test_a_late_evening_event_belongs_to_its_local_day(cast, time_machine):
    time_machine.move_to(at(5, hour=23), tick=False)  # already 6 March in UTC
    services.record(action="accounts.login", summary="late", actor=cast.alice)

    assert names(filter_events(AuditEvent.objects.all(), since=dt.date(2025, 3, 5))) == ["late"]
    assert names(filter_events(AuditEvent.objects.all(), until=dt.date(2025, 3, 5))) == ["late"]
    assert names(filter_events(AuditEvent.objects.all(), since=dt.date(2025, 3, 6))) == []


def test_filters_combine(log):
    events = filter_events(
        AuditEvent.objects.all(),
        action="accounts.login",
        actor_email="dana",
        since=dt.date(2025, 3, 1),
        until=dt.date(2025, 3, 31),
    )

    assert names(events) == ["third"]


def test_filters_narrow_the_given_queryset_and_never_widen_it(log, cast):
    scoped = AuditEvent.objects.filter(actor=cast.alice)

    assert names(filter_events(scoped, actor_email="dana")) == []
    assert names(filter_events(scoped, action="accounts.login")) == ["second"]


def test_events_by_actor_lists_a_persons_latest_events(log, cast):
    assert names(events_by_actor(cast.dana)) == ["third", "first"]
    assert names(events_by_actor(cast.dana, limit=1)) == ["third"]
    assert events_by_actor(cast.bob) == []
