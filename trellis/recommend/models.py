"""Recommendation settings a district tunes, the feedback and coach suggestions that steer each
educator's shortlist, and the stored snapshot of everyone's shortlist for the admin views."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from trellis.core.models import PublicModel, TimeStampedModel

MIN_LIST_SIZE = 3
MAX_LIST_SIZE = 6
MAX_RESERVED_SLOTS = 2
MAX_NOTE_LENGTH = 500


class RecommendationSettings(TimeStampedModel):
    """Per-district list sizes by career stage, reserved slots and weight overrides."""

    district = models.OneToOneField(
        "districts.District", on_delete=models.CASCADE, related_name="recommendation_settings"
    )
    novice_size = models.PositiveSmallIntegerField(default=3)
    developing_size = models.PositiveSmallIntegerField(default=4)
    experienced_size = models.PositiveSmallIntegerField(default=4)
    veteran_size = models.PositiveSmallIntegerField(default=5)
    reserved_slots = models.PositiveSmallIntegerField(
        default=0, help_text="Slots kept for the district's priority offerings"
    )
    weight_overrides = models.JSONField(
        default=dict, blank=True, help_text="Weight name → value; the rest keep their defaults"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name_plural = "recommendation settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(novice_size__gte=MIN_LIST_SIZE, novice_size__lte=MAX_LIST_SIZE)
                & Q(developing_size__gte=MIN_LIST_SIZE, developing_size__lte=MAX_LIST_SIZE)
                & Q(experienced_size__gte=MIN_LIST_SIZE, experienced_size__lte=MAX_LIST_SIZE)
                & Q(veteran_size__gte=MIN_LIST_SIZE, veteran_size__lte=MAX_LIST_SIZE),
                name="recommend_list_sizes_in_bounds",
            ),
            models.CheckConstraint(
                condition=Q(reserved_slots__lte=MAX_RESERVED_SLOTS),
                name="recommend_reserved_slots_in_bounds",
            ),
        ]

    def __str__(self) -> str:
        return f"Recommendation settings of {self.district}"

    def size_for(self, stage: str) -> int:
        return {
            "novice": self.novice_size,
            "developing": self.developing_size,
            "experienced": self.experienced_size,
            "veteran": self.veteran_size,
        }.get(stage, self.developing_size)


class PriorityCompetency(PublicModel):
    """A competency in the district's priorities (school empty) or in one school's plan."""

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="priority_competencies"
    )
    school = models.ForeignKey(
        "districts.School",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="priority_competencies",
    )
    item = models.ForeignKey("frameworks.FrameworkItem", on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["school__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "item"],
                condition=Q(school__isnull=True),
                name="district_priority_once",
            ),
            models.UniqueConstraint(
                fields=["district", "school", "item"],
                condition=Q(school__isnull=False),
                name="school_priority_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} ({self.school or 'district'})"


class PriorityOffering(PublicModel):
    """An offering the district requires or prioritises: it competes for the reserved slots."""

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="priority_offerings"
    )
    offering = models.ForeignKey("catalog.Offering", on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["offering__title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["district", "offering"], name="priority_offering_once")
        ]

    def __str__(self) -> str:
        return f"Priority: {self.offering}"


class FeedbackAction(models.TextChoices):
    NOT_FOR_ME = "not_for_me", "Not for me"
    SAVE = "save", "Saved"


class RecommendationFeedback(TimeStampedModel):
    """The educator's latest word on one offering; "clear" deletes the row."""

    district = models.ForeignKey("districts.District", on_delete=models.CASCADE, related_name="+")
    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recommendation_feedback"
    )
    offering = models.ForeignKey("catalog.Offering", on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=20, choices=FeedbackAction.choices)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "educator", "offering"], name="recommendation_feedback_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.educator}: {self.get_action_display()} {self.offering}"


class CoachSuggestion(PublicModel):
    """A coach's suggestion of an offering to an educator on their caseload, with a note."""

    district = models.ForeignKey("districts.District", on_delete=models.CASCADE, related_name="+")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_suggestions"
    )
    offering = models.ForeignKey("catalog.Offering", on_delete=models.CASCADE, related_name="+")
    note = models.CharField(max_length=MAX_NOTE_LENGTH, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "coach", "educator", "offering"], name="coach_suggestion_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.coach} suggests {self.offering} to {self.educator}"


class RecommendationSnapshot(models.Model):
    """One pick of one educator's shortlist as the background task last computed it."""

    district = models.ForeignKey("districts.District", on_delete=models.CASCADE, related_name="+")
    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    offering = models.ForeignKey(
        "catalog.Offering", on_delete=models.CASCADE, related_name="recommendation_rows"
    )
    school = models.ForeignKey(
        "districts.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stage = models.CharField(max_length=20)
    rank = models.PositiveSmallIntegerField()
    slot = models.CharField(max_length=20)
    score = models.FloatField()
    mode = models.CharField(max_length=20)
    reasons = models.JSONField(default=list)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["educator_id", "rank"]
        indexes = [
            models.Index(fields=["district", "offering"]),
            models.Index(fields=["district", "educator"]),
        ]

    def __str__(self) -> str:
        return f"#{self.rank} {self.offering_id} for {self.educator_id}"
