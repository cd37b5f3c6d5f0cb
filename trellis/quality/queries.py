"""Tenant-scoped reads for quality: rubric, vetting, proposals, reviews, signals and scorecards."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404

from trellis.catalog.models import (
    DesignFeature,
    Enrollment,
    EnrollmentStatus,
    EvidenceTier,
    Offering,
    OfferingStatus,
    SurveyPhase,
    SurveyResponse,
)
from trellis.core.ids import public_id_or_404
from trellis.quality import metrics
from trellis.quality.growth import growth_by_offering
from trellis.quality.models import (
    OPEN_PROPOSAL,
    Proposal,
    Review,
    RubricItem,
    VettingReview,
)

USED_IN_CLASS = "used_in_class"
# Fallback priors when the district has no ratings / follow-up answers at all yet.
DEFAULT_RATING_PRIOR = 3.0
DEFAULT_USED_PRIOR = 0.5
# Enrolments that count in the completion rate's denominator: people who started the offering.
STARTED = (
    EnrollmentStatus.ENROLLED,
    EnrollmentStatus.COMPLETED,
    EnrollmentStatus.WITHDRAWN,
    EnrollmentStatus.NO_SHOW,
)


# --- signals for recommendations -------------------------------------------------------------


@dataclass(frozen=True)
class OfferingSignals:
    vetting_score: float | None  # latest completed vetting review, 0..1; None when never vetted
    vetting_failed: bool  # the latest review left an essential rubric item unmet
    rating_sum: float  # visible reviews' stars
    rating_count: int
    used_yes: int  # follow-up answers "I used it in my classroom": yes
    used_count: int  # follow-up answers to that question
    growth_effect: float | None  # difference-in-differences; None below the minimum sample
    growth_n: int  # participants with before-and-after ratings


def latest_reviews(district: Any) -> QuerySet[VettingReview]:
    """Each offering's current vetting: its latest completed review."""
    latest = VettingReview.objects.filter(offering_id=OuterRef("offering_id")).order_by(
        "-completed_at", "-id"
    )
    return VettingReview.objects.filter(district=district).filter(
        pk=Subquery(latest.values("pk")[:1])
    )


def _rating_totals(district: Any, offering_ids: list[int] | None = None) -> dict[int, tuple]:
    rows = Review.objects.filter(district=district, hidden=False)
    if offering_ids is not None:
        rows = rows.filter(offering_id__in=offering_ids)
    return {
        r["offering_id"]: (float(r["total"]), r["n"])
        for r in rows.values("offering_id").annotate(total=Sum("stars"), n=Count("id"))
    }


def _used_totals(district: Any, offering_ids: list[int] | None = None) -> dict[int, tuple]:
    rows = SurveyResponse.objects.filter(
        enrollment__district=district,
        phase=SurveyPhase.FOLLOW_UP,
        answers__has_key=USED_IN_CLASS,
    )
    if offering_ids is not None:
        rows = rows.filter(enrollment__offering_id__in=offering_ids)
    return {
        r["offering_id"]: (r["yes"], r["n"])
        for r in rows.values(offering_id=F("enrollment__offering_id")).annotate(
            yes=Count("id", filter=Q(**{f"answers__{USED_IN_CLASS}": True})), n=Count("id")
        )
    }


def offering_signals(district: Any) -> dict[int, OfferingSignals]:
    """Quality signals of every published offering, keyed by Offering pk; a fixed number of
    queries (aggregates), whatever the catalog's size."""
    ids = list(
        Offering.objects.filter(district=district, status=OfferingStatus.PUBLISHED).values_list(
            "pk", flat=True
        )
    )
    vetting = {
        o: (score, met)
        for o, score, met in latest_reviews(district)
        .filter(offering_id__in=ids)
        .values_list("offering_id", "score", "essentials_met")
    }
    ratings = _rating_totals(district, ids)
    used = _used_totals(district, ids)
    growth = growth_by_offering(district, ids)
    signals = {}
    for pk in ids:
        score, met = vetting.get(pk, (None, True))
        total, n = ratings.get(pk, (0.0, 0))
        yes, answered = used.get(pk, (0, 0))
        estimate = growth[pk]
        signals[pk] = OfferingSignals(
            vetting_score=score,
            vetting_failed=not met,
            rating_sum=total,
            rating_count=n,
            used_yes=yes,
            used_count=answered,
            growth_effect=estimate.effect,
            growth_n=estimate.participants,
        )
    return signals


