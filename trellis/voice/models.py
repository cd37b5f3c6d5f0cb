"""Educator voice: topics educators ask the district to offer, their upvotes, and offers to lead,
present, mentor or assess."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from trellis.core.models import PublicModel


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    PLANNED = "planned", "Planned"
    DELIVERED = "delivered", "Delivered"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Requests that still express demand: counted on the demand page and in the duplicate guard.
ACTIVE_REQUEST_STATUSES = (RequestStatus.OPEN, RequestStatus.PLANNED)


class TopicRequest(PublicModel):
    """A topic an educator wants professional learning on; others upvote it."""

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="topic_requests"
    )
    # Empty once the author's personal data is erased (trellis/privacy): the request stays for
    # the colleagues who upvoted it.
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="topic_requests",
    )
    school = models.ForeignKey(
        "districts.School",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="topic_requests",
        help_text="The requester's school when they asked (demand by school)",
    )
    title = models.CharField(max_length=200)
    details = models.TextField(help_text="Why they need it and what would help")
    competency = models.ForeignKey(
        "frameworks.FrameworkItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="topic_requests",
    )
    preferred_format = models.CharField(
        max_length=20, blank=True, help_text="growth.LearningFormat value; empty means any"
    )
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    status_reason = models.TextField(blank=True, help_text="Why it was declined, or a note")
    offering = models.ForeignKey(
        "catalog.Offering",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="topic_requests",
        help_text="The offering planned or delivered in answer",
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["district", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN


class TopicVote(PublicModel):
    """One upvote of one person on one request (the requester's own ask is not a vote)."""

    request = models.ForeignKey(TopicRequest, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_votes"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "voter"], name="topic_vote_once"),
        ]

    def __str__(self) -> str:
        return f"{self.voter} +1 {self.request}"


class VolunteerKind(models.TextChoices):
    # The values are a contract: the recommendations app links to voice:volunteer?kind=<value>.
    LEAD_SESSION = "lead_session", "Lead a session"
    PRESENT = "present", "Present at a PD day or conference"
    LEAD_PLC = "lead_plc", "Lead a PLC"
    MENTOR = "mentor", "Mentor a new teacher"
    ASSESSOR = "assessor", "Become a micro-credential assessor"


class VolunteerStatus(models.TextChoices):
    OPEN = "open", "Waiting for a reply"
    CONTACTED = "contacted", "Contacted"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Offers still being considered: at most one of these per person and kind.
PENDING_VOLUNTEER_STATUSES = (VolunteerStatus.OPEN, VolunteerStatus.CONTACTED)


class VolunteerOffer(PublicModel):
    """An educator offers to lead, present, mentor or assess; a PD leader follows it up."""

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="volunteer_offers"
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_offers"
    )
    school = models.ForeignKey(
        "districts.School",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer_offers",
    )
    kind = models.CharField(max_length=20, choices=VolunteerKind.choices)
    competencies = models.ManyToManyField(
        "frameworks.FrameworkItem", blank=True, related_name="volunteer_offers"
    )
    note = models.TextField(blank=True)
    availability = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=20, choices=VolunteerStatus.choices, default=VolunteerStatus.OPEN
    )
    status_note = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["district", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "volunteer", "kind"],
                condition=Q(status__in=["open", "contacted"]),
                name="volunteer_one_pending_offer_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer}: {self.get_kind_display()}"
