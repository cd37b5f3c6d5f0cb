"""Topic requests: asking (with the duplicate guard), editing, withdrawing, upvotes, and the PD
leader's answer, which the requester and the voters are told of."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from trellis.audit import services as audit
from trellis.catalog.models import Offering
from trellis.catalog.notify import notify
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.core.text import clean_text
from trellis.districts.permissions import Perm, require
from trellis.districts.queries import DistrictAccess
from trellis.growth import queries as growth_queries
from trellis.growth.models import LearningFormat
from trellis.notifications.models import Kind as NoticeKind
from trellis.voice import queries
from trellis.voice.models import (
    RequestStatus,
    TopicRequest,
    TopicVote,
)
from trellis.voice.services._common import MAX_TEXT, resolve_competency
from trellis.voice.similarity import normalise

MAX_TITLE = 200

# Which status a PD leader may move a request to from each status.
REQUEST_TRANSITIONS: dict[str, set[str]] = {
    RequestStatus.OPEN: {RequestStatus.PLANNED, RequestStatus.DELIVERED, RequestStatus.DECLINED},
    RequestStatus.PLANNED: {RequestStatus.OPEN, RequestStatus.DELIVERED, RequestStatus.DECLINED},
    RequestStatus.DELIVERED: set(),
    RequestStatus.DECLINED: {RequestStatus.OPEN},  # reconsider
    RequestStatus.WITHDRAWN: set(),
}


def _request_path(topic_request: TopicRequest) -> str:
    return reverse("voice:request", kwargs={"public_id": topic_request.public_id})


def _format(value: Any) -> str:
    value = str(value or "")
    if value and value not in LearningFormat.values:
        raise DomainError(
            "unknown_format",
            f"“{value}” is not a learning format. Choose one from the list or leave it empty.",
            details={"field": "preferred_format"},
        )
    return value


def _request_texts(title: Any, details: Any) -> tuple[str, str]:
    return (
        clean_text(title, field="title", label="topic", max_length=MAX_TITLE, required=True),
        clean_text(
            details,
            field="details",
            label="what you need and why",
            max_length=MAX_TEXT,
            required=True,
        ),
    )


def _guard_duplicate(
    access: DistrictAccess, title: str, *, exclude: TopicRequest | None, allow_similar: bool
) -> None:
    similar = queries.similar_active_request(access.district, title, exclude=exclude)
    if similar is None:
        return
    same = normalise(similar.title) == normalise(title)
    if allow_similar and not same:
        return
    raise ConflictError(
        "similar_request",
        f"“{similar.title}” is already requested. Upvote it instead, so the votes add up"
        + ("." if same else ", or confirm that yours asks for something different."),
        details={"field": "title", "similar": str(similar.public_id), "exact": same},
    )


def _require_own_open(access: DistrictAccess, actor: Any, topic_request: TopicRequest) -> None:
    require(access, Perm.VIEW_OWN_LEARNING)
    if topic_request.district_id != access.district.pk or topic_request.requester_id != actor.pk:
        raise PermissionDenied("Only the educator who asked for the topic can change it.")
    if topic_request.status != RequestStatus.OPEN:
        raise ConflictError(
            "request_not_open",
            f"This request is {topic_request.get_status_display().lower()}, so it can no longer "
            "be changed.",
        )


@transaction.atomic
def create_request(
    *,
    access: DistrictAccess,
    actor: Any,
    title: Any,
    details: Any,
    competency: Any = None,
    preferred_format: Any = "",
    allow_similar: bool = False,
) -> TopicRequest:
    """Ask for a topic. A request like an open one is refused (upvote that one) unless the asker
    confirms theirs is different; the very same title is always refused."""
    require(access, Perm.VIEW_OWN_LEARNING)
    title, details = _request_texts(title, details)
    item = resolve_competency(access, competency, field="competency")
    fmt = _format(preferred_format)
    _guard_duplicate(access, title, exclude=None, allow_similar=allow_similar)
    schools = growth_queries.schools_of(actor, access.district)
    topic_request = TopicRequest.objects.create(
        district=access.district,
        requester=actor,
        school=schools[0] if schools else None,
        title=title,
        details=details,
        competency=item,
        preferred_format=fmt,
    )
    audit.record(
        action="voice.request_created",
        summary=f"Requested the topic “{title}”",
        actor=actor,
        district=access.district,
        target=topic_request,
        data={"competency": str(item.public_id) if item else None},
    )
    return topic_request


@transaction.atomic
def update_request(
    *,
    access: DistrictAccess,
    actor: Any,
    topic_request: TopicRequest,
    title: Any,
    details: Any,
    competency: Any = None,
    preferred_format: Any = "",
    allow_similar: bool = False,
) -> TopicRequest:
    _require_own_open(access, actor, topic_request)
    title, details = _request_texts(title, details)
    item = resolve_competency(access, competency, field="competency")
    fmt = _format(preferred_format)
    if title.lower() != topic_request.title.lower():
        _guard_duplicate(access, title, exclude=topic_request, allow_similar=allow_similar)
    topic_request.title, topic_request.details = title, details
    topic_request.competency, topic_request.preferred_format = item, fmt
    topic_request.save(
        update_fields=["title", "details", "competency", "preferred_format", "updated_at"]
    )
    audit.record(
        action="voice.request_updated",
        summary=f"Edited the topic request “{title}”",
        actor=actor,
        district=access.district,
        target=topic_request,
    )
    return topic_request


@transaction.atomic
def withdraw_request(
    *, access: DistrictAccess, actor: Any, topic_request: TopicRequest
) -> TopicRequest:
    _require_own_open(access, actor, topic_request)
    topic_request.status = RequestStatus.WITHDRAWN
    topic_request.status_changed_at = timezone.now()
    topic_request.save(update_fields=["status", "status_changed_at", "updated_at"])
    audit.record(
        action="voice.request_withdrawn",
        summary=f"Withdrew the topic request “{topic_request.title}”",
        actor=actor,
        district=access.district,
        target=topic_request,
    )
    return topic_request


def _require_votable(access: DistrictAccess, actor: Any, topic_request: TopicRequest) -> None:
    require(access, Perm.VIEW_OWN_LEARNING)
    if topic_request.district_id != access.district.pk:
        raise PermissionDenied("This request belongs to another district.")
    if topic_request.requester_id == actor.pk:
        raise DomainError(
            "own_request",
            "You asked for this topic, so it already counts for you; others can upvote it.",
        )


@transaction.atomic
def vote(*, access: DistrictAccess, actor: Any, topic_request: TopicRequest) -> bool:
    """Upvote; True when a vote was added, False when the person had already voted."""
    _require_votable(access, actor, topic_request)
    if topic_request.status != RequestStatus.OPEN and topic_request.status != RequestStatus.PLANNED:
        raise ConflictError(
            "request_closed",
            f"This request is {topic_request.get_status_display().lower()}; votes are closed.",
        )
    try:
        with transaction.atomic():
            _, created = TopicVote.objects.get_or_create(request=topic_request, voter=actor)
    except IntegrityError:  # a double click raced us to the same vote
        created = False
    if created:
        audit.record(
            action="voice.request_upvoted",
            summary=f"Upvoted “{topic_request.title}”",
            actor=actor,
            district=access.district,
            target=topic_request,
        )
    return created


@transaction.atomic
def unvote(*, access: DistrictAccess, actor: Any, topic_request: TopicRequest) -> bool:
    """Take an upvote back; True when there was one."""
    _require_votable(access, actor, topic_request)
    deleted, _ = TopicVote.objects.filter(request=topic_request, voter=actor).delete()
    if deleted:
        audit.record(
            action="voice.request_unvoted",
            summary=f"Took back the upvote of “{topic_request.title}”",
            actor=actor,
            district=access.district,
            target=topic_request,
        )
    return bool(deleted)


@transaction.atomic
def toggle_vote(*, access: DistrictAccess, actor: Any, topic_request: TopicRequest) -> bool:
    """Vote, or take the vote back; True when the person now has a vote on it."""
    if TopicVote.objects.filter(request=topic_request, voter=actor).exists():
        unvote(access=access, actor=actor, topic_request=topic_request)
        return False
    return vote(access=access, actor=actor, topic_request=topic_request)


def _district_offering(access: DistrictAccess, value: Any) -> Offering | None:
    if value in (None, ""):
        return None
    if isinstance(value, Offering):
        found = value if value.district_id == access.district.pk else None
    else:
        found = Offering.objects.filter(
            district=access.district, public_id=str(value).strip()
        ).first()
    if found is None:
        raise DomainError(
            "unknown_offering",
            "Choose an offering of the district's catalog.",
            details={"field": "offering"},
        )
    return found


STATUS_NOTICES = {
    RequestStatus.OPEN: "is open again",
    RequestStatus.PLANNED: "is planned",
    RequestStatus.DELIVERED: "has been delivered",
    RequestStatus.DECLINED: "was declined",
}


@transaction.atomic
def set_request_status(
    *,
    access: DistrictAccess,
    actor: Any,
    topic_request: TopicRequest,
    status: str,
    reason: Any = "",
    offering: Any = None,
) -> TopicRequest:
    """A PD leader answers a request; the requester and everyone who upvoted it are told."""
    require(access, Perm.VIEW_DEMAND)
    if topic_request.district_id != access.district.pk:
        raise PermissionDenied("This request belongs to another district.")
    if status not in REQUEST_TRANSITIONS.get(topic_request.status, set()):
        label = dict(RequestStatus.choices).get(status, status)
        raise ConflictError(
            "invalid_transition",
            f"A request that is {topic_request.get_status_display().lower()} cannot become "
            f"{str(label).lower()}.",
            details={"field": "status"},
        )
    reason = clean_text(
        reason,
        field="reason",
        label="reason",
        max_length=MAX_TEXT,
        required=status == RequestStatus.DECLINED,
    )
    linked = _district_offering(access, offering)
    previous = topic_request.status
    topic_request.status = status
    topic_request.status_reason = reason
    if linked is not None or status == RequestStatus.OPEN:
        topic_request.offering = linked
    topic_request.status_changed_at = timezone.now()
    topic_request.save(
        update_fields=["status", "status_reason", "offering", "status_changed_at", "updated_at"]
    )
    audit.record(
        action="voice.request_status",
        summary=f"Marked the topic request “{topic_request.title}” {status}",
        actor=actor,
        district=access.district,
        target=topic_request,
        data={"from": previous, "to": status, "reason": reason},
    )
    lines = [f"The topic “{topic_request.title}” {STATUS_NOTICES[status]}."]
    if topic_request.offering is not None:
        lines.append(f"Offering: {topic_request.offering.title}")
    if reason:
        lines.append(f"Note from {access.district.name}: {reason}")
    author = [topic_request.requester] if topic_request.requester is not None else []
    people = [*author, *queries.voters_of(topic_request)]
    for person in people:
        notify(
            person,
            subject=f"Your topic request {STATUS_NOTICES[status]}",
            lines=lines,
            path=_request_path(topic_request),
            kind=NoticeKind.REQUEST_UPDATE,
            district=access.district,
        )
    return topic_request
