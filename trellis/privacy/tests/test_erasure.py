"""Erasing alice's personal data in district A: exact counts, what goes, what stays, nobody
else touched, stored files deleted, roles ended, account closed, one audit row."""

from __future__ import annotations

import pytest
from django.core.files.storage import storages
from django.http import Http404

from trellis.accounts.models import ApiToken
from trellis.audit.models import AuditEvent
from trellis.core.errors import DomainError, PermissionDenied
from trellis.districts.models import Membership, Role
from trellis.districts.tests.factories import MembershipFactory
from trellis.notifications.models import DigestSent, ReminderSent
from trellis.privacy import queries, services
from trellis.privacy.models import ErasureRecord
from trellis.privacy.tests.world import Rows, build
from trellis.voice.models import TopicRequest

pytestmark = pytest.mark.django_db

ALICE_COUNTS = {
    "credit.imported_credit_declines": 1,
    "credentials.imported_badges": 1,
    "catalog.survey_responses": 1,
    "informal.entries": 1,
    "informal.xapi_statements": 1,
    "voice.votes": 1,
    "voice.volunteer_offers": 1,
    "voice.requests": 1,
    "voice.requests_unattributed": 1,
    "recommend.feedback": 1,
    "recommend.coach_suggestions": 1,
    "recommend.snapshots": 1,
    "notifications.notifications": 1,
    "notifications.preferences": 1,
    "notifications.reminders_sent": 1,
    "notifications.digests_sent": 1,
    "microcredentials.criterion_scores": 1,
    "microcredentials.assignments": 1,
    "microcredentials.answer_revisions": 1,
    "microcredentials.answers": 1,
    "microcredentials.submission_events": 1,
    "microcredentials.upload_sessions": 1,
    "microcredentials.artifacts": 2,
    "microcredentials.submissions": 1,
    "growth.self_ratings": 1,
    "growth.self_assessments": 1,
    "growth.observation_ratings": 1,
    "growth.goal_reflections": 1,
    "growth.goal_comments": 1,
    "growth.plan_items": 1,
    "growth.goals": 1,
    "growth.coaching_assignments": 1,
    "growth.profiles": 1,
    "districts.memberships": 1,
}


def _exists(row) -> bool:
    return type(row).objects.filter(pk=row.pk).exists()


def _untouched(rows: Rows) -> list[str]:
    """Labels of any row of `rows` that is gone or changed owner (should be none)."""
    gone = [
        kind
        for kind, objects in {**rows.erased, **rows.kept}.items()
        for row in objects
        if not _exists(row)
    ]
    storage = storages["default"]
    gone += [name for name in rows.files if not storage.exists(name)]
    gone += [str(path) for path in rows.partial if not path.exists()]
    return gone


def _erase(cast, **overrides):
    arguments = {"reason": "Request #41 of 2 Dec", "confirmation": " ALICE@northfield.test"}
    arguments.update(overrides)
    return services.erase_educator(cast.access(cast.dana), cast.dana, cast.alice, **arguments)


