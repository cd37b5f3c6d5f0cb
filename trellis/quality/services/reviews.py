"""Completers' reviews of offerings (1–5 stars, optional text; one per person, editable) and
their moderation (hide with a reason, restore; the author is told)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from trellis.audit import services as audit
from trellis.catalog.models import Enrollment, EnrollmentStatus, Offering
from trellis.catalog.notify import notify
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.core.text import clean_text
from trellis.districts.permissions import Perm, require
from trellis.districts.queries import DistrictAccess
from trellis.quality.models import Review
from trellis.quality.services._common import own

MAX_REVIEW_TEXT = 3000


def _stars(value: Any) -> int:
    try:
        stars = int(value)
    except (TypeError, ValueError):
        stars = 0
    if isinstance(value, bool) or not 1 <= stars <= 5:
        raise DomainError(
            "bad_stars", "Choose a rating from 1 to 5 stars.", details={"field": "stars"}
        )
    return stars


@transaction.atomic
def save_review(
    *, access: DistrictAccess, actor: Any, offering: Offering, stars: Any, text: Any = ""
) -> tuple[Review, bool]:
    """Create or replace the actor's review of an offering they completed. Returns (review,
    created). Editing a hidden review keeps it hidden until a moderator restores it."""
    require(access, Perm.VIEW_CATALOG)
    own(access, offering, "offering")
    stars = _stars(stars)
    text = clean_text(
        text, field="text", label="review", max_length=MAX_REVIEW_TEXT, required=False
    )
    completed = Enrollment.objects.filter(
        offering=offering, educator=actor, status=EnrollmentStatus.COMPLETED
    ).exists()
    if not completed:
        raise PermissionDenied("Only people who completed this offering can review it.")
    review, created = Review.objects.select_for_update().get_or_create(
        offering=offering,
        author=actor,
        defaults={"district": access.district, "stars": stars, "text": text},
    )
    if not created:
        if review.stars == stars and review.text == text:
            return review, False
        review.stars, review.text = stars, text
        review.save(update_fields=["stars", "text", "updated_at"])
    audit.record(
        action="quality.review_saved",
        summary=f"{'Reviewed' if created else 'Edited their review of'} “{offering.title}”: "
        f"{stars} star{'s' if stars != 1 else ''}",
        actor=actor,
        district=access.district,
        target=review,
        data={"stars": stars, "created": created},
    )
    return review, created


@transaction.atomic
def hide_review(*, access: DistrictAccess, actor: Any, review: Review, reason: Any) -> Review:
    require(access, Perm.MANAGE_QUALITY)
    own(access, review, "review")
    reason = clean_text(reason, field="reason", label="reason", max_length=1000, required=True)
    review = (
        Review.objects.select_for_update().select_related("offering", "author").get(pk=review.pk)
    )
    if review.hidden:
        raise ConflictError("already_hidden", "This review is already hidden.")
    review.hidden, review.hidden_reason = True, reason
    review.hidden_by, review.hidden_at = actor, timezone.now()
    review.save()
    audit.record(
        action="quality.review_hidden",
        summary=f"Hid a review of “{review.offering.title}”",
        actor=actor,
        district=access.district,
        target=review,
        data={"reason": reason},
    )
    notify(
        review.author,
        subject=f"Your review of “{review.offering.title}” was hidden",
        lines=[
            "A district PD leader hid your review, so others no longer see it and it does not "
            "count in the offering's rating.",
            f"Why: {reason}",
            "You can edit your review; a moderator may then restore it.",
        ],
        path=reverse("catalog:offering", args=[review.offering.public_id]),
    )
    return review


@transaction.atomic
def restore_review(*, access: DistrictAccess, actor: Any, review: Review) -> Review:
    require(access, Perm.MANAGE_QUALITY)
    own(access, review, "review")
    review = (
        Review.objects.select_for_update().select_related("offering", "author").get(pk=review.pk)
    )
    if not review.hidden:
        raise ConflictError("not_hidden", "This review is not hidden.")
    review.hidden, review.hidden_reason, review.hidden_by, review.hidden_at = False, "", None, None
    review.save()
    audit.record(
        action="quality.review_restored",
        summary=f"Restored a review of “{review.offering.title}”",
        actor=actor,
        district=access.district,
        target=review,
    )
    notify(
        review.author,
        subject=f"Your review of “{review.offering.title}” is visible again",
        lines=["A district PD leader restored your review; it counts in the rating again."],
        path=reverse("catalog:offering", args=[review.offering.public_id]),
    )
    return review
