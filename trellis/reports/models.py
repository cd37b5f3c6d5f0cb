"""Summary tables behind the district dashboards.

Each table is rebuilt per district by `summaries.refresh_district` from the source apps' tables
(set-based, idempotent); the dashboard reads only these. Dimensions are copied onto every row
(school, role = the educator's position, career stage) so a filter is a plain WHERE, never a
join back to the source tables. Months are stored as their first day.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from trellis.core.models import TimeStampedModel

NOT_RECORDED = ""  # role or stage unknown (no educator profile)


class Dimensions(models.Model):
    """The educator dimensions every summary row carries."""

    district = models.ForeignKey("districts.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        "districts.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(max_length=20, blank=True, help_text="growth.Position value")
    career_stage = models.CharField(max_length=20, blank=True, help_text="CareerStage value")

    class Meta:
        abstract = True


class ReportEducator(Dimensions):
    """One row per educator of the district (an active educator role): the people behind the
    headcounts, with their renewal standing and number of competency gaps at refresh time."""

    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    renewal_status = models.CharField(
        max_length=20, blank=True, help_text="credit Renewal.status, e.g. behind_pace"
    )
    renewal_deadline = models.DateField(null=True, blank=True)
    gap_count = models.PositiveSmallIntegerField(default=0)
    # Totals over every month of ReportParticipation, so the undated dashboard (the usual view)
    # counts participants without a DISTINCT over the monthly rows.
    learning_months = models.PositiveIntegerField(default=0)
    hours = models.DecimalField(max_digits=11, decimal_places=2, default=Decimal(0))
    completions = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["district", "school"]),
            models.Index(fields=["district", "renewal_status"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["district", "educator"], name="report_educator_once")
        ]

    def __str__(self) -> str:
        return f"ReportEducator {self.pk}"


class ReportParticipation(Dimensions):
    """One educator's learning in one month: credit hours earned (every source), enrolments
    requested and offerings completed. A row exists only when something happened."""

    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField()
    hours = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal(0))
    enrolments = models.PositiveIntegerField(default=0)
    completions = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["district", "month"]),
            models.Index(fields=["district", "school", "month"]),
        ]

    def __str__(self) -> str:
        return f"ReportParticipation {self.pk}"


class ReportPeopleRollup(Dimensions):
    """ReportEducator summed per dimension cell and renewal standing: what the undated
    dashboard's headcounts, participation tables and renewal table read (a few thousand rows
    for a state-sized district instead of one per educator)."""

    renewal_status = models.CharField(max_length=20, blank=True)
    educators = models.PositiveIntegerField(default=0)
    participants = models.PositiveIntegerField(default=0, help_text="Educators with learning")
    completions = models.PositiveIntegerField(default=0)
    hours = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))

    class Meta:
        indexes = [models.Index(fields=["district", "school"])]

    def __str__(self) -> str:
        return f"ReportPeopleRollup {self.pk}"


class ReportMonthRollup(Dimensions):
    """ReportParticipation summed per dimension cell and month. Each educator has at most one
    participation row a month, so `participants` (rows summed) counts people exactly."""

    month = models.DateField()
    participants = models.PositiveIntegerField(default=0)
    enrolments = models.PositiveIntegerField(default=0)
    completions = models.PositiveIntegerField(default=0)
    hours = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))

    class Meta:
        indexes = [models.Index(fields=["district", "month"])]

    def __str__(self) -> str:
        return f"ReportMonthRollup {self.pk}"


class ReportFunnel(Dimensions):
    """Micro-credential submissions per month: started (created), submitted (first time),
    earned, and assessed (first decision) with the days it took."""

    month = models.DateField()
    started = models.PositiveIntegerField(default=0)
    submitted = models.PositiveIntegerField(default=0)
    earned = models.PositiveIntegerField(default=0)
    assessed = models.PositiveIntegerField(default=0)
    assessment_days = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal(0), help_text="Sum over assessed"
    )
    assessed_within_target = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["district", "month"])]

    def __str__(self) -> str:
        return f"ReportFunnel {self.pk}"


class ReportSpending(Dimensions):
    """Paid seats of one offering in one month: enrolments that were approved (enrolled,
    completed or no-show) at the offering's per-participant cost, dated by the decision."""

    offering = models.ForeignKey("catalog.Offering", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    seats = models.PositiveIntegerField(default=0)
    completions = models.PositiveIntegerField(default=0)
    cost = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    hours = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal(0), help_text="Completed × offering hours"
    )

    class Meta:
        indexes = [models.Index(fields=["district", "month"])]

    def __str__(self) -> str:
        return f"ReportSpending {self.pk}"


class ReportNeed(Dimensions):
    """Educators whose latest self-assessment rates a competency below the framework's target
    level (a gap), out of those who rated it."""

    competency = models.ForeignKey(
        "frameworks.FrameworkItem", on_delete=models.CASCADE, related_name="+"
    )
    rated = models.PositiveIntegerField(default=0)
    with_gap = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["district", "competency"])]

    def __str__(self) -> str:
        return f"ReportNeed {self.pk}"


class ReportOffering(TimeStampedModel):
    """An offering's catalog and quality facts at refresh time (district-wide, not filtered)."""

    district = models.ForeignKey("districts.District", on_delete=models.CASCADE, related_name="+")
    offering = models.ForeignKey("catalog.Offering", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=20)
    cost = models.DecimalField(max_digits=9, decimal_places=2)
    hours = models.DecimalField(max_digits=6, decimal_places=2)
    vetting_score = models.FloatField(null=True, blank=True)
    vetted = models.BooleanField(
        null=True, help_text="Latest review met every essential; empty: never"
    )
    rating_mean = models.FloatField(null=True, blank=True)
    rating_count = models.PositiveIntegerField(default=0)
    used_rate = models.FloatField(null=True, blank=True, help_text="Follow-up: used it in class")
    growth_effect = models.FloatField(null=True, blank=True)
    growth_n = models.PositiveIntegerField(default=0)
    active_enrolments = models.PositiveIntegerField(default=0, help_text="Enrolled or pending now")
    completions = models.PositiveIntegerField(default=0)
    competency_ids = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["district", "offering"], name="report_offering_once")
        ]

    def __str__(self) -> str:
        return f"ReportOffering {self.pk}"


class ReportOfferingCompetency(models.Model):
    """Which competencies each offering addresses, copied at refresh time."""

    district = models.ForeignKey("districts.District", on_delete=models.CASCADE, related_name="+")
    offering = models.ForeignKey("catalog.Offering", on_delete=models.CASCADE, related_name="+")
    competency = models.ForeignKey(
        "frameworks.FrameworkItem", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["district", "competency"])]

    def __str__(self) -> str:
        return f"ReportOfferingCompetency {self.pk}"


class SummaryRefresh(TimeStampedModel):
    """The last refresh of one district's summary tables."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    district = models.OneToOneField(
        "districts.District", on_delete=models.CASCADE, related_name="summary_refresh"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    refreshed_at = models.DateTimeField(null=True, blank=True, help_text="Last successful refresh")
    started_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Summaries of {self.district_id}: {self.status}"
