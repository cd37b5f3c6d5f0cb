"""Assessment: who may assess which competencies, assignments of submissions to assessors,
scores per rubric criterion, and the district's assessment settings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from trellis.core.models import PublicModel, TimeStampedModel
from trellis.microcredentials.models.definitions import RubricCriterion
from trellis.microcredentials.models.submissions import Submission


class AssessmentSettings(TimeStampedModel):
    district = models.OneToOneField(
        "districts.District", on_delete=models.CASCADE, related_name="assessment_settings"
    )
    turnaround_days = models.PositiveSmallIntegerField(default=14)
    max_attempts = models.PositiveSmallIntegerField(
        default=3, help_text="Submissions allowed per micro-credential (first + resubmissions)"
    )
    coaching_after_attempts = models.PositiveSmallIntegerField(
        default=2, help_text="Offer coaching after this many “not yet” outcomes"
    )
    double_score_percent = models.PositiveSmallIntegerField(
        default=10, help_text="Share of submissions scored by two assessors (calibration)"
    )
    blind_assessment = models.BooleanField(
        default=False, help_text="Assessors do not see the educator's name"
    )
    exclude_same_school = models.BooleanField(default=True)
    exclude_own_coach = models.BooleanField(default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class AssessorQualification(PublicModel):
    """An assessor may assess submissions aligned to `competency` (empty: any competency)."""

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="assessor_qualifications"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessor_qualifications"
    )
    competency = models.ForeignKey(
        "frameworks.FrameworkItem",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assessor_qualifications",
    )
    note = models.CharField(max_length=300, blank=True, help_text="Training, certification")
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["district", "assessor", "competency"], name="assessor_qualification_once"
            )
        ]


class Assignment(PublicModel):
    class Role(models.TextChoices):
        PRIMARY = "primary", "Assessor"
        SECOND = "second", "Second scorer (calibration)"
        THIRD = "third", "Third scorer (disagreement)"
        APPEAL = "appeal", "Appeal reviewer"
        CALIBRATION = "calibration", "Calibration exercise"

    class Status(models.TextChoices):
        ASSIGNED = "assigned", "Assigned"
        COMPLETED = "completed", "Scored"
        REASSIGNED = "reassigned", "Reassigned"

    class Outcome(models.TextChoices):
        EARNED = "earned", "Earned"
        NOT_YET = "not_yet", "Not yet"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="assignments")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mc_assignments"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PRIMARY)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ASSIGNED)
    attempt = models.PositiveSmallIntegerField(default=1)
    assigned_at = models.DateTimeField()
    due_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    feedback = models.TextField(blank=True, help_text="Overall feedback to the educator")

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["assessor", "status", "due_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "assessor", "attempt"],
                condition=~Q(status="reassigned"),
                name="assignment_once_per_attempt",
            )
        ]


class CriterionScore(TimeStampedModel):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.PROTECT, related_name="scores")
    level = models.CharField(max_length=40, help_text="A key of the criterion's levels")
    meets = models.BooleanField(help_text="At or above proficient")
    feedback = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="score_per_criterion")
        ]


class EarnedMicroCredential(PublicModel):
    """An educator earned a micro-credential (one per educator per micro-credential)."""

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="earned_micro_credentials"
    )
    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="earned_micro_credentials"
    )
    micro_credential = models.ForeignKey(
        "microcredentials.MicroCredential",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="earned",
        help_text="Empty for a stack's capstone",
    )
    version = models.ForeignKey(
        "microcredentials.DefinitionVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="earned",
    )
    submission = models.OneToOneField(
        Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="earned"
    )
    stack = models.ForeignKey(
        "microcredentials.Stack",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="capstones",
        help_text="Set for a stack's capstone",
    )
    earned_at = models.DateTimeField()

    class Meta:
        ordering = ["-earned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["educator", "micro_credential"],
                condition=Q(stack__isnull=True),
                name="earned_once",
            ),
            models.CheckConstraint(
                condition=Q(stack__isnull=True, micro_credential__isnull=False)
                | Q(stack__isnull=False, micro_credential__isnull=True),
                name="earned_credential_or_capstone",
            ),
            models.UniqueConstraint(
                fields=["educator", "stack"],
                condition=Q(stack__isnull=False),
                name="capstone_once",
            ),
        ]
