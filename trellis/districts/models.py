"""Tenancy: agencies, districts (the tenant), schools, memberships with roles, invitations."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from trellis.core.models import PublicModel


class Agency(PublicModel):
    """A body above districts that may host several of them: a state agency, a consortium, a vendor."""

    class Kind(models.TextChoices):
        STATE = "state", "State education agency"
        CONSORTIUM = "consortium", "Consortium or service centre"
        VENDOR = "vendor", "Hosting provider"

    name = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    state_code = models.CharField(max_length=2, blank=True, help_text="Two-letter state, e.g. TX")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class District(PublicModel):
    """The tenant. Nothing of one district is ever visible from another."""

    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="districts"
    )
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=60, unique=True)
    state_code = models.CharField(
        max_length=2, help_text="Two-letter state whose renewal rules apply, e.g. TX"
    )
    timezone = models.CharField(max_length=40, default="America/Chicago")
    source_id = models.CharField(
        max_length=128, blank=True, help_text="Identifier in the roster source"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class School(PublicModel):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="schools")
    name = models.CharField(max_length=150)
    grade_span = models.CharField(max_length=20, blank=True, help_text="e.g. K-5, 6-8, 9-12")
    source_id = models.CharField(
        max_length=128, blank=True, help_text="Identifier in the roster source"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"], name="school_name_unique_in_district"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    EDUCATOR = (
        "educator",
        "Educator",
    )  # teachers, counselors, paraprofessionals, leaders as learners
    COACH = "coach", "Coach or mentor"  # supports a caseload of educators
    ASSESSOR = "assessor", "Assessor"  # scores micro-credential submissions
    APPROVER = "approver", "Principal / approver"  # approves requests that cost money or class time
    DISTRICT_ADMIN = "district_admin", "District PD leader"  # runs PD for the district


class Membership(PublicModel):
    """One role of one person in one district. Several roles mean several rows."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    school = models.ForeignKey(
        School,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
        help_text="The school where this role is held (an educator's school, a principal's school). "
        "Empty means district-wide.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["district__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "district", "role"], name="membership_unique_role"
            ),
        ]
        indexes = [models.Index(fields=["district", "role", "is_active"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.district}"


def default_invitation_expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=14)


class Invitation(PublicModel):
    """An invitation to join a district with given roles; accepted through a one-time link."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"  # sent, not yet used
        ACCEPTED = "accepted", "Accepted"  # the person joined
        REVOKED = "revoked", "Revoked"  # withdrawn by an admin

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    full_name = models.CharField(max_length=150, blank=True)
    roles = models.JSONField(default=list, help_text="Role values granted on acceptance")
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_digest = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(default=default_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["district", "status"])]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.district}"

    @property
    def is_usable(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at > timezone.now()

    def role_labels(self) -> list[str]:
        return [Role(value).label for value in self.roles if value in Role.values]
