import pytest
from django.http import Http404

from trellis.audit.models import AuditEvent
from trellis.catalog.models import OfferingKind, OfferingStatus
from trellis.catalog.tests.factories import OfferingFactory
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.quality import queries
from trellis.quality.models import RubricItem, VettingReview, VettingScore
from trellis.quality.services import rubric as rubric_services
from trellis.quality.services.vetting import vet_offering
from trellis.quality.tests.factories import full_marks, rubric


def test_default_rubric_is_seeded_once_with_essentials(cast):
    assert rubric_services.ensure_default_rubric(cast.district_a) == 14
    assert rubric_services.ensure_default_rubric(cast.district_a) == 0
    items = list(queries.rubric_items(cast.district_a))
    assert len(items) == 14
    assert [i.text for i in items if i.essential] == [
        "States what participants will be able to do in their classrooms afterwards",
        "Participants practise, try out and analyse, not only listen",
        "Grounded in evidence, with a credible source or rationale",
        "Accessible to every participant",
    ]
    assert not queries.rubric_items(cast.district_b).exists()


def test_vetting_scores_and_essentials(cast):
    offering = OfferingFactory(district=cast.district_a)
    review = vet_offering(
        access=cast.access(cast.dana),
        actor=cast.dana,
        offering=offering,
        scores=full_marks(cast.district_a, except_essential=2),
    )
    assert review.score == pytest.approx(36 / 42)
    assert review.essentials_met is False
    assert review.unmet_essentials == [
        "States what participants will be able to do in their classrooms afterwards",
        "Participants practise, try out and analyse, not only listen",
    ]
    assert review.reviewer_role == "District PD leader"
    assert VettingScore.objects.filter(review=review).count() == 14
    event = AuditEvent.objects.get(action="quality.offering_vetted")
    assert event.data["essentials_met"] is False


def test_publishing_as_vetted_is_refused_naming_the_unmet_items(cast):
    offering = OfferingFactory(
        district=cast.district_a,
        status=OfferingStatus.DRAFT,
        kind=OfferingKind.SELF_PACED,
        published_at=None,
    )
    with pytest.raises(DomainError) as caught:
        vet_offering(
            access=cast.access(cast.dana),
            actor=cast.dana,
            offering=offering,
            scores=full_marks(cast.district_a, except_essential=1),
            publish=True,
        )
    assert caught.value.code == "essentials_unmet"
    assert caught.value.message == (
        "It cannot be published as vetted: these essential rubric items are not met (each needs "
        "at least 2 of 3 points): “States what participants will be able to do in their "
        "classrooms afterwards”."
    )
    assert not VettingReview.objects.exists()
    offering.refresh_from_db()
    assert offering.status == OfferingStatus.DRAFT
    vet_offering(
        access=cast.access(cast.dana),
        actor=cast.dana,
        offering=offering,
        scores=full_marks(cast.district_a, points=2),
        publish=True,
    )
    offering.refresh_from_db()
    assert offering.status == OfferingStatus.PUBLISHED


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ("missing", "unscored_items"),
        ("too_high", "bad_points"),
        ("not_a_number", "bad_points"),
        ("unknown", "unknown_rubric_item"),
    ],
)
def test_bad_scores_write_nothing(cast, change, code):
    offering = OfferingFactory(district=cast.district_a)
    scores = full_marks(cast.district_a)
    first = next(iter(scores))
    if change == "missing":
        del scores[first]
    elif change == "too_high":
        scores[first] = (4, "")
    elif change == "not_a_number":
        scores[first] = ("x", "")
    else:
        scores["00000000-0000-0000-0000-000000000000"] = (1, "")
    with pytest.raises(DomainError) as caught:
        vet_offering(
            access=cast.access(cast.dana), actor=cast.dana, offering=offering, scores=scores
        )
    assert caught.value.code == code
    assert not VettingReview.objects.exists()


def test_vetting_needs_the_permission_and_the_district(cast):
    offering = OfferingFactory(district=cast.district_a)
    scores = full_marks(cast.district_a)
    with pytest.raises(PermissionDenied):
        vet_offering(
            access=cast.access(cast.carol), actor=cast.carol, offering=offering, scores=scores
        )
    with pytest.raises(Http404):
        vet_offering(access=cast.access(cast.bea), actor=cast.bea, offering=offering, scores=scores)


def test_no_rubric_is_a_clear_error(cast):
    offering = OfferingFactory(district=cast.district_a)
    with pytest.raises(DomainError, match="no vetting rubric yet"):
        vet_offering(access=cast.access(cast.dana), actor=cast.dana, offering=offering, scores={})


def test_current_vetting_is_the_latest_review(cast):
    offering = OfferingFactory(district=cast.district_a)
    access = cast.access(cast.dana)
    vet_offering(
        access=access,
        actor=cast.dana,
        offering=offering,
        scores=full_marks(cast.district_a, except_essential=1),
    )
    vet_offering(
        access=access, actor=cast.dana, offering=offering, scores=full_marks(cast.district_a)
    )
    card = queries.scorecard(cast.district_a, offering)
    assert card.vetting.vetted is True
    assert card.vetting.score == 1.0
    assert not queries.unvetted_offerings(cast.district_a).filter(pk=offering.pk).exists()


def test_rubric_items_are_archived_once_used_and_deleted_otherwise(cast):
    access = cast.access(cast.dana)
    items = rubric(cast.district_a)
    offering = OfferingFactory(district=cast.district_a)
    vet_offering(
        access=access, actor=cast.dana, offering=offering, scores=full_marks(cast.district_a)
    )
    assert rubric_services.remove_item(access=access, actor=cast.dana, item=items[0]) == "archived"
    new = rubric_services.add_item(
        access=access, actor=cast.dana, text="Fits our calendar", essential=False, max_points=2
    )
    assert new.position == 15
    assert rubric_services.remove_item(access=access, actor=cast.dana, item=new) == "deleted"
    assert not RubricItem.objects.filter(pk=new.pk).exists()
    assert queries.rubric_items(cast.district_a).count() == 13
    with pytest.raises(ConflictError):
        rubric_services.update_item(
            access=access, actor=cast.dana, item=items[1], text=items[1].text, max_points=2
        )
    rubric_services.restore_item(access=access, actor=cast.dana, item=items[0])
    assert queries.rubric_items(cast.district_a).count() == 14


def test_rubric_item_validation(cast):
    access = cast.access(cast.dana)
    with pytest.raises(DomainError, match="Enter the rubric item"):
        rubric_services.add_item(access=access, actor=cast.dana, text=" ")
    with pytest.raises(DomainError, match="from 1 to 3"):
        rubric_services.add_item(access=access, actor=cast.dana, text="X", max_points=5)
    with pytest.raises(PermissionDenied):
        rubric_services.add_item(access=cast.access(cast.alice), actor=cast.alice, text="X")
    assert not RubricItem.objects.exists()


def test_moving_rubric_items(cast):
    access = cast.access(cast.dana)
    items = rubric(cast.district_a)
    rubric_services.move_item(access=access, actor=cast.dana, item=items[1], up=True)
    assert [i.pk for i in queries.rubric_items(cast.district_a)][:2] == [items[1].pk, items[0].pk]
