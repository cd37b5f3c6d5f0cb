"""A roster import: one uploaded file, checked (preview) and then applied, with its progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from trellis.core.models import PublicModel

MAX_STORED_ERRORS = 1000
PREVIEW_LIMIT = 100  # people listed per kind of change; the counts are always exact
COUNT_KEYS = (
    "created",
    "updated",
    "unchanged",
    "deactivated",
    "skipped",
    "invalid",
    "new_accounts",
    "reactivated",
    "schools_created",
    "schools_updated",
)


class RosterImport(PublicModel):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"  # waiting for a worker
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Finished"
        FAILED = "failed", "Failed"  # a file-level problem or an unexpected error; see `message`

    class Phase(models.TextChoices):
        PREVIEW = "preview", "Preview"  # checked only: nothing written
        APPLY = "apply", "Apply"  # the changes are (being) written

    class Step(models.TextChoices):
        READING = "reading", "Reading the file"
        CHECKING = "checking", "Checking rows"
        WRITING = "writing", "Writing changes"
        DONE = "done", "Done"

    class Format(models.TextChoices):
        CSV = "csv", "Trellis CSV"
        ONEROSTER = "oneroster", "OneRoster 1.1 CSV"

    class Source(models.TextChoices):
        WEB = "web", "Web"
        API = "api", "API"
        CLI = "cli", "Command line"

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="roster_imports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    format = models.CharField(max_length=20, choices=Format.choices)
    file_name = models.CharField(max_length=255, help_text="The name of the uploaded file")
    stored_file = models.CharField(
        max_length=255, blank=True, help_text="Storage name; emptied once the file is deleted"
    )
    file_size = models.PositiveBigIntegerField(default=0)
    dry_run = models.BooleanField(default=True, help_text="Asked for a preview first")
    full_sync = models.BooleanField(default=False)
    send_invitations = models.BooleanField(default=False)
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.PREVIEW)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    step = models.CharField(max_length=10, choices=Step.choices, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(
        default=list, blank=True, help_text=f"Row errors, the first {MAX_STORED_ERRORS}"
    )
    notices = models.JSONField(default=list, blank=True)
    preview = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["district", "-created_at"]),
            models.Index(fields=["district", "status"]),
        ]

    def __str__(self) -> str:
        return f"Roster import {self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        return min(100, self.processed_rows * 100 // self.total_rows) if self.total_rows else 0

    @property
    def can_apply(self) -> bool:
        """A finished preview with something to write, not yet applied."""
        changes = sum(
            self.counts.get(key, 0)
            for key in ("created", "updated", "deactivated", "schools_created", "schools_updated")
        )
        return (
            self.phase == self.Phase.PREVIEW
            and self.status == self.Status.SUCCEEDED
            and self.applied_at is None
            and bool(self.stored_file)
            and changes > 0
        )

    def count(self, key: str) -> int:
        return int(self.counts.get(key, 0))
