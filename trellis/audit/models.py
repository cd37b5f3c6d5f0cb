"""The audit log: one append-only row per security-relevant or state-changing action."""

from django.conf import settings
from django.db import models

from trellis.core.models import PublicModel


class AuditEvent(PublicModel):
    """Written only by `audit.services.record`, called from other apps' services.

    `action` is a dotted name (`accounts.login_failed`, `districts.invitation_sent`) so each app
    owns its vocabulary; `target_*` names what was acted on without a foreign key, so the row
    outlives the object.
    """

    district = models.ForeignKey(
        "districts.District",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The person the event is about, when not the actor (e.g. a failed sign-in)",
    )
    actor_label = models.CharField(
        max_length=254, blank=True, help_text="E-mail at the time of the action"
    )
    action = models.CharField(max_length=64, db_index=True)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    summary = models.CharField(max_length=300)
    data = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["district", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.summary}"
