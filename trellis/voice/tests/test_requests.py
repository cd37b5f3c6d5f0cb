"""Topic requests: asking, the duplicate guard, editing, withdrawing, upvotes, the PD leader's
answer and who is told."""

from __future__ import annotations

import pytest

from trellis.audit.models import AuditEvent
from trellis.catalog.tests.factories import OfferingFactory
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.notifications.models import Notification, NotificationPreference
from trellis.voice import services
from trellis.voice.models import RequestStatus, TopicRequest, TopicVote

pytestmark = pytest.mark.django_db


def test_an_educator_asks_for_a_topic(cast, adopted, ask) -> None:
    competency = adopted.competencies[1]
    created = ask(
        cast.alice,
        "  Co-teaching with special education  ",
        details="Two adults, one plan.",
        competency=str(competency.public_id),
        preferred_format="in_person",
    )
    created.refresh_from_db()
    assert (created.title, created.details) == (
        "Co-teaching with special education",
        "Two adults, one plan.",
    )
    assert created.competency == competency
    assert created.preferred_format == "in_person"
    assert created.school == cast.middle_a
    assert created.status == RequestStatus.OPEN
    assert created.district == cast.district_a
    event = AuditEvent.objects.get(action="voice.request_created")
    assert event.actor == cast.alice
    assert event.target_id == str(created.public_id)


