"""Micro-credential definitions: a stable identity with numbered versions. A published version is
frozen; edits make a new draft version; submissions keep the version they started on."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from trellis.core.models import PublicModel


class MicroCredential(PublicModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft (never published)"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="micro_credentials"
    )
    slug = models.SlugField(max_length=80, help_text="Stable name within the district")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.UniqueConstraint(fields=["district", "slug"], name="micro_credential_slug")
        ]

    def __str__(self) -> str:
        return self.slug


class DefinitionVersion(PublicModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"  # frozen
        SUPERSEDED = "superseded", "Superseded by a newer version"

    micro_credential = models.ForeignKey(
        MicroCredential, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    title = models.CharField(max_length=200)
    issuer_name = models.CharField(max_length=200, help_text="The issuing organisation")
    issuer_url = models.URLField(max_length=500, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    key_method = models.TextField(help_text="The practice the educator demonstrates")
    method_components = models.JSONField(
        default=list, blank=True, help_text="Ordered list of short component descriptions"
    )
    research = models.TextField(blank=True, help_text="Supporting research, with citations")
    resources = models.JSONField(
        default=list, blank=True, help_text='[{"title": "...", "url": "..."}]'
    )
    competencies = models.ManyToManyField(
        "frameworks.FrameworkItem", blank=True, related_name="micro_credential_versions"
    )
    credit_amount = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal(0))
    credit_unit = models.CharField(max_length=20, default="clock_hour")
    estimated_hours = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal(10))
    prerequisites = models.ManyToManyField(MicroCredential, blank=True, related_name="required_by")
    image = models.FileField(upload_to="microcredentials/images/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["micro_credential", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["micro_credential", "number"], name="definition_version_number"
            ),
            models.UniqueConstraint(
                fields=["micro_credential"],
                condition=Q(status="draft"),
                name="definition_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.DRAFT


class RequirementPart(PublicModel):
    """One ordered part of what an educator submits."""

    class Kind(models.TextChoices):
        OVERVIEW = "overview", "Overview question"
        ARTIFACT = "artifact", "Artifact"
        REFLECTION = "reflection", "Reflection"

    version = models.ForeignKey(DefinitionVersion, on_delete=models.CASCADE, related_name="parts")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    prompt = models.TextField()
    required = models.BooleanField(default=True)
    accepted_types = models.JSONField(
        default=list,
        blank=True,
        help_text="Artifact kinds accepted: document, image, video, audio, link",
    )
    max_files = models.PositiveSmallIntegerField(default=3)
    max_words = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="requirement_position")
        ]


class RubricCriterion(PublicModel):
    """A criterion scored for one part. `levels` is ordered lowest first; the level whose key is
    `proficient` (and any above it) meets the criterion."""

    part = models.ForeignKey(RequirementPart, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    levels = models.JSONField(help_text='[{"key": "not_yet", "label": ..., "descriptor": ...}, …]')

    class Meta:
        ordering = ["part", "position"]
        constraints = [
            models.UniqueConstraint(fields=["part", "position"], name="criterion_position")
        ]


class Stack(PublicModel):
    """Micro-credentials that together earn a capstone: `required_count` of the members."""

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="micro_credential_stacks"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    capstone_title = models.CharField(max_length=200)
    members = models.ManyToManyField(MicroCredential, related_name="stacks")
    required_count = models.PositiveSmallIntegerField()
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title"]
