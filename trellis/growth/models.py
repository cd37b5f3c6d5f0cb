"""What Trellis knows about an educator as a learner in one district."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from trellis.core.models import PublicModel
from trellis.growth.career import CareerStage, career_stage


class GradeBand(models.TextChoices):
    EARLY_CHILDHOOD = "pre_k", "Early childhood (Pre-K)"
    ELEMENTARY = "k_5", "Elementary (K–5)"
    MIDDLE = "6_8", "Middle (6–8)"
    HIGH = "9_12", "High (9–12)"


class Position(models.TextChoices):
    TEACHER = "teacher", "Teacher"
    COUNSELOR = "counselor", "Counselor"
    PARAPROFESSIONAL = "para", "Paraprofessional"
    SPECIALIST = "specialist", "Specialist or interventionist"
    LIBRARIAN = "librarian", "Librarian / media specialist"
    INSTRUCTIONAL_COACH = "coach", "Instructional coach"
    SCHOOL_LEADER = "leader", "School leader"
    DISTRICT_STAFF = "district", "District staff"


class EducatorProfile(PublicModel):
    """One per person per district. The educator edits it; roster imports fill what they can."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="educator_profiles"
    )
    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="educator_profiles"
    )
    position = models.CharField(max_length=20, choices=Position.choices, default=Position.TEACHER)
    years_experience = models.PositiveSmallIntegerField(default=0)
    subjects = models.JSONField(
        default=list, blank=True, help_text="Subjects taught, e.g. ['Mathematics']"
    )
    grade_bands = models.JSONField(default=list, blank=True, help_text="GradeBand values")
    source_id = models.CharField(
        max_length=128, blank=True, help_text="Identifier in the roster source"
    )

    class Meta:
        ordering = ["user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "district"], name="one_profile_per_district")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.district}"

    @property
    def career_stage(self) -> CareerStage:
        return career_stage(self.years_experience)

    def grade_band_labels(self) -> list[str]:
        return [GradeBand(value).label for value in self.grade_bands if value in GradeBand.values]
