"""Tenant-scoped reads of topic requests and volunteer offers. Another district's id is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from trellis.core.ids import public_id_or_404
from trellis.districts.permissions import Perm
from trellis.districts.queries import DistrictAccess
from trellis.voice.models import (
    ACTIVE_REQUEST_STATUSES,
    PENDING_VOLUNTEER_STATUSES,
    RequestStatus,
    TopicRequest,
    TopicVote,
    VolunteerOffer,
)
from trellis.voice.similarity import most_similar

# The list's status filter: "" means requests still wanted (open or planned).
STATUS_FILTERS: dict[str, tuple[str, ...]] = {
    "": ACTIVE_REQUEST_STATUSES,
    "open": (RequestStatus.OPEN,),
    "planned": (RequestStatus.PLANNED,),
    "delivered": (RequestStatus.DELIVERED,),
    "declined": (RequestStatus.DECLINED,),
    "all": (
        RequestStatus.OPEN,
        RequestStatus.PLANNED,
        RequestStatus.DELIVERED,
        RequestStatus.DECLINED,
    ),
}
SORTS = {"votes": ("-vote_count", "-created_at", "-pk"), "newest": ("-created_at", "-pk")}
NO_COMPETENCY = "none"  # the competency filter value for requests linked to none


def _with_votes(queryset: QuerySet[TopicRequest]) -> QuerySet[TopicRequest]:
    return queryset.select_related("requester", "competency", "school", "offering").annotate(
        vote_count=Count("votes", distinct=True)
    )


def requests_for(
    access: DistrictAccess,
    *,
    status: str = "",
    competency: Any = None,
    school: Any = None,
    search: str = "",
    sort: str = "votes",
) -> QuerySet[TopicRequest]:
    """The district's requests (never withdrawn ones); `competency` is an item, NO_COMPETENCY or
    None; `school` a School or None."""
    rows = TopicRequest.objects.filter(
        district=access.district, status__in=STATUS_FILTERS.get(status, ACTIVE_REQUEST_STATUSES)
    )
    if competency == NO_COMPETENCY:
        rows = rows.filter(competency__isnull=True)
    elif competency is not None:
        rows = rows.filter(competency=competency)
    if school is not None:
        rows = rows.filter(school=school)
    search = (search or "").strip()
    if search:
        rows = rows.filter(Q(title__icontains=search) | Q(details__icontains=search))
    return _with_votes(rows).order_by(*SORTS.get(sort, SORTS["votes"]))


def my_requests(access: DistrictAccess, user: Any) -> QuerySet[TopicRequest]:
    return _with_votes(
        TopicRequest.objects.filter(district=access.district, requester=user)
    ).order_by("-created_at", "-pk")


def get_request(access: DistrictAccess, user: Any, public_id: Any) -> TopicRequest:
    """A request of the caller's district; a withdrawn one only for its requester and PD leaders."""
    found = (
        _with_votes(TopicRequest.objects.filter(district=access.district))
        .filter(public_id=public_id_or_404(public_id, "topic request"))
        .first()
    )
    if found is None:
        raise Http404("No such topic request.")
    if (
        found.status == RequestStatus.WITHDRAWN
        and found.requester_id != user.pk
        and not access.can(Perm.VIEW_DEMAND)
    ):
        raise Http404("No such topic request.")
    return found


def voted_request_ids(user: Any, request_ids: list[int]) -> set[int]:
    return set(
        TopicVote.objects.filter(voter=user, request_id__in=request_ids).values_list(
            "request_id", flat=True
        )
    )


def voters_of(topic_request: TopicRequest) -> list[Any]:
    return [vote.voter for vote in topic_request.votes.select_related("voter").order_by("pk")]


def similar_active_request(
    district: Any, title: str, *, exclude: TopicRequest | None = None
) -> TopicRequest | None:
    """An open or planned request of the district whose title asks for the same thing."""
    rows = TopicRequest.objects.filter(district=district, status__in=ACTIVE_REQUEST_STATUSES)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    candidates = [(row.title, row) for row in rows.only("pk", "public_id", "title")]
    return most_similar(title, candidates)


# ---------------------------------------------------------------------------------------------
# volunteering
# ---------------------------------------------------------------------------------------------


def _offers(access: DistrictAccess) -> QuerySet[VolunteerOffer]:
    return (
        VolunteerOffer.objects.filter(district=access.district)
        .select_related("volunteer", "school")
        .prefetch_related("competencies")
    )


def my_offers(access: DistrictAccess, user: Any) -> QuerySet[VolunteerOffer]:
    return _offers(access).filter(volunteer=user).order_by("-created_at", "-pk")


def pending_offer(access: DistrictAccess, user: Any, kind: str) -> VolunteerOffer | None:
    return (
        VolunteerOffer.objects.filter(
            district=access.district,
            volunteer=user,
            kind=kind,
            status__in=PENDING_VOLUNTEER_STATUSES,
        )
        .order_by("-pk")
        .first()
    )


def offers_for(
    access: DistrictAccess, *, kind: str = "", status: str = ""
) -> QuerySet[VolunteerOffer]:
    """Every offer of the district (for PD leaders); `status` "" means still pending."""
    rows = _offers(access)
    if kind:
        rows = rows.filter(kind=kind)
    rows = (
        rows.filter(status=status) if status else rows.filter(status__in=PENDING_VOLUNTEER_STATUSES)
    )
    return rows.order_by("-created_at", "-pk")


def get_offer(access: DistrictAccess, public_id: Any) -> VolunteerOffer:
    """Any offer of the district (for PD leaders following offers up)."""
    found = _offers(access).filter(public_id=public_id_or_404(public_id, "offer")).first()
    if found is None:
        raise Http404("No such volunteer offer.")
    return found


def get_my_offer(access: DistrictAccess, user: Any, public_id: Any) -> VolunteerOffer:
    """One of the caller's own offers; a colleague's offer is as missing as an unknown id, so
    its existence does not show."""
    found = (
        _offers(access)
        .filter(volunteer=user, public_id=public_id_or_404(public_id, "offer"))
        .first()
    )
    if found is None:
        raise Http404("No such volunteer offer of yours.")
    return found
