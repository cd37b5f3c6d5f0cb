"""What each person was told (in-app), how they want to be told about each kind of event, and the
bookkeeping that keeps periodic jobs (digests, reminders) from running twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from trellis.core.models import PublicModel


class Kind(models.TextChoices):
    APPROVAL_WAITING = "approval_waiting", "Requests waiting for my approval"
    DECISION = "decision", "Decisions on my requests"
    ASSESSOR_ASSIGNMENT = "assessor_assignment", "Submissions assigned to me to assess"
    ASSESSMENT_OVERDUE = "assessment_overdue", "Overdue assessment reminders"
    SUBMISSION_OUTCOME = "submission_outcome", "Outcomes of my micro-credential submissions"
    SESSION_UPCOMING = "session_upcoming", "Upcoming and changed sessions"
    RENEWAL_DEADLINE = "renewal_deadline", "Licence renewal deadlines"
    CREDENTIAL_ISSUED = "credential_issued", "Credentials issued to me"
    PROPOSAL_OUTCOME = "proposal_outcome", "Outcomes of my proposals and reviews"
    REQUEST_UPDATE = "request_update", "Updates on topic requests I follow"
    GENERAL = "general", "Other notices"


class Channel(models.TextChoices):
    IN_APP_AND_EMAIL = "in_app_and_email", "In Trellis and by e-mail right away"
    IN_APP_ONLY = "in_app_only", "In Trellis only"
    DIGEST_ONLY = "digest_only", "In Trellis and in the weekly digest e-mail"
    OFF = "off", "Off"


class Notification(PublicModel):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    district = models.ForeignKey(
        "districts.District",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.GENERAL)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    path = models.CharField(max_length=500, blank=True, help_text="Where in Trellis to act on it")
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    digest_sent_at = models.DateTimeField(null=True, blank=True)
    in_digest = models.BooleanField(
        default=False, help_text="Waits for (or went out in) the weekly digest"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_read"),
            models.Index(
                fields=["in_digest", "digest_sent_at", "created_at"], name="notif_digest_due"
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(PublicModel):
    """One person's channel for one kind of event in one district (or everywhere: no district).
    No row means the default of the kind (see trellis.notifications.preferences)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    district = models.ForeignKey(
        "districts.District",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "district", "kind"],
                condition=Q(district__isnull=False),
                name="notif_pref_one_per_district_kind",
            ),
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(district__isnull=True),
                name="notif_pref_one_per_kind_anywhere",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind} → {self.channel}"


class PeriodicRun(models.Model):
    """When a periodic job last ran: `trellis run_periodic` skips jobs that are not due yet."""

    job = models.CharField(max_length=80, unique=True)
    last_run_at = models.DateTimeField()
    last_result = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.job} @ {self.last_run_at:%Y-%m-%d %H:%M}"


class ReminderSent(models.Model):
    """One reminder of one subject to one person, recorded so re-running a job never repeats it.
    `key` names the subject, e.g. "session:<uuid>" or "renewal:2027-06-30:90"."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=200)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notif_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.key}"


class DigestSent(models.Model):
    """One weekly digest to one person: `week` is the Monday of the ISO week it covers."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    week = models.DateField()
    items = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "week"], name="notif_digest_once_a_week"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: week of {self.week}"
