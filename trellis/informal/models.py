"""Informal learning: what an educator learned outside Trellis (a video, a podcast, a colleague's
classroom), the district's rules for counting it toward credit, and xAPI statements received from
outside learning tools with the integration credentials that sent them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from trellis.core.models import PublicModel, TimeStampedModel


class EntryFormat(models.TextChoices):
    VIDEO = "video", "Video"
    PODCAST = "podcast", "Podcast"
    ARTICLE = "article", "Article"
    SOCIAL = "social", "Social media chat"
    BOOK = "book", "Book"
    COLLEAGUE_VISIT = "colleague_visit", "Colleague visit"
    EDCAMP = "edcamp", "Edcamp"
    COURSE = "course", "Online course"
    OTHER = "other", "Other"


class EntrySource(models.TextChoices):
    MANUAL = "manual", "Logged by hand"
    BOOKMARKLET = "bookmarklet", "Logged with the bookmarklet"
    XAPI = "xapi", "Sent by a learning tool (xAPI)"


class InformalRules(TimeStampedModel):
    """Whether, and how much, informal learning counts toward an educator's credit."""

    district = models.OneToOneField(
        "districts.District", on_delete=models.CASCADE, related_name="informal_rules"
    )
    counts_toward_credit = models.BooleanField(default=False)
    yearly_cap_hours = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Most hours of informal learning counted per school year; empty: no cap",
    )
    entry_cap_hours = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Most hours counted for one entry; empty: no cap",
    )
    requires_reflection = models.BooleanField(default=True)
    counted_formats = models.JSONField(default=list, blank=True, help_text="EntryFormat values")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class XapiIntegration(PublicModel):
    """HTTP Basic credentials one outside learning tool uses to send xAPI statements."""

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="xapi_integrations"
    )
    name = models.CharField(max_length=120)
    username = models.CharField(max_length=40, unique=True)
    secret_hash = models.CharField(max_length=256)
    is_active = models.BooleanField(default=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class XapiStatement(PublicModel):
    """One statement as received (`received`) plus the stored form with `stored` and
    `authority` set (`statement`), and the columns the GET filters use."""

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="xapi_statements"
    )
    integration = models.ForeignKey(
        XapiIntegration, on_delete=models.PROTECT, related_name="statements"
    )
    statement_id = models.UUIDField()
    received = models.JSONField()
    statement = models.JSONField()
    actor_ifi = models.CharField(max_length=600, blank=True, help_text="e.g. mbox:mailto:a@b.c")
    verb_id = models.CharField(max_length=500)
    activity_id = models.CharField(max_length=2000, blank=True)
    registration = models.UUIDField(null=True, blank=True)
    related = models.TextField(
        blank=True, help_text="Every agent and activity in the statement, one per line"
    )
    stored_at = models.DateTimeField()
    voids_statement_id = models.UUIDField(null=True, blank=True)
    voided = models.BooleanField(default=False)
    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-stored_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "statement_id"], name="xapi_statement_once_per_district"
            )
        ]
        indexes = [models.Index(fields=["district", "stored_at"])]


class InformalEntry(PublicModel):
    """One piece of informal learning in an educator's log."""

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="informal_entries"
    )
    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="informal_entries"
    )
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=1000, blank=True)
    minutes = models.PositiveIntegerField()
    format = models.CharField(max_length=20, choices=EntryFormat.choices)
    competency = models.ForeignKey(
        "frameworks.FrameworkItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="informal_entries",
    )
    reflection = models.TextField(blank=True)
    learned_on = models.DateField()
    source = models.CharField(max_length=20, choices=EntrySource.choices, default="manual")
    statement = models.OneToOneField(
        XapiStatement,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entry",
    )
    counted_hours = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Hours credited through the credit ledger; empty: not counted",
    )
    credit_note = models.CharField(max_length=300, blank=True)
    attached_as_evidence = models.BooleanField(
        default=False, help_text="Attached to a micro-credential submission (assessors may view)"
    )

    class Meta:
        ordering = ["-learned_on", "-id"]
        indexes = [models.Index(fields=["district", "educator", "learned_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=1440), name="informal_minutes_range"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / Decimal(60)).quantize(Decimal("0.01"))

    @property
    def is_counted(self) -> bool:
        return self.counted_hours is not None and self.counted_hours > 0
