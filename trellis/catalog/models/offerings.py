"""The catalog: offerings of every kind and the sessions where they meet."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from trellis.core.models import PublicModel


class OfferingKind(models.TextChoices):
    ONLINE_COURSE = "online_course", "Online course"
    WORKSHOP = "workshop", "In-person workshop"
    WORKSHOP_SERIES = "workshop_series", "Workshop series"
    PLC_CYCLE = "plc_cycle", "PLC cycle"
    COACHING_CYCLE = "coaching_cycle", "Coaching cycle"
    MICRO_CREDENTIAL = "micro_credential", "Micro-credential"
    SELF_PACED = "self_paced", "Self-paced video or module"
    BOOK_STUDY = "book_study", "Book study"
    CONFERENCE = "conference", "Conference"
    EXTERNAL = "external", "External or online offering"


class OfferingStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PROPOSED = "proposed", "Proposed"
    UNDER_REVIEW = "under_review", "Under review"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class EvidenceTier(models.TextChoices):
    """ESSA tiers of evidence (20 U.S.C. 7801(21)); NONE when no study backs the offering."""

    STRONG = "1", "Tier 1 — strong evidence"
    MODERATE = "2", "Tier 2 — moderate evidence"
    PROMISING = "3", "Tier 3 — promising evidence"
    RATIONALE = "4", "Tier 4 — demonstrates a rationale"
    NONE = "none", "No evidence tier"


class DesignFeature(models.TextChoices):
    """Features of professional learning that research links to changed practice
    (Darling-Hammond, Hyler & Gardner 2017; see research/pd-effectiveness.md)."""

    CONTENT_FOCUS = "content_focus", "Content focus"
    ACTIVE_LEARNING = "active_learning", "Active learning"
    COLLABORATION = "collaboration", "Collaboration"
    MODELLING = "modelling", "Models of effective practice"
    COACHING = "coaching", "Coaching and expert support"
    FEEDBACK_REFLECTION = "feedback_reflection", "Feedback and reflection"
    SUSTAINED = "sustained", "Sustained duration"
    JOB_EMBEDDED = "job_embedded", "Job-embedded"


class Registration(models.TextChoices):
    """What one enrolment covers, and so whose capacity it takes."""

    WHOLE_OFFERING = "whole", "One registration for every session"  # a series or a course
    ONE_SESSION = "session", "Choose one session"  # the same workshop on several dates


class Offering(PublicModel):
    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="offerings"
    )
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True, help_text="One sentence for the list")
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=OfferingKind.choices)
    format = models.CharField(max_length=20, help_text="growth.LearningFormat value")
    provider = models.CharField(max_length=200)
    provider_approved = models.BooleanField(
        default=False,
        help_text="The provider is approved by the state for renewal credit "
        "(e.g. a NYSED-approved CTLE sponsor).",
    )
    location = models.CharField(max_length=300, blank=True)
    link = models.URLField(max_length=500, blank=True)
    hours = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25"))],
        help_text="Expected time in hours, sessions and work between them",
    )
    cost = models.DecimalField(
        max_digits=9, decimal_places=2, default=Decimal(0), help_text="Per participant, in USD"
    )
    during_school_hours = models.BooleanField(
        default=False, help_text="Participants miss class time (a substitute may be needed)"
    )
    competencies = models.ManyToManyField(
        "frameworks.FrameworkItem", blank=True, related_name="offerings"
    )
    grade_bands = models.JSONField(default=list, blank=True, help_text="growth.GradeBand values")
    subjects = models.JSONField(default=list, blank=True)
    positions = models.JSONField(default=list, blank=True, help_text="growth.Position values")
    career_stages = models.JSONField(default=list, blank=True, help_text="CareerStage values")
    students_served = models.JSONField(
        default=list, blank=True, help_text="growth.StudentGroup values"
    )
    leadership = models.BooleanField(
        default=False,
        help_text="A leadership path (become an assessor, lead a PLC, present a session, "
        "mentor): recommendations offer it to experienced and veteran educators.",
    )
    evidence_tier = models.CharField(
        max_length=4, choices=EvidenceTier.choices, default=EvidenceTier.NONE
    )
    evidence_citation = models.TextField(blank=True)
    design_features = models.JSONField(default=list, blank=True, help_text="DesignFeature values")
    credit_amount = models.DecimalField(
        max_digits=6, decimal_places=2, default=Decimal(0), help_text="Credit on completion"
    )
    credit_unit = models.CharField(
        max_length=20, default="clock_hour", help_text="credit.rules.Unit value"
    )
    credit_category = models.CharField(
        max_length=20, default="workshop", help_text="credit.rules.Category value"
    )
    topics = models.JSONField(
        default=list, blank=True, help_text="Topic tags that renewal quotas count, e.g. ell"
    )
    registration = models.CharField(
        max_length=10, choices=Registration.choices, default=Registration.WHOLE_OFFERING
    )
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Seats for a whole-offering registration; empty: no limit"
    )
    waitlist_enabled = models.BooleanField(default=True)
    enrolment_opens = models.BooleanField(
        default=True, help_text="Educators may request to enrol (off: listed for information)"
    )
    requires_reflection = models.BooleanField(
        default=False, help_text="Completion needs a written reflection or artifact"
    )
    status = models.CharField(
        max_length=20, choices=OfferingStatus.choices, default=OfferingStatus.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_id = models.CharField(
        max_length=100, blank=True, help_text="Identifier in an imported catalog file"
    )

    class Meta:
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["district", "status", "title"]),
            models.Index(fields=["district", "source_id"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="offering_hours_positive"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="offering_cost_not_negative"),
            models.CheckConstraint(
                condition=Q(credit_amount__gte=0), name="offering_credit_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_free(self) -> bool:
        return self.cost == 0

    @property
    def cost_per_hour(self) -> Decimal:
        return (self.cost / self.hours).quantize(Decimal("0.01")) if self.hours else Decimal(0)


class OfferingSession(PublicModel):
    """A meeting of an offering: when, where, who facilitates, and (when registration is per
    session) how many seats."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=300, blank=True)
    link = models.URLField(max_length=500, blank=True)
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Seats when educators choose a session; empty: no limit"
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilitated_sessions",
    )
    check_in_code = models.CharField(
        max_length=12, blank=True, help_text="Shown on screen; participants type it to check in"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["offering", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.offering} — {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def hours(self) -> Decimal:
        seconds = Decimal((self.ends_at - self.starts_at).total_seconds())
        return (seconds / 3600).quantize(Decimal("0.01"))
