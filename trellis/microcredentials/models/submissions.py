"""An educator's work toward a micro-credential: a submission per attempt with answers per part
(autosaved, every save kept as a revision), artifacts, and the event row of each change."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from trellis.core.models import PublicModel, TimeStampedModel
from trellis.microcredentials.models.definitions import DefinitionVersion, RequirementPart


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted, waiting for an assessor"
    IN_ASSESSMENT = "in_assessment", "Being assessed"
    NOT_YET = "not_yet", "Not yet: feedback to act on"
    EARNED = "earned", "Earned"
    APPEALED = "appealed", "Appealed: with a second assessor"
    WITHDRAWN = "withdrawn", "Withdrawn"


# A submission in these statuses is the educator's live attempt (one per micro-credential).
OPEN_STATUSES = (
    SubmissionStatus.DRAFT,
    SubmissionStatus.SUBMITTED,
    SubmissionStatus.IN_ASSESSMENT,
    SubmissionStatus.NOT_YET,
    SubmissionStatus.APPEALED,
)


class Submission(PublicModel):
    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="mc_submissions"
    )
    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mc_submissions"
    )
    version = models.ForeignKey(
        DefinitionVersion, on_delete=models.PROTECT, related_name="submissions"
    )
    status = models.CharField(
        max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    attempt = models.PositiveSmallIntegerField(default=1, help_text="1 + resubmissions")
    privacy_confirmed = models.BooleanField(
        default=False,
        help_text="No identifiable student data, or the families consented",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    earned_at = models.DateTimeField(null=True, blank=True)
    last_saved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["district", "status"]),
            models.Index(fields=["educator", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["educator", "version"],
                condition=Q(status__in=[s.value for s in OPEN_STATUSES]),
                name="submission_one_open_per_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.educator} — {self.version} ({self.get_status_display()})"


class Answer(TimeStampedModel):
    """The current text of one part; `revision` counts saves (the history is in AnswerRevision)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    part = models.ForeignKey(RequirementPart, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=0)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "part"], name="answer_per_part")
        ]


class AnswerRevision(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    saved_at = models.DateTimeField()
    client_id = models.CharField(
        max_length=64, blank=True, help_text="Which tab or client saved it (autosave)"
    )

    class Meta:
        ordering = ["answer", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "revision"], name="answer_revision_number")
        ]

    def __str__(self) -> str:
        return f"revision {self.revision} of answer {self.answer_id}"


class Artifact(PublicModel):
    class Kind(models.TextChoices):
        DOCUMENT = "document", "Document (PDF, Word, text)"
        IMAGE = "image", "Image"
        VIDEO = "video", "Video"
        AUDIO = "audio", "Audio"
        LINK = "link", "Link"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="artifacts")
    part = models.ForeignKey(RequirementPart, on_delete=models.PROTECT, related_name="artifacts")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to="microcredentials/evidence/%Y/%m/", blank=True)
    url = models.URLField(max_length=500, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True, help_text="Sniffed, not declared")
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    description = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["part", "created_at", "id"]


class SubmissionEvent(models.Model):
    """Who did what to a submission, when: one row per state change (and per autosave batch)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)
    at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["submission", "at", "id"]
        indexes = [models.Index(fields=["submission", "at"])]

    def __str__(self) -> str:
        return f"{self.action} at {self.at:%Y-%m-%d %H:%M}"
