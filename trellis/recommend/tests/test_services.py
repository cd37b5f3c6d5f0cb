"""Feedback, coach suggestions and settings: each write validated, permission-checked, audited."""

from __future__ import annotations

import pytest

from trellis.audit.models import AuditEvent
from trellis.catalog.tests.factories import OfferingFactory
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.growth.tests.factories import CoachingAssignmentFactory
from trellis.recommend import queries, services
from trellis.recommend.models import (
    CoachSuggestion,
    PriorityCompetency,
    PriorityOffering,
    RecommendationFeedback,
    RecommendationSettings,
)

pytestmark = pytest.mark.django_db


def _titles(cast, user):
    return [p.title for p in queries.recommendations_for(cast.access(user), user).picks]


def test_not_for_me_replaces_the_pick_and_clear_brings_it_back(world):
    cast = world.cast
    before = _titles(cast, cast.alice)
    assert len(before) == 3  # novice list size
    dismissed = next(o for o in world.offerings if o.title == before[0])
    services.give_feedback(
        access=cast.access(cast.alice), actor=cast.alice, offering=dismissed, action="not_for_me"
    )
    after = _titles(cast, cast.alice)
    assert dismissed.title not in after
    assert len(after) == 3
    assert set(before[1:]) <= set(after)
    assert AuditEvent.objects.filter(action="recommend.feedback_not_for_me").count() == 1
    services.give_feedback(
        access=cast.access(cast.alice), actor=cast.alice, offering=dismissed, action="clear"
    )
    assert dismissed.title in _titles(cast, cast.alice)
    assert not RecommendationFeedback.objects.exists()


def test_save_marks_the_pick(world):
    cast = world.cast
    first = queries.recommendations_for(cast.access(cast.alice), cast.alice).picks[0]
    offering = next(o for o in world.offerings if str(o.public_id) == first.offering_id)
    services.give_feedback(
        access=cast.access(cast.alice), actor=cast.alice, offering=offering, action="save"
    )
    services.give_feedback(  # twice: still one row, one audit
        access=cast.access(cast.alice), actor=cast.alice, offering=offering, action="save"
    )
    assert RecommendationFeedback.objects.get().action == "save"
    assert AuditEvent.objects.filter(action="recommend.feedback_save").count() == 1
    recs = queries.recommendations_for(cast.access(cast.alice), cast.alice)
    saved = [p for p in recs.picks if p.offering_id == first.offering_id]
    assert (saved and saved[0].is_saved) or (first.offering_id, first.title) in recs.saved


@pytest.mark.parametrize(("action", "code"), [("maybe", "invalid_action"), ("", "invalid_action")])
def test_bad_feedback_action(world, action, code):
    cast = world.cast
    with pytest.raises(DomainError) as error:
        services.give_feedback(
            access=cast.access(cast.alice),
            actor=cast.alice,
            offering=world.offerings[0],
            action=action,
        )
    assert error.value.code == code
    assert error.value.message == "Choose one of: not_for_me, save, clear."
    assert not RecommendationFeedback.objects.exists()


def test_feedback_on_unpublished_or_foreign_offering(world):
    cast = world.cast
    draft = OfferingFactory(district=cast.district_a, status="draft", title="Draft one")
    foreign = OfferingFactory(district=cast.district_b)
    access = cast.access(cast.alice)
    with pytest.raises(DomainError) as error:
        services.give_feedback(access=access, actor=cast.alice, offering=draft, action="save")
    assert error.value.code == "offering_not_published"
    with pytest.raises(DomainError) as error:
        services.give_feedback(access=access, actor=cast.alice, offering=foreign, action="save")
    assert error.value.code == "unknown_offering"
    assert not RecommendationFeedback.objects.exists()


def test_coach_suggestion_appears_with_the_note(world):
    cast = world.cast
    CoachingAssignmentFactory(district=cast.district_a, coach=cast.carol, educator=cast.alice)
    leadership = world.offerings[-1]  # aimed at veterans: not in alice's list on its own
    assert leadership.title not in _titles(cast, cast.alice)
    services.suggest_offering(
        access=cast.access(cast.carol),
        actor=cast.carol,
        educator=cast.alice,
        offering=world.offerings[3],
        note="  Try this before our next debrief.  ",
    )
    recs = queries.recommendations_for(cast.access(cast.alice), cast.alice)
    pick = next(p for p in recs.picks if p.title == world.offerings[3].title)
    assert pick.reasons[0].code == "coach"
    assert pick.reasons[0].text == "Carol Cruz suggested it: “Try this before our next debrief.”"
    assert AuditEvent.objects.filter(action="recommend.coach_suggested").count() == 1
    with pytest.raises(ConflictError):
        services.suggest_offering(
            access=cast.access(cast.carol),
            actor=cast.carol,
            educator=cast.alice,
            offering=world.offerings[3],
        )


def test_suggestion_only_for_the_caseload(world):
    cast = world.cast
    with pytest.raises(PermissionDenied):  # carol does not coach eve
        services.suggest_offering(
            access=cast.access(cast.carol),
            actor=cast.carol,
            educator=cast.eve,
            offering=world.offerings[0],
        )
    with pytest.raises(PermissionDenied):  # alice is no coach
        services.suggest_offering(
            access=cast.access(cast.alice),
            actor=cast.alice,
            educator=cast.eve,
            offering=world.offerings[0],
        )
    CoachingAssignmentFactory(district=cast.district_a, coach=cast.carol, educator=cast.alice)
    with pytest.raises(DomainError) as error:
        services.suggest_offering(
            access=cast.access(cast.carol),
            actor=cast.carol,
            educator=cast.alice,
            offering=world.offerings[0],
            note="x" * 501,
        )
    assert error.value.code == "note_too_long"
    assert not CoachSuggestion.objects.exists()