def test_erasing_alice_deletes_her_data_keeps_the_records_and_touches_nobody_else(
    cast, django_capture_on_commit_callbacks
) -> None:
    world = build(cast)
    preview = queries.preview(cast.access(cast.dana), cast.alice)

    with django_capture_on_commit_callbacks(execute=True):
        record = _erase(cast)

    assert record.counts == ALICE_COUNTS
    assert preview.counts == ALICE_COUNTS  # the preview announced exactly what went
    assert record.total == 35
    assert record.reason == "Request #41 of 2 Dec"
    assert record.subject_public_id == str(cast.alice.public_id)
    assert record.erased_by == cast.dana
    assert record.account_deactivated is True
    erased_left = [
        kind
        for kind, objects in world.alice.erased.items()
        if kind != "voice.requests_unattributed"
        for row in objects
        if _exists(row)
    ]
    assert erased_left == []
    kept_gone = [
        kind for kind, objects in world.alice.kept.items() for row in objects if not _exists(row)
    ]
    assert kept_gone == []
    storage = storages["default"]
    assert [name for name in world.alice.files if storage.exists(name)] == []
    assert [path for path in world.alice.partial if path.exists()] == []
    backed = TopicRequest.objects.get(pk=world.alice.erased["voice.requests_unattributed"][0].pk)
    assert backed.requester_id is None
    assert backed.votes.count() == 1  # carol's upvote stays
    assert _untouched(world.carol) == []
    assert _untouched(world.bob) == []
    assert not Membership.objects.filter(user=cast.alice).exists()
    cast.alice.refresh_from_db()
    assert cast.alice.is_active is False
    assert ApiToken.objects.get(pk=world.alice_token.pk).revoked_at is not None
    event = AuditEvent.objects.get(action="privacy.educator_erased")
    assert event.district == cast.district_a
    assert event.actor == cast.dana
    assert event.target_id == str(record.public_id)
    assert event.data == {
        "counts": ALICE_COUNTS,
        "account_deactivated": True,
        "tokens_revoked": 1,
        "educator": str(cast.alice.public_id),
    }
    assert "alice" not in (event.summary + event.target_label).lower()


def test_with_another_district_the_account_and_bookkeeping_stay(
    cast, django_capture_on_commit_callbacks
) -> None:
    build(cast)
    MembershipFactory(user=cast.alice, district=cast.district_b, role=Role.EDUCATOR)

    with django_capture_on_commit_callbacks(execute=True):
        record = _erase(cast)

    assert record.account_deactivated is False
    assert record.counts["notifications.reminders_sent"] == 0
    assert record.counts["notifications.digests_sent"] == 0
    assert ReminderSent.objects.filter(recipient=cast.alice).count() == 1
    assert DigestSent.objects.filter(recipient=cast.alice).count() == 1
    cast.alice.refresh_from_db()
    assert cast.alice.is_active is True
    assert list(
        Membership.objects.filter(user=cast.alice).values_list("district__slug", flat=True)
    ) == ["southport"]


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"reason": "  "}, "reason_required"),
        ({"reason": "x" * 501}, "reason_too_long"),
        ({"confirmation": "carol@northfield.test"}, "confirmation_mismatch"),
        ({"confirmation": ""}, "confirmation_mismatch"),
    ],
)
def test_a_refused_request_writes_nothing(cast, overrides, code) -> None:
    build(cast)
    before = Membership.objects.count(), AuditEvent.objects.count()

    with pytest.raises(DomainError) as caught:
        _erase(cast, **overrides)

    assert caught.value.code == code
    assert (Membership.objects.count(), AuditEvent.objects.count()) == before
    assert ErasureRecord.objects.count() == 0


def test_an_admin_cannot_erase_themself(cast) -> None:
    with pytest.raises(DomainError) as caught:
        services.erase_educator(
            cast.access(cast.dana),
            cast.dana,
            cast.dana,
            reason="Mine",
            confirmation="dana@northfield.test",
        )

    assert caught.value.code == "cannot_erase_self"


def test_another_districts_educator_is_not_found_and_non_admins_are_refused(cast) -> None:
    with pytest.raises(Http404):
        queries.educator_for(cast.access(cast.dana), cast.bob.public_id)
    with pytest.raises(Http404):
        services.erase_educator(
            cast.access(cast.dana), cast.dana, cast.bob, reason="r", confirmation=cast.bob.email
        )
    with pytest.raises(PermissionDenied):
        services.erase_educator(
            cast.access(cast.pat), cast.pat, cast.alice, reason="r", confirmation=cast.alice.email
        )


def test_the_command_line_erasure_has_no_actor(cast) -> None:
    from trellis.roster.services import system_access

    record = services.erase_educator(
        system_access(cast.district_a),
        None,
        cast.eve,
        reason="Operator ticket 7",
        confirmation="eve@northfield.test",
    )

    assert record.erased_by is None
    assert record.counts["growth.profiles"] == 1
    assert record.counts["districts.memberships"] == 1
