"""The record of each erasure of an educator's personal data. It keeps no personal content: the
subject is named by their public id only (the account row itself is kept, deactivated when it
has no district left), with the counts of what went and the admin's reason."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from trellis.core.models import PublicModel


class ErasureRecord(PublicModel):
    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="erasures"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The educator whose data was erased (empty if the account is ever deleted)",
    )
    subject_public_id = models.CharField(max_length=36, help_text="Their public id, as text")
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty when an operator ran the command",
    )
    reason = models.CharField(max_length=500)
    counts = models.JSONField(default=dict, help_text="Kind of row → how many were erased")
    account_deactivated = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["district", "-created_at"])]

    def __str__(self) -> str:
        return f"erasure {self.public_id}"

    @property
    def total(self) -> int:
        return sum(self.counts.values())
