"""Quality: the district's vetting rubric, vetting reviews of offerings, educators' proposals and
their ratings of what they completed."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from trellis.core.models import PublicModel

MAX_ITEM_POINTS = 3


class RubricItem(PublicModel):
    """One row of the district's vetting rubric. Archived (not deleted) once a review used it."""

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="rubric_items"
    )
    text = models.CharField(max_length=300)
    help = models.TextField(blank=True, help_text="What a reviewer looks for")
    essential = models.BooleanField(
        default=False, help_text="An offering cannot be vetted unless this item is met"
    )
    max_points = models.PositiveSmallIntegerField(default=MAX_ITEM_POINTS)
    position = models.PositiveSmallIntegerField(default=0)
    key = models.SlugField(max_length=60, blank=True, help_text="Stable name of a default row")
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["district", "archived_at", "position"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_points__gte=1) & Q(max_points__lte=MAX_ITEM_POINTS),
                name="rubric_item_max_points_range",
            )
        ]

    def __str__(self) -> str:
        return self.text


class VettingReview(PublicModel):
    """A reviewer's scoring of one offering against the rubric: a dated, read-only result."""

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="vetting_reviews"
    )
    offering = models.ForeignKey(
        "catalog.Offering", on_delete=models.CASCADE, related_name="vetting_reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer_role = models.CharField(max_length=40, help_text="The reviewer's role when scoring")
    score = models.FloatField(help_text="Points earned over points possible, 0 to 1")
    essentials_met = models.BooleanField()
    unmet_essentials = models.JSONField(default=list, blank=True, help_text="Texts of unmet rows")
    comment = models.TextField(blank=True)
    completed_at = models.DateTimeField()

    class Meta:
        ordering = ["-completed_at", "-id"]
        indexes = [models.Index(fields=["offering", "-completed_at", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="vetting_score_range"
            )
        ]

    @property
    def vetted(self) -> bool:
        return self.essentials_met


class VettingScore(models.Model):
    review = models.ForeignKey(VettingReview, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(RubricItem, on_delete=models.PROTECT, related_name="scores")
    points = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["item__position", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "item"], name="vetting_score_once_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.points}"


class ProposalKind(models.TextChoices):
    FOUND_ONLINE = "found_online", "I found this online"
    FACILITATE = "facilitate", "I'll facilitate"


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "In review"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_PROPOSAL = (ProposalStatus.SUBMITTED, ProposalStatus.IN_REVIEW)


class Proposal(PublicModel):
    """An educator's suggestion for the catalog: something found online, or something they will
    facilitate themselves."""

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="proposals"
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposals"
    )
    kind = models.CharField(max_length=20, choices=ProposalKind.choices)
    status = models.CharField(
        max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    title = models.CharField(max_length=200)
    description = models.TextField()
    link = models.URLField(max_length=500, blank=True)
    provider = models.CharField(max_length=200, blank=True)
    format = models.CharField(max_length=20, help_text="growth.LearningFormat value")
    hours = models.DecimalField(
        max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.25"))]
    )
    cost = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal(0))
    competencies = models.ManyToManyField(
        "frameworks.FrameworkItem", blank=True, related_name="proposals"
    )
    sessions_count = models.PositiveSmallIntegerField(null=True, blank=True)
    audience = models.CharField(max_length=300, blank=True)
    submitted_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    offering = models.ForeignKey(
        "catalog.Offering",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
        help_text="The offering created when the proposal was accepted",
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["district", "status", "submitted_at"]),
            models.Index(fields=["proposer", "-submitted_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="proposal_hours_positive"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="proposal_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_PROPOSAL


class Review(PublicModel):
    """A completer's rating of an offering: one per person, editable, moderated by admins."""

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="offering_reviews"
    )
    offering = models.ForeignKey(
        "catalog.Offering", on_delete=models.CASCADE, related_name="reviews"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offering_reviews"
    )
    stars = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True)
    hidden = models.BooleanField(default=False)
    hidden_reason = models.TextField(blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["offering", "hidden"])]
        constraints = [
            models.UniqueConstraint(fields=["offering", "author"], name="review_once_per_person"),
            models.CheckConstraint(
                condition=Q(stars__gte=1) & Q(stars__lte=5), name="review_stars_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stars}★ for {self.offering_id} by {self.author_id}"
