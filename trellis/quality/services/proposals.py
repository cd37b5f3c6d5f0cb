"""Educators' proposals for the catalog: submitted → in review → accepted (an offering is created
and, once vetted, published) / declined (with a reason) / withdrawn by the proposer."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from trellis.audit import services as audit
from trellis.catalog.models import OfferingKind, OfferingStatus
from trellis.catalog.notify import notify
from trellis.catalog.services.offering_fields import resolve_competencies
from trellis.catalog.services.offerings import create_offering
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.core.text import clean_text
from trellis.districts.permissions import Perm, require
from trellis.districts.queries import DistrictAccess
from trellis.growth.career import CareerStage
from trellis.growth.models import LearningFormat
from trellis.growth.queries import profile_for
from trellis.quality.models import OPEN_PROPOSAL, Proposal, ProposalKind, ProposalStatus
from trellis.quality.services._common import own
from trellis.quality.services.vetting import Scores, unmet_message, vet_offering

FACILITATOR_STAGES = (CareerStage.EXPERIENCED, CareerStage.VETERAN)
MAX_SESSIONS = 50
_url = URLValidator(schemes=["http", "https"])


def can_facilitate(district: Any, user: Any) -> bool:
    profile = profile_for(user, district)
    return profile is not None and profile.career_stage in FACILITATOR_STAGES


def _decimal(value: Any, *, field: str, label: str, smallest: Decimal, largest: Decimal) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(
            f"bad_{field}", f"Enter the {label} as a number.", details={"field": field}
        ) from None
    if not number.is_finite() or not smallest <= number <= largest:
        raise DomainError(
            f"bad_{field}",
            f"The {label} must be from {smallest} to {largest}.",
            details={"field": field},
        )
    return number.quantize(Decimal("0.01"))


@transaction.atomic
def submit_proposal(
    *,
    access: DistrictAccess,
    actor: Any,
    kind: Any,
    title: Any,
    description: Any,
    link: Any = "",
    provider: Any = "",
    format: Any = "",
    hours: Any = None,
    cost: Any = 0,
    competencies: Any = (),
    sessions_count: Any = None,
    audience: Any = "",
) -> Proposal:
    require(access, Perm.VIEW_CATALOG)
    if kind not in ProposalKind.values:
        raise DomainError(
            "bad_kind",
            "Choose what you are proposing: a course you found online, or one you'll facilitate.",
            details={"field": "kind"},
        )
    if kind == ProposalKind.FACILITATE and not can_facilitate(access.district, actor):
        raise PermissionDenied(
            "Proposing to facilitate is open to experienced and veteran educators (by the years "
            "of experience on your profile). You can still suggest a course you found online."
        )
    title = clean_text(title, field="title", label="title", max_length=200, required=True)
    description = clean_text(
        description, field="description", label="description", max_length=5000, required=True
    )
    link = clean_text(
        link, field="link", label="link", max_length=500, required=kind == ProposalKind.FOUND_ONLINE
    )
    if link:
        try:
            _url(link)
        except ValidationError:
            raise DomainError(
                "bad_link",
                "Enter a web address starting with http:// or https://.",
                details={"field": "link"},
            ) from None
    provider = clean_text(
        provider,
        field="provider",
        label="provider",
        max_length=200,
        required=kind == ProposalKind.FOUND_ONLINE,
    )
    if format not in LearningFormat.values:
        raise DomainError(
            "bad_format",
            "Choose a format: " + ", ".join(str(label) for label in LearningFormat.labels) + ".",
            details={"field": "format"},
        )
    if hours in (None, ""):
        raise DomainError(
            "hours_required", "Enter the number of hours.", details={"field": "hours"}
        )
    hours = _decimal(
        hours,
        field="hours",
        label="number of hours",
        smallest=Decimal("0.25"),
        largest=Decimal(999),
    )
    cost = _decimal(
        cost if cost not in (None, "") else 0,
        field="cost",
        label="cost",
        smallest=Decimal(0),
        largest=Decimal(100000),
    )
    items, unknown = resolve_competencies(access.district, list(competencies or []))
    if unknown:
        raise DomainError(
            "unknown_competency",
            f"Unknown competencies {', '.join(unknown)}: choose competencies of "
            f"{access.district.name}'s framework.",
            details={"field": "competencies"},
        )
    count = None
    if kind == ProposalKind.FACILITATE:
        try:
            count = int(sessions_count)
        except (TypeError, ValueError):
            count = 0
        if not 1 <= count <= MAX_SESSIONS:
            raise DomainError(
                "bad_sessions_count",
                f"Enter how many sessions you would run: from 1 to {MAX_SESSIONS}.",
                details={"field": "sessions_count"},
            )
        audience = clean_text(
            audience, field="audience", label="audience", max_length=300, required=True
        )
    else:
        audience = clean_text(
            audience, field="audience", label="audience", max_length=300, required=False
        )
    proposal = Proposal.objects.create(
        district=access.district,
        proposer=actor,
        kind=kind,
        title=title,
        description=description,
        link=link,
        provider=provider,
        format=format,
        hours=hours,
        cost=cost,
        sessions_count=count,
        audience=audience,
        submitted_at=timezone.now(),
    )
    proposal.competencies.set(items)
    audit.record(
        action="quality.proposal_submitted",
        summary=f"Proposed “{title}” for the catalog",
        actor=actor,
        district=access.district,
        target=proposal,
        data={"kind": kind},
    )
    return proposal


def _locked(proposal_pk: int) -> Proposal:
    return Proposal.objects.select_for_update().get(pk=proposal_pk)


def _require_open(proposal: Proposal) -> None:
    if proposal.status not in OPEN_PROPOSAL:
        raise ConflictError(
            "proposal_closed",
            f"This proposal is already {proposal.get_status_display().lower()}.",
        )


@transaction.atomic
def start_review(*, access: DistrictAccess, actor: Any, proposal: Proposal) -> Proposal:
    require(access, Perm.MANAGE_QUALITY)
    own(access, proposal, "proposal")
    proposal = _locked(proposal.pk)
    if proposal.status != ProposalStatus.SUBMITTED:
        raise ConflictError(
            "not_submitted",
            f"Only a submitted proposal can go into review; this one is "
            f"{proposal.get_status_display().lower()}.",
        )
    proposal.status = ProposalStatus.IN_REVIEW
    proposal.save(update_fields=["status", "updated_at"])
    audit.record(
        action="quality.proposal_in_review",
        summary=f"Started reviewing the proposal “{proposal.title}”",
        actor=actor,
        district=access.district,
        target=proposal,
    )
    _tell(
        proposal,
        subject=f"Your proposal “{proposal.title}” is being reviewed",
        lines=["A district PD leader has started reviewing your proposal."],
    )
    return proposal


def _offering_kind(proposal: Proposal) -> str:
    if proposal.kind == ProposalKind.FACILITATE:
        return (
            OfferingKind.WORKSHOP_SERIES
            if (proposal.sessions_count or 0) > 1
            else (OfferingKind.WORKSHOP)
        )
    if proposal.format == LearningFormat.SELF_PACED:
        return OfferingKind.SELF_PACED
    if proposal.format == LearningFormat.ONLINE_LIVE:
        return OfferingKind.ONLINE_COURSE
    return OfferingKind.EXTERNAL


@transaction.atomic
def accept_proposal(
    *,
    access: DistrictAccess,
    actor: Any,
    proposal: Proposal,
    scores: Scores,
    comment: Any = "",
) -> Proposal:
    """Vet the proposal against the rubric and, when every essential item is met, create the
    offering and publish it. An offering that meets in sessions (a facilitated workshop) stays a
    draft until its sessions are added, then is published from the catalog."""
    require(access, Perm.MANAGE_QUALITY)
    require(access, Perm.MANAGE_CATALOG)
    own(access, proposal, "proposal")
    proposal = _locked(proposal.pk)
    _require_open(proposal)
    comment = clean_text(comment, field="comment", label="comment", max_length=2000, required=False)
    offering = create_offering(
        access=access,
        actor=actor,
        title=proposal.title,
        summary=proposal.description[:300],
        description=proposal.description,
        kind=_offering_kind(proposal),
        format=proposal.format,
        provider=proposal.provider or proposal.proposer.get_full_name() or str(proposal.proposer),
        link=proposal.link,
        hours=proposal.hours,
        cost=proposal.cost,
        competencies=list(proposal.competencies.all()),
    )
    publishes = offering.kind in (
        OfferingKind.SELF_PACED,
        OfferingKind.ONLINE_COURSE,
        OfferingKind.EXTERNAL,
    )
    try:
        review = vet_offering(
            access=access,
            actor=actor,
            offering=offering,
            scores=scores,
            comment=comment,
            publish=publishes,
        )
    except DomainError as error:
        if error.code == "essentials_unmet":
            raise DomainError(
                "essentials_unmet",
                "The proposal cannot be accepted yet. "
                + unmet_message(error.details["unmet"])
                + " Decline it with a reason, or ask the proposer for more.",
                details=error.details,
            ) from None
        raise
    if not review.essentials_met:  # a draft that was not published: same rule applies
        raise DomainError(
            "essentials_unmet",
            "The proposal cannot be accepted yet. " + unmet_message(review.unmet_essentials),
            details={"unmet": list(review.unmet_essentials)},
        )
    proposal.status = ProposalStatus.ACCEPTED
    proposal.offering = offering
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.decision_reason = comment
    proposal.save()
    audit.record(
        action="quality.proposal_accepted",
        summary=f"Accepted the proposal “{proposal.title}”",
        actor=actor,
        district=access.district,
        target=proposal,
        data={"offering": str(offering.public_id), "published": publishes},
    )
    offering.refresh_from_db()
    lines = [
        "Your proposal was accepted"
        + (" and is now in the catalog." if offering.status == OfferingStatus.PUBLISHED else ".")
    ]
    if offering.status != OfferingStatus.PUBLISHED:
        lines.append("The PD office will add the session dates with you, then publish it.")
    if comment:
        lines.append(f"Comment from the reviewer: {comment}")
    _tell(
        proposal,
        subject=f"Your proposal “{proposal.title}” was accepted",
        lines=lines,
        path=reverse("catalog:offering", args=[offering.public_id])
        if offering.status == OfferingStatus.PUBLISHED
        else "",
    )
    return proposal


@transaction.atomic
def decline_proposal(
    *, access: DistrictAccess, actor: Any, proposal: Proposal, reason: Any
) -> Proposal:
    require(access, Perm.MANAGE_QUALITY)
    own(access, proposal, "proposal")
    reason = clean_text(reason, field="reason", label="reason", max_length=2000, required=True)
    proposal = _locked(proposal.pk)
    _require_open(proposal)
    proposal.status = ProposalStatus.DECLINED
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.decision_reason = reason
    proposal.save()
    audit.record(
        action="quality.proposal_declined",
        summary=f"Declined the proposal “{proposal.title}”",
        actor=actor,
        district=access.district,
        target=proposal,
        data={"reason": reason},
    )
    _tell(
        proposal,
        subject=f"Your proposal “{proposal.title}” was not accepted",
        lines=["Your proposal was not accepted for the catalog.", f"Why: {reason}"],
    )
    return proposal


@transaction.atomic
def withdraw_proposal(*, access: DistrictAccess, actor: Any, proposal: Proposal) -> Proposal:
    own(access, proposal, "proposal")
    if proposal.proposer_id != getattr(actor, "pk", None):
        raise PermissionDenied("Only the person who proposed it can withdraw a proposal.")
    proposal = _locked(proposal.pk)
    _require_open(proposal)
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.save(update_fields=["status", "updated_at"])
    audit.record(
        action="quality.proposal_withdrawn",
        summary=f"Withdrew the proposal “{proposal.title}”",
        actor=actor,
        district=access.district,
        target=proposal,
    )
    return proposal


def _tell(proposal: Proposal, *, subject: str, lines: list[str], path: str = "") -> None:
    notify(
        proposal.proposer,
        subject=subject,
        lines=lines,
        path=path or reverse("quality:my_proposals"),
    )
