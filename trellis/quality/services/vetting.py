"""Vetting: a reviewer scores an offering against the district's rubric; "vetted" needs every
essential row met. Publishing as vetted is refused, naming the unmet rows, when it is not."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from trellis.audit import services as audit
from trellis.catalog.models import Offering, OfferingStatus
from trellis.catalog.services.offerings import change_status
from trellis.core.errors import DomainError
from trellis.core.text import clean_text
from trellis.districts.permissions import Perm, require
from trellis.districts.queries import DistrictAccess
from trellis.quality import metrics
from trellis.quality.models import RubricItem, VettingReview, VettingScore
from trellis.quality.services._common import own, role_label

MAX_COMMENT = 2000

# {rubric item public_id (str): (points, comment)}
Scores = Mapping[str, tuple[Any, Any]]


def _clean_scores(district: Any, scores: Scores) -> list[tuple[RubricItem, int, str]]:
    items = list(
        RubricItem.objects.filter(district=district, archived_at__isnull=True).order_by(
            "position", "id"
        )
    )
    if not items:
        raise DomainError(
            "no_rubric",
            "The district has no vetting rubric yet. Add rubric items under Vetting → Rubric.",
        )
    given = {str(k): v for k, v in scores.items()}
    known = {str(item.public_id) for item in items}
    unknown = sorted(set(given) - known)
    if unknown:
        raise DomainError(
            "unknown_rubric_item",
            "Some scores are for rubric items that are not in use: " + ", ".join(unknown) + ".",
            details={"field": "scores"},
        )
    clean = []
    missing = []
    for item in items:
        key = str(item.public_id)
        points_raw, comment_raw = given.get(key, (None, ""))
        if points_raw in (None, ""):
            missing.append(item.text)
            continue
        try:
            points = int(points_raw)
        except (TypeError, ValueError):
            points = -1
        if not 0 <= points <= item.max_points:
            raise DomainError(
                "bad_points",
                f"“{item.text}”: choose a score from 0 to {item.max_points}.",
                details={"field": f"points_{key}"},
            )
        comment = clean_text(
            comment_raw,
            field=f"comment_{key}",
            label="comment",
            max_length=MAX_COMMENT,
            required=False,
        )
        clean.append((item, points, comment))
    if missing:
        raise DomainError(
            "unscored_items",
            "Score every rubric item. Not scored: " + "; ".join(f"“{t}”" for t in missing) + ".",
            details={"field": "scores", "missing": missing},
        )
    return clean


def unmet_message(unmet: list[str] | tuple[str, ...]) -> str:
    names = "; ".join(f"“{t}”" for t in unmet)
    return (
        "It cannot be published as vetted: these essential rubric items are not met "
        f"(each needs at least 2 of 3 points): {names}."
    )


@transaction.atomic
def vet_offering(
    *,
    access: DistrictAccess,
    actor: Any,
    offering: Offering,
    scores: Scores,
    comment: Any = "",
    publish: bool = False,
) -> VettingReview:
    """Record a completed vetting review. With `publish`, also publish the (draft or under-review)
    offering; refused, with nothing written, when an essential item is unmet."""
    require(access, Perm.MANAGE_QUALITY)
    own(access, offering, "offering")
    clean = _clean_scores(access.district, scores)
    comment = clean_text(
        comment, field="comment", label="comment", max_length=MAX_COMMENT, required=False
    )
    result = metrics.rubric_result(
        (item.text, points, item.max_points, item.essential) for item, points, _ in clean
    )
    if publish and not result.essentials_met:
        raise DomainError(
            "essentials_unmet",
            unmet_message(result.unmet_essentials),
            details={"unmet": list(result.unmet_essentials)},
        )
    review = VettingReview.objects.create(
        district=access.district,
        offering=offering,
        reviewer=actor if getattr(actor, "is_authenticated", False) else None,
        reviewer_role=role_label(access),
        score=result.score,
        essentials_met=result.essentials_met,
        unmet_essentials=list(result.unmet_essentials),
        comment=comment,
        completed_at=timezone.now(),
    )
    VettingScore.objects.bulk_create(
        VettingScore(review=review, item=item, points=points, comment=text)
        for item, points, text in clean
    )
    audit.record(
        action="quality.offering_vetted",
        summary=f"Vetted “{offering.title}”: {round(result.score * 100)}%, "
        + ("essentials met" if result.essentials_met else "essentials not met"),
        actor=actor,
        district=access.district,
        target=offering,
        data={
            "score": round(result.score, 4),
            "essentials_met": result.essentials_met,
            "unmet": list(result.unmet_essentials),
        },
    )
    if publish and offering.status != OfferingStatus.PUBLISHED:
        change_status(
            access=access, actor=actor, offering=offering, status=OfferingStatus.PUBLISHED
        )
    return review
