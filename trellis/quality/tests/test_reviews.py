import pytest
from django.core import mail
from django.http import Http404

from trellis.catalog.tests.factories import EnrollmentFactory, OfferingFactory
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.quality import queries
from trellis.quality.models import Review
from trellis.quality.services import reviews as services
from trellis.quality.tests.factories import completer


@pytest.fixture
def offering(cast):
    return OfferingFactory(district=cast.district_a)


def test_completers_review_once_and_edit(cast, offering):
    completer(offering, cast.alice)
    access = cast.access(cast.alice)
    review, created = services.save_review(
        access=access, actor=cast.alice, offering=offering, stars=4, text="Useful."
    )
    assert created is True
    again, created = services.save_review(
        access=access, actor=cast.alice, offering=offering, stars=5, text="Even better later."
    )
    assert (created, again.pk, again.stars) == (False, review.pk, 5)
    assert Review.objects.count() == 1


def test_only_completers_review(cast, offering):
    EnrollmentFactory(offering=offering, educator=cast.alice)  # enrolled, not completed
    with pytest.raises(PermissionDenied, match="completed this offering"):
        services.save_review(
            access=cast.access(cast.alice), actor=cast.alice, offering=offering, stars=5
        )
    assert not Review.objects.exists()


@pytest.mark.parametrize("stars", [0, 6, "five", None, True])
def test_stars_must_be_one_to_five(cast, offering, stars):
    completer(offering, cast.alice)
    with pytest.raises(DomainError, match="1 to 5 stars"):
        services.save_review(
            access=cast.access(cast.alice), actor=cast.alice, offering=offering, stars=stars
        )
    assert not Review.objects.exists()


def test_another_districts_offering_is_not_found(cast, offering):
    with pytest.raises(Http404):
        services.save_review(
            access=cast.access(cast.bob), actor=cast.bob, offering=offering, stars=3
        )


def test_moderation_hides_and_restores_and_tells_the_author(
    cast, offering, django_capture_on_commit_callbacks
):
    completer(offering, cast.alice)
    review, _ = services.save_review(
        access=cast.access(cast.alice), actor=cast.alice, offering=offering, stars=1, text="Spam"
    )
    admin = cast.access(cast.dana)
    with pytest.raises(DomainError, match="Enter the reason"):
        services.hide_review(access=admin, actor=cast.dana, review=review, reason="")
    with pytest.raises(PermissionDenied):
        services.hide_review(
            access=cast.access(cast.carol), actor=cast.carol, review=review, reason="x"
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.hide_review(access=admin, actor=cast.dana, review=review, reason="Advertising.")
    assert "Why: Advertising." in mail.outbox[-1].body
    assert mail.outbox[-1].to == [cast.alice.email]
    assert queries.scorecard(cast.district_a, offering).rating_count == 0
    with pytest.raises(ConflictError):
        services.hide_review(access=admin, actor=cast.dana, review=review, reason="Again")
    with django_capture_on_commit_callbacks(execute=True):
        services.restore_review(access=admin, actor=cast.dana, review=review)
    assert queries.scorecard(cast.district_a, offering).rating_count == 1
    assert "restored" in mail.outbox[-1].body