def _update(cast, **changes):
    args = {"sizes": {}, "reserved_slots": 0, "weight_overrides": {}}
    args.update(changes)
    return services.update_settings(access=cast.access(cast.dana), actor=cast.dana, **args)


def test_settings_saved_and_audited(world):
    cast = world.cast
    row = _update(
        cast,
        sizes={"novice_size": 3, "developing_size": 5, "experienced_size": 5, "veteran_size": 6},
        reserved_slots=1,
        weight_overrides={"mmr_lambda": "0.6", "goal_bonus": 1},
    )
    assert (row.developing_size, row.veteran_size, row.reserved_slots) == (5, 6, 1)
    assert row.weight_overrides == {"mmr_lambda": 0.6, "goal_bonus": 1.0}
    assert queries.weights_of(row).mmr_lambda == 0.6
    event = AuditEvent.objects.get(action="recommend.settings_changed")
    assert event.data["after"]["veteran_size"] == 6


@pytest.mark.parametrize(
    ("changes", "code", "message"),
    [
        (
            {"sizes": {"novice_size": 2}},
            "invalid_novice_size",
            "The list size for novice educators must be a whole number from 3 to 6.",
        ),
        (
            {"sizes": {"veteran_size": 7}},
            "invalid_veteran_size",
            "The list size for veteran educators must be a whole number from 3 to 6.",
        ),
        (
            {"sizes": {"developing_size": "four"}},
            "invalid_developing_size",
            "The list size for developing educators must be a whole number from 3 to 6.",
        ),
        ({"sizes": {"junior_size": 4}}, "unknown_size", "Unknown list size: junior_size."),
        (
            {"reserved_slots": 3},
            "invalid_reserved_slots",
            "The number of reserved slots must be a whole number from 0 to 2.",
        ),
        (
            {"reserved_slots": True},
            "invalid_reserved_slots",
            "The number of reserved slots must be a whole number from 0 to 2.",
        ),
        (
            {"weight_overrides": {"mmr_lambda": 1.5}},
            "invalid_weight",
            "Weight 'mmr_lambda' must be between 0 and 1; got 1.5.",
        ),
        (
            {"weight_overrides": {"mmr_lambda": "lots"}},
            "invalid_weight",
            "Weight 'mmr_lambda' must be a number between 0 and 1.",
        ),
        (
            {"weight_overrides": {"dose_zero_hours": 15, "dose_threshold_hours": 10}},
            "invalid_weight",
            "Weight 'dose_threshold_hours' must be above 'dose_zero_hours'.",
        ),
    ],
)
def test_bad_settings_write_nothing(world, changes, code, message):
    cast = world.cast
    with pytest.raises(DomainError) as error:
        _update(cast, **changes)
    assert error.value.code == code
    assert error.value.message == message
    assert not RecommendationSettings.objects.exists()
    assert not AuditEvent.objects.filter(action="recommend.settings_changed").exists()


def test_unknown_weight_name(world):
    with pytest.raises(DomainError) as error:
        _update(world.cast, weight_overrides={"magic": 1})
    assert error.value.code == "invalid_weight"
    assert error.value.message.startswith("Unknown weight 'magic'")
    assert error.value.details == {"field": "magic"}


def test_settings_need_the_permission(world):
    cast = world.cast
    with pytest.raises(PermissionDenied):
        services.update_settings(
            access=cast.access(cast.carol),
            actor=cast.carol,
            sizes={},
            reserved_slots=0,
            weight_overrides={},
        )


def test_priorities(world):
    cast = world.cast
    access = cast.access(cast.dana)
    a = world.comps[0]
    services.add_priority_competency(access=access, actor=cast.dana, item=a)
    services.add_priority_competency(access=access, actor=cast.dana, item=a, school=cast.middle_a)
    with pytest.raises(ConflictError) as error:
        services.add_priority_competency(access=access, actor=cast.dana, item=a)
    assert error.value.message == "“1.1 Competency 1.1” is already in the district priorities."
    with pytest.raises(DomainError) as error:
        services.add_priority_competency(
            access=access, actor=cast.dana, item=a, school=cast.school_b
        )
    assert error.value.code == "unknown_school"
    assert PriorityCompetency.objects.count() == 2
    services.add_priority_offering(access=access, actor=cast.dana, offering=world.offerings[0])
    with pytest.raises(ConflictError):
        services.add_priority_offering(access=access, actor=cast.dana, offering=world.offerings[0])
    row = PriorityOffering.objects.get()
    services.remove_priority_offering(access=access, actor=cast.dana, priority=row)
    assert not PriorityOffering.objects.exists()
    assert AuditEvent.objects.filter(action__startswith="recommend.priority").count() == 4


def test_reserved_slot_goes_to_a_priority_offering(world):
    cast = world.cast
    access = cast.access(cast.dana)
    leadership = world.offerings[-1]
    services.add_priority_offering(access=access, actor=cast.dana, offering=world.offerings[4])
    _update(cast, reserved_slots=1)
    recs = queries.recommendations_for(cast.access(cast.alice), cast.alice)
    assert [p.title for p in recs.picks if p.slot == "priority"] == [world.offerings[4].title]
    assert leadership.title not in [p.title for p in recs.picks]
