"""Credit as Trellis keeps it: each educator's licence and renewal cycle, the ledger of credit
earned (one row per achievement, whatever earned it), and the district's salary lanes.

The rules that turn the ledger into renewal progress are plain data in `trellis.credit.rules`.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from trellis.core.models import PublicModel, TimeStampedModel


class CreditSettings(TimeStampedModel):
    """Which state rules a district follows, and what a renewal cycle defaults to."""

    district = models.OneToOneField(
        "districts.District", on_delete=models.CASCADE, related_name="credit_settings"
    )
    jurisdiction = models.CharField(
        max_length=2, blank=True, help_text="State whose renewal rules apply (TX, NY, TN)"
    )
    default_cycle_start = models.DateField(
        null=True, blank=True, help_text="Cycle start for educators with no licence on record"
    )
    hours_per_salary_credit = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal(15),
        help_text="Clock hours of completed learning worth one salary-lane credit",
    )
    imported_credential_hours = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Clock hours one verified imported credential counts for; empty: none count",
    )
    imported_credential_cap_hours = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="At most this many hours from imported credentials per school year; empty: no cap",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class License(PublicModel):
    """An educator's certificate in one district's records: which rule set applies and when
    the current renewal cycle runs."""

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="licenses"
    )
    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="licenses"
    )
    rule_set_key = models.CharField(max_length=60, help_text="e.g. TX/classroom_teacher")
    number = models.CharField(max_length=60, blank=True, help_text="Certificate number")
    cycle_start = models.DateField()
    cycle_end = models.DateField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["district", "educator"], name="license_per_educator"),
            models.CheckConstraint(
                condition=Q(cycle_end__gte=models.F("cycle_start")), name="license_cycle_order"
            ),
        ]


class CreditSource(models.TextChoices):
    OFFERING = "offering", "Completed offering"
    MICRO_CREDENTIAL = "micro_credential", "Earned micro-credential"
    INFORMAL = "informal", "Informal learning"
    IMPORTED = "imported", "Imported verified credential"
    EXTERNAL = "external", "Recorded by the district"


class CreditAward(PublicModel):
    """One achievement's credit: the ledger renewal progress, transcripts and salary lanes
    read. `(educator, source, source_ref)` is unique so an achievement is credited once."""

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="credit_awards"
    )
    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="credit_awards"
    )
    source = models.CharField(max_length=20, choices=CreditSource.choices)
    source_ref = models.CharField(max_length=64, help_text="Public id of what earned it")
    title = models.CharField(max_length=300)
    provider = models.CharField(max_length=200, blank=True)
    provider_approved = models.BooleanField(null=True, help_text="Empty: not known")
    completed_on = models.DateField()
    amount = models.DecimalField(max_digits=7, decimal_places=2)
    unit = models.CharField(max_length=20, help_text="credit.rules.Unit value")
    category = models.CharField(max_length=20, help_text="credit.rules.Category value")
    topics = models.JSONField(default=list, blank=True)
    related_to_certificate = models.BooleanField(default=True)
    hours = models.DecimalField(
        max_digits=7, decimal_places=2, default=Decimal(0), help_text="Clock hours of learning"
    )
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-completed_on", "-id"]
        indexes = [models.Index(fields=["district", "educator", "completed_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["educator", "source", "source_ref"], name="credit_award_once"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="credit_award_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title}: {self.amount} {self.unit}"


class SalaryLane(PublicModel):
    """A step of a district's salary schedule reachable by professional learning, e.g.
    “Master's equivalent: 30 micro-credentials, or 45 salary-lane credits”."""

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="salary_lanes"
    )
    name = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(help_text="Order on the schedule, lowest first")
    credits_required = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True, help_text="Salary-lane credits"
    )
    micro_credentials_required = models.PositiveSmallIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["district", "position"]
        constraints = [
            models.UniqueConstraint(fields=["district", "position"], name="salary_lane_position"),
            models.CheckConstraint(
                condition=Q(credits_required__isnull=False)
                | Q(micro_credentials_required__isnull=False),
                name="salary_lane_has_requirement",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ImportedCreditDecline(TimeStampedModel):
    """A credit manager's decision not to count a verified imported credential toward credit,
    with the reason the educator is told. It takes the import out of the review queue; kept
    here (not on the import) because credit decides what counts, credentials only store."""

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="imported_credit_declines"
    )
    badge = models.OneToOneField(
        "credentials.ImportedBadge", on_delete=models.CASCADE, related_name="credit_decline"
    )
    reason = models.TextField()
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Declined: {self.reason[:60]}"
