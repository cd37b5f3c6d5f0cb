"""Competency frameworks: a tree of items with a proficiency scale, CASE identifiers kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from trellis.core.models import PublicModel


class Framework(PublicModel):
    """A framework owned by a district, or (district empty) a library framework shipped with Trellis.

    Library frameworks are read-only; a district adopts one by copying it, then edits its copy.
    """

    class Source(models.TextChoices):
        STARTER = "starter", "Trellis starter framework"
        LEARNING_FORWARD = "learning_forward", "Learning Forward standards (PD quality frame)"
        CASE_IMPORT = "case_import", "Imported from CASE"
        COPY = "copy", "Copy of another framework"
        AUTHORED = "authored", "Written in Trellis"

    class Purpose(models.TextChoices):
        EDUCATOR_PRACTICE = "educator_practice", "Educator practice"  # what educators grow in
        PD_QUALITY = "pd_quality", "Professional learning quality"  # judges PD offerings
        STUDENT_STANDARDS = "student_standards", "Student learning standards"  # e.g. imported CCSS

    district = models.ForeignKey(
        "districts.District",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="frameworks",
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    creator = models.CharField(max_length=200, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    version = models.CharField(max_length=50, blank=True)
    language = models.CharField(max_length=20, default="en")
    subject = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.AUTHORED)
    purpose = models.CharField(
        max_length=20, choices=Purpose.choices, default=Purpose.EDUCATOR_PRACTICE
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    is_adopted = models.BooleanField(
        default=False,
        help_text="The district's framework for self-assessment, goals and recommendations.",
    )
    case_identifier = models.CharField(max_length=100, blank=True, db_index=True)
    case_uri = models.URLField(max_length=500, blank=True)
    case_version = models.CharField(
        max_length=10, blank=True, help_text="CASE version of the import, 1.0 or 1.1"
    )
    case_last_change = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["district"],
                condition=Q(is_adopted=True),
                name="one_adopted_framework_per_district",
            ),
            models.UniqueConstraint(
                fields=["district", "case_identifier"],
                condition=~Q(case_identifier=""),
                name="case_framework_once_per_district",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_library(self) -> bool:
        return self.district_id is None


class ProficiencyLevel(models.Model):
    """One step of a framework's proficiency scale (default four levels)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    value = models.PositiveSmallIntegerField(help_text="1 is the lowest level")
    label = models.CharField(max_length=80)
    description = models.TextField(blank=True)
    is_target = models.BooleanField(
        default=False, help_text="The level an educator is expected to reach"
    )

    class Meta:
        ordering = ["framework", "value"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "value"], name="level_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.value}. {self.label}"


class FrameworkItem(PublicModel):
    """A node of the tree: domain → standard → competency → indicator."""

    class Kind(models.TextChoices):
        DOMAIN = "domain", "Domain"
        STANDARD = "standard", "Standard"
        COMPETENCY = "competency", "Competency"
        INDICATOR = "indicator", "Indicator"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COMPETENCY)
    human_code = models.CharField(
        max_length=60, blank=True, help_text="e.g. 2.3 or CCSS.Math.6.RP.A"
    )
    title = models.CharField(max_length=500, help_text="Short name, or the abbreviated statement")
    statement = models.TextField(blank=True, help_text="The full statement")
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0, help_text="Order among siblings")
    depth = models.PositiveSmallIntegerField(default=0)
    case_identifier = models.CharField(max_length=100, blank=True, db_index=True)
    case_uri = models.URLField(max_length=500, blank=True)
    case_item_type = models.CharField(max_length=100, blank=True)
    education_levels = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["framework", "depth", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "case_identifier"],
                condition=~Q(case_identifier=""),
                name="case_item_once_per_framework",
            ),
        ]
        indexes = [models.Index(fields=["framework", "kind"])]

    def __str__(self) -> str:
        return f"{self.human_code} {self.title}".strip()


class FrameworkAssociation(models.Model):
    """A CASE association kept as imported (isChildOf is also reflected in `parent`)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="associations")
    association_type = models.CharField(max_length=40)
    origin = models.ForeignKey(
        FrameworkItem, on_delete=models.CASCADE, related_name="associations_out"
    )
    destination = models.ForeignKey(
        FrameworkItem,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="associations_in",
    )
    destination_identifier = models.CharField(
        max_length=100, blank=True, help_text="When outside this framework"
    )
    destination_uri = models.CharField(max_length=500, blank=True)
    destination_title = models.CharField(max_length=300, blank=True)
    sequence_number = models.IntegerField(null=True, blank=True)
    case_identifier = models.CharField(max_length=100, blank=True)
    case_uri = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["framework", "sequence_number", "id"]

    def __str__(self) -> str:
        return f"{self.origin} {self.association_type} {self.destination or self.destination_identifier}"


class CaseUpload(PublicModel):
    """A CASE file uploaded for preview, kept until the admin confirms the import (or a day passes).

    Stored in the database rather than on local disk so that any app server can finish the import.
    """

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="case_uploads"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=255, blank=True)
    content = models.TextField(help_text="The uploaded CASE JSON, as text")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename or f"CASE upload {self.public_id}"