def catalog_means(district: Any) -> tuple[float, float]:
    """The district's mean star rating and "used it in class" rate over every visible review /
    follow-up answer: the priors the scorecard shrinks toward. One query."""
    stars = Review.objects.filter(district=district, hidden=False).aggregate(mean=Avg("stars"))[
        "mean"
    ]
    used = SurveyResponse.objects.filter(
        enrollment__district=district, phase=SurveyPhase.FOLLOW_UP, answers__has_key=USED_IN_CLASS
    ).aggregate(yes=Count("id", filter=Q(**{f"answers__{USED_IN_CLASS}": True})), n=Count("id"))
    return (
        float(stars) if stars is not None else DEFAULT_RATING_PRIOR,
        used["yes"] / used["n"] if used["n"] else DEFAULT_USED_PRIOR,
    )


# --- the scorecard ----------------------------------------------------------------------------


@dataclass(frozen=True)
class VettingSummary:
    score: float
    vetted: bool
    unmet_essentials: list[str]
    completed_at: datetime
    reviewer_role: str


@dataclass(frozen=True)
class Scorecard:
    offering_id: int
    vetting: VettingSummary | None
    evidence_tier: str
    evidence_tier_label: str
    evidence_citation: str
    design_features: list[tuple[str, str]]  # (value, label)
    rating_shrunk: float | None
    rating_raw: float | None
    rating_count: int
    rating_prior: float
    used_shrunk: float | None
    used_raw: float | None
    used_count: int
    used_prior: float
    completion_rate: float | None
    completed: int
    started: int
    cost_per_hour: Decimal
    growth: metrics.GrowthEstimate
    prior_strength: int = metrics.PRIOR_STRENGTH
    min_participants: int = metrics.MIN_PARTICIPANTS
    min_comparisons: int = metrics.MIN_COMPARISONS
    growth_window_days: int = metrics.GROWTH_WINDOW.days
    notes: list[str] = field(default_factory=list)


def scorecard(district: Any, offering: Offering) -> Scorecard:
    """Everything the district knows about an offering's quality: 6 queries."""
    if offering.district_id != district.pk:
        raise Http404("No such offering.")
    review = latest_reviews(district).filter(offering=offering).first()
    rating_prior, used_prior = catalog_means(district)
    total, n = _rating_totals(district, [offering.pk]).get(offering.pk, (0.0, 0))
    yes, answered = _used_totals(district, [offering.pk]).get(offering.pk, (0, 0))
    counts = Enrollment.objects.filter(offering=offering).aggregate(
        completed=Count("id", filter=Q(status=EnrollmentStatus.COMPLETED)),
        started=Count("id", filter=Q(status__in=STARTED)),
    )
    growth = growth_by_offering(district, [offering.pk])[offering.pk]
    m = metrics.PRIOR_STRENGTH
    features = set(offering.design_features or [])
    return Scorecard(
        offering_id=offering.pk,
        vetting=VettingSummary(
            score=review.score,
            vetted=review.essentials_met,
            unmet_essentials=list(review.unmet_essentials),
            completed_at=review.completed_at,
            reviewer_role=review.reviewer_role,
        )
        if review
        else None,
        evidence_tier=offering.evidence_tier,
        evidence_tier_label=EvidenceTier(offering.evidence_tier).label
        if offering.evidence_tier in EvidenceTier.values
        else offering.evidence_tier,
        evidence_citation=offering.evidence_citation,
        design_features=[(f.value, f.label) for f in DesignFeature if f.value in features],
        rating_shrunk=metrics.shrunk_mean(total, n, prior_mean=rating_prior, prior_strength=m)
        if n
        else None,
        rating_raw=metrics.raw_mean(total, n),
        rating_count=n,
        rating_prior=rating_prior,
        used_shrunk=metrics.shrunk_mean(yes, answered, prior_mean=used_prior, prior_strength=m)
        if answered
        else None,
        used_raw=metrics.rate(yes, answered),
        used_count=answered,
        used_prior=used_prior,
        completion_rate=metrics.rate(counts["completed"], counts["started"]),
        completed=counts["completed"],
        started=counts["started"],
        cost_per_hour=offering.cost_per_hour,
        growth=growth,
    )


