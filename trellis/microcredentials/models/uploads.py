"""Resumable uploads of evidence files: a session per file, received chunk by chunk into a
temporary file (under the media root's `uploads-partial/`, random name) until it is complete and
becomes an Artifact through the same checks as a one-shot upload."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from trellis.core.models import PublicModel
from trellis.microcredentials.models.definitions import RequirementPart
from trellis.microcredentials.models.submissions import Artifact, Submission


class UploadStatus(models.TextChoices):
    RECEIVING = "receiving", "Receiving"
    COMPLETE = "complete", "Complete"
    FAILED = "failed", "Failed"
    ABANDONED = "abandoned", "Abandoned"


class UploadSession(PublicModel):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="uploads")
    part = models.ForeignKey(RequirementPart, on_delete=models.CASCADE, related_name="+")
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(max_length=255, help_text="Cleaned for display; never a path")
    description = models.CharField(max_length=300, blank=True)
    size = models.PositiveBigIntegerField(help_text="Declared by the client, in bytes")
    received = models.PositiveBigIntegerField(default=0)
    temp_name = models.CharField(
        max_length=64, unique=True, help_text="Random file name under uploads-partial/"
    )
    status = models.CharField(
        max_length=20, choices=UploadStatus.choices, default=UploadStatus.RECEIVING
    )
    error = models.CharField(max_length=500, blank=True)
    expires_at = models.DateTimeField()
    artifact = models.ForeignKey(
        Artifact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["submission", "status"]),
            models.Index(fields=["expires_at"]),
        ]

    def __str__(self) -> str:
        return f"upload of {self.filename} ({self.received}/{self.size} bytes, {self.status})"
