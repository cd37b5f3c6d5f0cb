"""Enrolment: requests, approval chains and their steps, attendance, the feedback survey."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from trellis.catalog.models.offerings import Offering, OfferingSession
from trellis.core.models import PublicModel, TimeStampedModel


class EnrollmentStatus(models.TextChoices):
    PENDING_APPROVAL = "pending", "Waiting for approval"
    WAITLISTED = "waitlisted", "On the waitlist"
    ENROLLED = "enrolled", "Enrolled"
    COMPLETED = "completed", "Completed"
    DENIED = "denied", "Not approved"
    WITHDRAWN = "withdrawn", "Withdrawn"
    NO_SHOW = "no_show", "Did not attend"


# Statuses that hold a seat: a pending request keeps its seat so an approval never lands on a
# full offering.
SEAT_HOLDING = (
    EnrollmentStatus.PENDING_APPROVAL,
    EnrollmentStatus.ENROLLED,
    EnrollmentStatus.COMPLETED,
)
# Statuses of a live enrolment: one per educator per offering.
ACTIVE = (*SEAT_HOLDING, EnrollmentStatus.WAITLISTED)


class Enrollment(PublicModel):
    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="enrollments"
    )
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="enrollments")
    session = models.ForeignKey(
        OfferingSession,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrollments",
        help_text="The chosen session when the offering registers per session",
    )
    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    school = models.ForeignKey(
        "districts.School",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The educator's school when they asked; decides the principal who approves",
    )
    status = models.CharField(max_length=20, choices=EnrollmentStatus.choices)
    note = models.TextField(blank=True, help_text="Why the educator wants it, for approvers")
    requested_at = models.DateTimeField()
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    reflection = models.TextField(blank=True, help_text="Completion reflection or artifact note")
    credit_awarded = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["offering", "status"]),
            models.Index(fields=["educator", "status"]),
            models.Index(fields=["district", "status"]),
            models.Index(fields=["offering", "status", "waitlisted_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "educator"],
                condition=Q(status__in=[s.value for s in ACTIVE]),
                name="enrollment_one_active_per_offering",
            )
        ]

    def __str__(self) -> str:
        return f"{self.educator} — {self.offering} ({self.get_status_display()})"

    @property
    def holds_seat(self) -> bool:
        return self.status in SEAT_HOLDING


class ApproverKind(models.TextChoices):
    PRINCIPAL = "principal", "The educator's principal"
    PD_OFFICE = "pd_office", "The district PD office"


class ApprovalCondition(models.TextChoices):
    ALWAYS = "always", "Every request"
    COSTS_MONEY = "cost", "When the offering costs money"
    SCHOOL_HOURS = "school_hours", "When it takes time away from class"
    COST_OR_SCHOOL_HOURS = "cost_or_school_hours", "When it costs money or takes class time"


class ApprovalRule(PublicModel):
    """One link of a district's approval chain; rules apply in `position` order, and a request
    that no rule applies to is approved automatically."""

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="approval_rules"
    )
    position = models.PositiveSmallIntegerField()
    approver = models.CharField(max_length=20, choices=ApproverKind.choices)
    condition = models.CharField(max_length=30, choices=ApprovalCondition.choices)
    days_to_decide = models.PositiveSmallIntegerField(
        default=5, help_text="The inbox shows a request as overdue after this many days"
    )

    class Meta:
        ordering = ["district", "position"]
        constraints = [
            models.UniqueConstraint(fields=["district", "position"], name="approval_rule_position")
        ]

    def __str__(self) -> str:
        return f"{self.get_approver_display()} — {self.get_condition_display()}"


class ApprovalStep(PublicModel):
    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for an earlier step"
        PENDING = "pending", "Awaiting decision"
        APPROVED = "approved", "Approved"
        DENIED = "denied", "Denied"
        CANCELLED = "cancelled", "Cancelled"  # the request was withdrawn or denied earlier

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="approval_steps"
    )
    position = models.PositiveSmallIntegerField()
    approver = models.CharField(max_length=20, choices=ApproverKind.choices)
    school = models.ForeignKey(
        "districts.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason_required = models.CharField(
        max_length=30, choices=ApprovalCondition.choices, help_text="Why this step applies"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    due_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["enrollment", "position"]
        indexes = [models.Index(fields=["status", "approver", "school"])]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "position"], name="approval_step_position"
            )
        ]


class AttendanceRecord(TimeStampedModel):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        PARTIAL = "partial", "Part of the session"
        ABSENT = "absent", "Absent"

    class Method(models.TextChoices):
        ROSTER = "roster", "Facilitator's roster"
        SELF_CHECK_IN = "self_check_in", "Self check-in with the session code"

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="attendance")
    session = models.ForeignKey(
        OfferingSession, on_delete=models.PROTECT, related_name="attendance"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    hours = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal(0))
    method = models.CharField(max_length=20, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "session"], name="attendance_once_per_session"
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="attendance_hours_positive"),
        ]


class CompletionPolicy(TimeStampedModel):
    """What a district requires before an enrolment counts as completed and earns credit."""

    district = models.OneToOneField(
        "districts.District", on_delete=models.CASCADE, related_name="completion_policy"
    )
    min_attendance_percent = models.PositiveSmallIntegerField(default=80)
    require_survey = models.BooleanField(default=True)
    require_reflection = models.BooleanField(default=False)
    follow_up_weeks = models.PositiveSmallIntegerField(
        default=6, help_text="When to ask “did you use it?” after completion"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class SurveyPhase(models.TextChoices):
    AFTER = "after", "Right after the activity"
    FOLLOW_UP = "follow_up", "Follow-up, weeks later"


class SurveyQuestion(PublicModel):
    class Kind(models.TextChoices):
        SCALE = "scale", "Scale of 1 to 5"
        YES_NO = "yes_no", "Yes or no"
        TEXT = "text", "Written answer"

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="survey_questions"
    )
    key = models.SlugField(max_length=40, help_text="Stable name used by reports, e.g. relevance")
    phase = models.CharField(max_length=10, choices=SurveyPhase.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(max_length=300)
    required = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_standard = models.BooleanField(default=False, help_text="Shipped with Trellis")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["phase", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["district", "key"], name="survey_question_key")
        ]

    def __str__(self) -> str:
        return self.text


class SurveyResponse(PublicModel):
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="survey_responses"
    )
    phase = models.CharField(max_length=10, choices=SurveyPhase.choices)
    answers = models.JSONField(help_text="question key → answer")
    submitted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "phase"], name="survey_once_per_phase")
        ]