# --- rubric, vetting, proposals, reviews ------------------------------------------------------


def rubric_items(district: Any, *, include_archived: bool = False) -> QuerySet[RubricItem]:
    items = RubricItem.objects.filter(district=district)
    if not include_archived:
        items = items.filter(archived_at__isnull=True)
    return items.order_by("position", "id")


def rubric_item(district: Any, public_id: Any) -> RubricItem:
    found = RubricItem.objects.filter(
        district=district, public_id=public_id_or_404(public_id, "rubric item")
    ).first()
    if found is None:
        raise Http404("No such rubric item.")
    return found


def offering_in(district: Any, public_id: Any) -> Offering:
    found = Offering.objects.filter(
        district=district, public_id=public_id_or_404(public_id, "offering")
    ).first()
    if found is None:
        raise Http404("No such offering.")
    return found


def vetting_history(district: Any, offering: Offering) -> QuerySet[VettingReview]:
    return VettingReview.objects.filter(district=district, offering=offering).select_related(
        "reviewer"
    )


def proposal_in(district: Any, public_id: Any) -> Proposal:
    found = (
        Proposal.objects.filter(
            district=district, public_id=public_id_or_404(public_id, "proposal")
        )
        .select_related("proposer", "offering", "decided_by")
        .first()
    )
    if found is None:
        raise Http404("No such proposal.")
    return found


def my_proposals(district: Any, user: Any) -> QuerySet[Proposal]:
    return Proposal.objects.filter(district=district, proposer=user).select_related("offering")


def open_proposals(district: Any) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(district=district, status__in=OPEN_PROPOSAL)
        .select_related("proposer")
        .order_by("submitted_at", "id")
    )


def unvetted_offerings(district: Any) -> QuerySet[Offering]:
    """Published offerings with no completed vetting review, oldest published first."""
    return (
        Offering.objects.filter(district=district, status=OfferingStatus.PUBLISHED)
        .exclude(vetting_reviews__isnull=False)
        .order_by(F("published_at").asc(nulls_first=True), "id")
    )


def visible_reviews(district: Any, offering: Offering) -> QuerySet[Review]:
    return Review.objects.filter(district=district, offering=offering, hidden=False).select_related(
        "author"
    )


def all_reviews(district: Any, offering: Offering) -> QuerySet[Review]:
    return Review.objects.filter(district=district, offering=offering).select_related(
        "author", "hidden_by"
    )


def review_in(district: Any, public_id: Any) -> Review:
    found = (
        Review.objects.filter(district=district, public_id=public_id_or_404(public_id, "review"))
        .select_related("author", "offering")
        .first()
    )
    if found is None:
        raise Http404("No such review.")
    return found


def my_review(district: Any, offering: Offering, user: Any) -> Review | None:
    return Review.objects.filter(district=district, offering=offering, author=user).first()


def has_completed(offering: Offering, user: Any) -> bool:
    return Enrollment.objects.filter(
        offering=offering, educator=user, status=EnrollmentStatus.COMPLETED
    ).exists()


def recent_reviews_for_moderation(district: Any) -> QuerySet[Review]:
    return (
        Review.objects.filter(district=district)
        .select_related("author", "offering")
        .order_by("-updated_at", "-id")
    )


def latest_vetting_for(offering_ids: list[int]) -> dict[int, tuple[float, bool]]:
    """offering pk → (score, essentials met) of the latest review; one query."""
    latest = VettingReview.objects.filter(offering_id=OuterRef("offering_id")).order_by(
        "-completed_at", "-id"
    )
    return {
        o: (s, m)
        for o, s, m in VettingReview.objects.filter(
            offering_id__in=offering_ids, pk=Subquery(latest.values("pk")[:1])
        ).values_list("offering_id", "score", "essentials_met")
    }