def test_competency_and_format_are_optional(cast, ask) -> None:
    created = ask(cast.alice, "Phonics for older readers")
    assert created.competency is None
    assert created.preferred_format == ""


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"title": ""}, "title_required", "title"),
        ({"title": "x" * 201}, "title_too_long", "title"),
        ({"details": "  "}, "details_required", "details"),
        ({"details": "x" * 4001}, "details_too_long", "details"),
        ({"competency": "not-a-competency"}, "unknown_competency", "competency"),
        ({"preferred_format": "telepathy"}, "unknown_format", "preferred_format"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(cast, adopted, fields, code, field) -> None:
    data = {"title": "Phonics", "details": "Why", "competency": None, "preferred_format": ""}
    data.update(fields)
    with pytest.raises(DomainError) as caught:
        services.create_request(access=cast.access(cast.alice), actor=cast.alice, **data)
    assert caught.value.code == code
    assert caught.value.details["field"] == field
    assert TopicRequest.objects.count() == 0
    assert AuditEvent.objects.filter(action="voice.request_created").count() == 0


def test_another_districts_competency_is_refused(cast, adopted) -> None:
    from trellis.growth.tests.factories import build_framework

    theirs = build_framework(cast.district_b, title="Southport framework")
    with pytest.raises(DomainError) as caught:
        services.create_request(
            access=cast.access(cast.alice),
            actor=cast.alice,
            title="Phonics",
            details="Why",
            competency=theirs.competencies[0].public_id,
        )
    assert caught.value.code == "unknown_competency"


def test_a_person_without_a_role_for_learning_cannot_ask(cast) -> None:
    from trellis.districts.queries import DistrictAccess

    no_roles = DistrictAccess(district=cast.district_a, roles=frozenset())
    with pytest.raises(PermissionDenied):
        services.create_request(access=no_roles, actor=cast.dana, title="Phonics", details="Why")


# --- the duplicate guard ----------------------------------------------------------------------


def test_a_similar_open_request_is_suggested_instead(cast, ask) -> None:
    first = ask(cast.alice, "Structured student talk in math")
    with pytest.raises(ConflictError) as caught:
        ask(cast.eve, "Student talk")
    assert caught.value.code == "similar_request"
    assert caught.value.details == {
        "field": "title",
        "similar": str(first.public_id),
        "exact": False,
    }
    assert "Upvote it instead" in caught.value.message
    assert TopicRequest.objects.count() == 1


def test_the_asker_may_confirm_theirs_is_different(cast, ask) -> None:
    ask(cast.alice, "Structured student talk in math")
    second = ask(cast.eve, "Student talk", allow_similar=True)
    assert TopicRequest.objects.filter(pk=second.pk).exists()


def test_the_same_title_is_always_refused(cast, ask) -> None:
    ask(cast.alice, "Student talk")
    with pytest.raises(ConflictError) as caught:
        ask(cast.eve, "student   TALK!", allow_similar=True)
    assert caught.value.details["exact"] is True


def test_closed_and_other_district_requests_do_not_count_as_duplicates(cast, ask) -> None:
    mine = ask(cast.alice, "Student talk")
    services.withdraw_request(access=cast.access(cast.alice), actor=cast.alice, topic_request=mine)
    ask(cast.bob, "Student talk")  # Southport
    again = ask(cast.eve, "Student talk")
    assert again.district == cast.district_a


# --- edit and withdraw -------------------------------------------------------------------------


def test_the_requester_edits_and_withdraws_while_open(cast, adopted, ask) -> None:
    created = ask(cast.alice, "Phonics")
    access = cast.access(cast.alice)
    services.update_request(
        access=access,
        actor=cast.alice,
        topic_request=created,
        title="Phonics for older readers",
        details="Grade 6 decoding",
        competency=adopted.competencies[0].public_id,
        preferred_format="plc",
    )
    created.refresh_from_db()
    assert (created.title, created.details, created.preferred_format) == (
        "Phonics for older readers",
        "Grade 6 decoding",
        "plc",
    )
    assert created.competency == adopted.competencies[0]
    services.withdraw_request(access=access, actor=cast.alice, topic_request=created)
    created.refresh_from_db()
    assert created.status == RequestStatus.WITHDRAWN
    assert created.status_changed_at is not None
    actions = list(
        AuditEvent.objects.filter(target_id=str(created.public_id))
        .values_list("action", flat=True)
        .order_by("pk")
    )
    assert actions == ["voice.request_created", "voice.request_updated", "voice.request_withdrawn"]


def test_someone_else_cannot_edit_or_withdraw(cast, ask) -> None:
    created = ask(cast.alice, "Phonics")
    with pytest.raises(PermissionDenied):
        services.update_request(
            access=cast.access(cast.eve),
            actor=cast.eve,
            topic_request=created,
            title="Mine",
            details="x",
        )
    with pytest.raises(PermissionDenied):
        services.withdraw_request(
            access=cast.access(cast.eve), actor=cast.eve, topic_request=created
        )
    created.refresh_from_db()
    assert (created.title, created.status) == ("Phonics", RequestStatus.OPEN)


def test_a_planned_request_can_no_longer_be_edited(cast, ask) -> None:
    created = ask(cast.alice, "Phonics")
    services.set_request_status(
        access=cast.access(cast.dana), actor=cast.dana, topic_request=created, status="planned"
    )
    with pytest.raises(ConflictError) as caught:
        services.withdraw_request(
            access=cast.access(cast.alice), actor=cast.alice, topic_request=created
        )
    assert caught.value.code == "request_not_open"


# --- votes -------------------------------------------------------------------------------------


def test_one_vote_per_person(cast, ask, upvote) -> None:
    created = ask(cast.alice, "Phonics")
    assert upvote(cast.eve, created) is True
    assert upvote(cast.eve, created) is False
    assert upvote(cast.carol, created) is True
    assert TopicVote.objects.filter(request=created).count() == 2
    assert AuditEvent.objects.filter(action="voice.request_upvoted").count() == 2


def test_one_cannot_upvote_ones_own_request(cast, ask) -> None:
    created = ask(cast.alice, "Phonics")
    with pytest.raises(DomainError) as caught:
        services.vote(access=cast.access(cast.alice), actor=cast.alice, topic_request=created)
    assert caught.value.code == "own_request"
    assert TopicVote.objects.count() == 0


def test_toggle_takes_the_vote_back(cast, ask) -> None:
    created = ask(cast.alice, "Phonics")
    access = cast.access(cast.eve)
    assert services.toggle_vote(access=access, actor=cast.eve, topic_request=created) is True
    assert services.toggle_vote(access=access, actor=cast.eve, topic_request=created) is False
    assert TopicVote.objects.count() == 0
    assert services.unvote(access=access, actor=cast.eve, topic_request=created) is False


def test_votes_close_with_the_request(cast, ask) -> None:
    created = ask(cast.alice, "Phonics")
    services.set_request_status(
        access=cast.access(cast.dana),
        actor=cast.dana,
        topic_request=created,
        status="declined",
        reason="Covered by the state course.",
    )
    with pytest.raises(ConflictError) as caught:
        services.vote(access=cast.access(cast.eve), actor=cast.eve, topic_request=created)
    assert caught.value.code == "request_closed"


def test_another_districts_request_cannot_be_voted_on(cast, ask) -> None:
    theirs = ask(cast.bob, "Phonics")
    with pytest.raises(PermissionDenied):
        services.vote(access=cast.access(cast.alice), actor=cast.alice, topic_request=theirs)


# --- status changes ------------------------------------------------------------------------------


def test_planning_links_an_offering_and_tells_requester_and_voters(
    cast, ask, upvote, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    created = ask(cast.alice, "Phonics")
    upvote(cast.eve, created)
    upvote(cast.carol, created)
    NotificationPreference.objects.create(
        user=cast.eve, district=None, kind="request_update", channel="in_app_and_email"
    )
    offering = OfferingFactory(district=cast.district_a, title="Phonics that sticks")
    with django_capture_on_commit_callbacks(execute=True):
        services.set_request_status(
            access=cast.access(cast.dana),
            actor=cast.dana,
            topic_request=created,
            status="planned",
            reason="Spring PD day.",
            offering=str(offering.public_id),
        )
    created.refresh_from_db()
    assert (created.status, created.offering, created.status_reason) == (
        "planned",
        offering,
        "Spring PD day.",
    )
    # Request updates go to the weekly digest by default; Eve asked for them by e-mail.
    assert [m.to for m in mailoutbox] == [["eve@northfield.test"]]
    assert mailoutbox[0].subject == "Trellis: Your topic request is planned"
    body = mailoutbox[0].body
    assert "The topic “Phonics” is planned." in body
    assert "Offering: Phonics that sticks" in body
    assert "Note from Northfield: Spring PD day." in body
    assert f"/voice/requests/{created.public_id}/" in body
    event = AuditEvent.objects.get(action="voice.request_status")
    assert event.data == {"from": "open", "to": "planned", "reason": "Spring PD day."}
    notices = Notification.objects.filter(kind="request_update").order_by("recipient__email")
    assert [(n.recipient.email, n.district, n.path, n.subject) for n in notices] == [
        (
            email,
            cast.district_a,
            f"/voice/requests/{created.public_id}/",
            "Your topic request is planned",
        )
        for email in ("alice@northfield.test", "carol@northfield.test", "eve@northfield.test")
    ]


def test_declining_needs_a_reason(
    cast, ask, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    created = ask(cast.alice, "Phonics")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as caught:
        services.set_request_status(
            access=cast.access(cast.dana), actor=cast.dana, topic_request=created, status="declined"
        )
    assert caught.value.code == "reason_required"
    created.refresh_from_db()
    assert created.status == "open"
    assert mailoutbox == []
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (["delivered"], "open"),
        (["delivered"], "declined"),
        ([], "withdrawn"),
        ([], "open"),
        ([], "nonsense"),
    ],
)
def test_transitions_that_make_no_sense_are_refused(cast, ask, path, status) -> None:
    created = ask(cast.alice, "Phonics")
    access = cast.access(cast.dana)
    for step in path:
        services.set_request_status(
            access=access, actor=cast.dana, topic_request=created, status=step
        )
    with pytest.raises(ConflictError) as caught:
        services.set_request_status(
            access=access, actor=cast.dana, topic_request=created, status=status, reason="r"
        )
    assert caught.value.code == "invalid_transition"


def test_only_pd_leaders_answer_requests(cast, ask) -> None:
    created = ask(cast.alice, "Phonics")
    with pytest.raises(PermissionDenied):
        services.set_request_status(
            access=cast.access(cast.pat), actor=cast.pat, topic_request=created, status="planned"
        )


def test_an_offering_of_another_district_cannot_be_linked(cast, ask) -> None:
    created = ask(cast.alice, "Phonics")
    theirs = OfferingFactory(district=cast.district_b)
    with pytest.raises(DomainError) as caught:
        services.set_request_status(
            access=cast.access(cast.dana),
            actor=cast.dana,
            topic_request=created,
            status="planned",
            offering=str(theirs.public_id),
        )
    assert caught.value.code == "unknown_offering"
    created.refresh_from_db()
    assert created.status == "open"
