"""Reads of the catalog: searching offerings, one offering with its sessions, the manager's list.

Everything is scoped to the caller's district. Educators see published offerings only; people
with MANAGE_CATALOG see every status. The list stays a fixed number of queries whatever its size:
the next session, seats taken and competencies come from subqueries and one prefetch.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from trellis.catalog.models import (
    ACTIVE,
    SEAT_HOLDING,
    Enrollment,
    EnrollmentStatus,
    Offering,
    OfferingSession,
    OfferingStatus,
    Registration,
)
from trellis.catalog.offering_choices import (
    FORMAT_CHOICES,
    credit_text,
    hours_text,
    label_of,
    money_text,
    seats_left,
)
from trellis.core.ids import public_id_or_404
from trellis.districts.permissions import Perm
from trellis.districts.queries import DistrictAccess
from trellis.frameworks.models import FrameworkItem

PER_PAGE = 20

SORT_CHOICES = [
    ("title", "Best match, then title"),
    ("soonest", "Soonest session"),
    ("shortest", "Shortest first"),
    ("cost", "Lowest cost"),
    ("newest", "Newest"),
]
ANY_STATUS = "any"


@dataclass(frozen=True)
class OfferingFilters:
    """What the catalog is narrowed to; every field is optional (empty means "any")."""

    text: str = ""
    competency: FrameworkItem | None = None  # also matches offerings aligned to items under it
    kind: str = ""
    format: str = ""
    grade_band: str = ""
    subject: str = ""
    max_hours: Decimal | None = None
    free_only: bool = False
    max_cost: Decimal | None = None
    credit_unit: str = ""
    date_from: dt.date | None = None  # has a scheduled session on or after this day
    date_to: dt.date | None = None  # … and on or before this day
    career_stage: str = ""
    students_served: str = ""
    status: str = ""  # managers: a status, or "any"; "" (and always for others): published
    sort: str = "title"


def _competency_subtree(item: FrameworkItem) -> list[int]:
    """The item and every item under it (one query: the framework's parent links)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in FrameworkItem.objects.filter(framework_id=item.framework_id).values_list(
        "pk", "parent_id"
    ):
        children[parent_id].append(pk)
    found, stack = [], [item.pk]
    while stack:
        pk = stack.pop()
        found.append(pk)
        stack.extend(children[pk])
    return found


def _list_contains(field: str, value: str) -> Q:
    """A JSON list field holds `value` exactly. PostgreSQL has JSON containment; SQLite stores
    the list as JSON text, where the value appears quoted exactly as json.dumps writes it."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__contains": [value]})
    return Q(**{f"{field}__icontains": json.dumps(value)})


def _day_start(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz)


def district_zone(district: Any) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(district.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_default_timezone()


def _upcoming_sessions(offering_ref: Any) -> QuerySet[OfferingSession]:
    return OfferingSession.objects.filter(
        offering=offering_ref,
        status=OfferingSession.Status.SCHEDULED,
        starts_at__gte=timezone.now(),
    ).order_by("starts_at", "id")


def _next_start() -> Subquery:
    return Subquery(_upcoming_sessions(OuterRef("pk")).values("starts_at")[:1])


def with_listing_figures(offerings: QuerySet[Offering]) -> QuerySet[Offering]:
    """Annotate the next scheduled session (start, capacity, seats taken there) and the seats
    taken in the whole offering, each a correlated subquery: no query per row."""
    upcoming = _upcoming_sessions(OuterRef("pk"))
    taken_in_offering = (
        Enrollment.objects.filter(offering=OuterRef("pk"), status__in=SEAT_HOLDING)
        .order_by()
        .values("offering")
        .annotate(n=Count("pk"))
        .values("n")
    )
    next_session_id = _upcoming_sessions(OuterRef(OuterRef("pk")))
    taken_in_next_session = (
        Enrollment.objects.filter(
            session_id=Subquery(next_session_id.values("pk")[:1]), status__in=SEAT_HOLDING
        )
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return offerings.annotate(
        next_starts_at=Subquery(upcoming.values("starts_at")[:1]),
        next_session_capacity=Subquery(upcoming.values("capacity")[:1]),
        seats_taken=Coalesce(Subquery(taken_in_offering), 0, output_field=IntegerField()),
        next_session_taken=Coalesce(
            Subquery(taken_in_next_session), 0, output_field=IntegerField()
        ),
    )


def _visible(access: DistrictAccess, status: str) -> QuerySet[Offering]:
    offerings = Offering.objects.filter(district=access.district)
    if not access.can(Perm.MANAGE_CATALOG):
        return offerings.filter(status=OfferingStatus.PUBLISHED)
    if status == ANY_STATUS:
        return offerings
    return offerings.filter(status=status or OfferingStatus.PUBLISHED)


def filter_offerings(
    offerings: QuerySet[Offering], filters: OfferingFilters, *, district: Any
) -> QuerySet[Offering]:
    """Apply every filter but status and sort (shared by the list, the export and the API)."""
    for word in filters.text.split():
        offerings = offerings.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(description__icontains=word)
            | Q(provider__icontains=word)
        )
    if filters.competency is not None:
        aligned = Offering.competencies.through.objects.filter(
            frameworkitem_id__in=_competency_subtree(filters.competency)
        ).values("offering_id")
        offerings = offerings.filter(pk__in=aligned)
    if filters.kind:
        offerings = offerings.filter(kind=filters.kind)
    if filters.format:
        offerings = offerings.filter(format=filters.format)
    if filters.grade_band:
        offerings = offerings.filter(_list_contains("grade_bands", filters.grade_band))
    if filters.career_stage:
        offerings = offerings.filter(_list_contains("career_stages", filters.career_stage))
    if filters.students_served:
        offerings = offerings.filter(_list_contains("students_served", filters.students_served))
    if filters.subject:
        # Free text: part of a subject, in any case ("math" finds "Mathematics").
        needle = filters.subject
        if connection.vendor != "postgresql":
            needle = json.dumps(needle)[1:-1]  # as SQLite stores it (non-ASCII escaped)
        offerings = offerings.filter(subjects__icontains=needle)
    if filters.max_hours is not None:
        offerings = offerings.filter(hours__lte=filters.max_hours)
    if filters.free_only:
        offerings = offerings.filter(cost=0)
    if filters.max_cost is not None:
        offerings = offerings.filter(cost__lte=filters.max_cost)
    if filters.credit_unit:
        offerings = offerings.filter(credit_unit=filters.credit_unit, credit_amount__gt=0)
    if filters.date_from or filters.date_to:
        zone = district_zone(district)
        sessions = OfferingSession.objects.filter(
            offering=OuterRef("pk"), status=OfferingSession.Status.SCHEDULED
        )
        if filters.date_from:
            sessions = sessions.filter(starts_at__gte=_day_start(filters.date_from, zone))
        if filters.date_to:
            end = _day_start(filters.date_to + dt.timedelta(days=1), zone)
            sessions = sessions.filter(starts_at__lt=end)
        offerings = offerings.filter(Exists(sessions))
    return offerings


def _ordered(offerings: QuerySet[Offering], filters: OfferingFilters) -> QuerySet[Offering]:
    if filters.sort == "soonest":
        return offerings.order_by(F("next_starts_at").asc(nulls_last=True), "title", "id")
    if filters.sort == "shortest":
        return offerings.order_by("hours", "title", "id")
    if filters.sort == "cost":
        return offerings.order_by("cost", "title", "id")
    if filters.sort == "newest":
        return offerings.order_by(F("published_at").desc(nulls_last=True), "-created_at", "-id")
    if filters.text:
        # Relevance, roughly: the whole phrase in the title first, then the rest.
        return offerings.annotate(
            title_match=Case(
                When(title__icontains=filters.text, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("title_match", "title", "id")
    return offerings.order_by("title", "id")


# A card shows each competency's code (else title); loading whole items with their framework
# cost as much as the rest of the list's queries.
CARD_COMPETENCY_FIELDS = ("id", "human_code", "title")


def _competencies_prefetch(*, card: bool = False) -> Prefetch:
    items = FrameworkItem.objects.order_by("depth", "position", "id")
    items = items.only(*CARD_COMPETENCY_FIELDS) if card else items.select_related("framework")
    return Prefetch("competencies", items)


def search_offerings(access: DistrictAccess, filters: OfferingFilters) -> QuerySet[Offering]:
    """The catalog as the caller may see it, filtered and sorted. Rows carry no list figures:
    page first, then `cards_for(page)` (or `attach_listing_figures`) adds them for just the
    page's rows; computed in the sorted query, SQLite would work them out for every match."""
    offerings = filter_offerings(
        _visible(access, filters.status), filters, district=access.district
    )
    if filters.sort == "soonest":
        offerings = offerings.annotate(next_starts_at=_next_start())
    return _ordered(offerings, filters)


def attach_listing_figures(
    offerings: list[Offering], *, competencies: Prefetch | None = None
) -> list[Offering]:
    """Set the list figures (next session, seats) and prefetch the competencies of these
    offerings (whole, with their framework, unless `competencies` says otherwise): two queries
    whatever their number."""
    if not offerings:
        return offerings
    figures = {
        row.pop("pk"): row
        for row in with_listing_figures(
            Offering.objects.filter(pk__in=[o.pk for o in offerings])
        ).values(
            "pk", "next_starts_at", "next_session_capacity", "seats_taken", "next_session_taken"
        )
    }
    for offering in offerings:
        for name, value in figures.get(offering.pk, {}).items():
            setattr(offering, name, value)
    prefetch_related_objects(offerings, competencies or _competencies_prefetch())
    return offerings


def offerings_for_export(access: DistrictAccess, filters: OfferingFilters) -> QuerySet[Offering]:
    """The filtered catalog, by title, without the list's figures."""
    offerings = filter_offerings(
        _visible(access, filters.status), filters, district=access.district
    )
    return offerings.order_by("title", "id")


@dataclass(frozen=True)
class OfferingCard:
    """What one catalog list entry shows, worded."""

    offering: Offering
    kind_label: str
    format_label: str
    hours_text: str
    cost_text: str
    credit_text: str
    next_starts_at: dt.datetime | None
    seats_left: int | None  # None: no limit
    waitlist_open: bool

    @property
    def is_full(self) -> bool:
        return self.seats_left == 0


def offering_seats_left(offering: Offering) -> int | None:
    """Free seats from the listing annotations: the offering's (one registration for every
    session) or the next session's (educators choose a session)."""
    if offering.registration == Registration.ONE_SESSION:
        if getattr(offering, "next_starts_at", None) is None:
            return 0
        return seats_left(
            getattr(offering, "next_session_capacity", None),
            getattr(offering, "next_session_taken", 0),
        )
    return seats_left(offering.capacity, getattr(offering, "seats_taken", 0))


def cards_for(offerings: Any) -> list[OfferingCard]:
    """Cards for a page of offerings, figures included (two queries); each offering's
    competencies carry CARD_COMPETENCY_FIELDS only."""
    listed = attach_listing_figures(list(offerings), competencies=_competencies_prefetch(card=True))
    return [card_for(offering) for offering in listed]


def card_for(offering: Offering) -> OfferingCard:
    """The card of an offering that carries the list figures (see attach_listing_figures)."""
    return OfferingCard(
        offering=offering,
        kind_label=offering.get_kind_display(),
        format_label=label_of(FORMAT_CHOICES, offering.format),
        hours_text=hours_text(offering.hours),
        cost_text=money_text(offering.cost),
        credit_text=credit_text(offering.credit_amount, offering.credit_unit),
        next_starts_at=getattr(offering, "next_starts_at", None),
        seats_left=offering_seats_left(offering),
        waitlist_open=offering.waitlist_enabled,
    )


# ---------------------------------------------------------------------------------------------
# one offering
# ---------------------------------------------------------------------------------------------


def get_offering(access: DistrictAccess, public_id: Any, *, viewer: Any = None) -> Offering:
    """One offering of the caller's district. Without MANAGE_CATALOG only a published one, or
    one the viewer has an active or finished enrolment in (so a retired course stays visible to
    the people who took it); anything else is missing."""
    offerings = Offering.objects.filter(
        district=access.district, public_id=public_id_or_404(public_id, "offering")
    )
    if not access.can(Perm.MANAGE_CATALOG):
        visible = Q(status=OfferingStatus.PUBLISHED)
        if viewer is not None and getattr(viewer, "is_authenticated", False):
            took_it = Enrollment.objects.filter(offering=OuterRef("pk"), educator=viewer)
            visible |= Q(status=OfferingStatus.RETIRED) & Exists(took_it)
        offerings = offerings.filter(visible)
    found = (
        with_listing_figures(offerings)
        .select_related("created_by")
        .prefetch_related(_competencies_prefetch())
        .first()
    )
    if found is None:
        raise Http404("No such offering.")
    return found


@dataclass(frozen=True)
class SessionRow:
    session: OfferingSession
    taken: int
    waitlisted: int
    seats_left: int | None

    @property
    def is_cancelled(self) -> bool:
        return self.session.status == OfferingSession.Status.CANCELLED


def session_rows(offering: Offering) -> list[SessionRow]:
    """Every session of the offering, in time order, with its seats (two queries)."""
    sessions = list(
        OfferingSession.objects.filter(offering=offering)
        .select_related("facilitator")
        .order_by("starts_at", "id")
    )
    counts: dict[tuple[int | None, str], int] = {}
    for session_id, status, n in (
        Enrollment.objects.filter(offering=offering, session__isnull=False, status__in=ACTIVE)
        .order_by()
        .values_list("session_id", "status")
        .annotate(n=Count("pk"))
    ):
        counts[(session_id, status)] = n
    rows = []
    for session in sessions:
        taken = sum(counts.get((session.pk, status), 0) for status in SEAT_HOLDING)
        waitlisted = counts.get((session.pk, EnrollmentStatus.WAITLISTED), 0)
        rows.append(
            SessionRow(
                session=session,
                taken=taken,
                waitlisted=waitlisted,
                seats_left=seats_left(session.capacity, taken),
            )
        )
    return rows


def offering_waitlisted(offering: Offering) -> int:
    return Enrollment.objects.filter(offering=offering, status=EnrollmentStatus.WAITLISTED).count()


def enrolment_count(offering: Offering) -> int:
    """Enrolments of any status: an offering with any is never deleted."""
    return Enrollment.objects.filter(offering=offering).count()


def get_session(access: DistrictAccess, public_id: Any) -> OfferingSession:
    """A session of an offering of the caller's district (managers)."""
    found = (
        OfferingSession.objects.filter(
            offering__district=access.district, public_id=public_id_or_404(public_id, "session")
        )
        .select_related("offering", "facilitator")
        .first()
    )
    if found is None:
        raise Http404("No such session.")
    return found


# ---------------------------------------------------------------------------------------------
# managing
# ---------------------------------------------------------------------------------------------


def status_counts(access: DistrictAccess) -> dict[str, int]:
    """Offerings of the district by status (every status present, zeros included)."""
    found = dict(
        Offering.objects.filter(district=access.district)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: found.get(status, 0) for status in OfferingStatus.values}


def managed_offerings(access: DistrictAccess, *, status: str = "") -> QuerySet[Offering]:
    """Every offering of the district (optionally of one status) with session and enrolment
    counts, newest change first."""
    offerings = Offering.objects.filter(district=access.district)
    if status:
        offerings = offerings.filter(status=status)
    sessions = (
        OfferingSession.objects.filter(
            offering=OuterRef("pk"), status=OfferingSession.Status.SCHEDULED
        )
        .order_by()
        .values("offering")
        .annotate(n=Count("pk"))
        .values("n")
    )
    enrolled = (
        Enrollment.objects.filter(offering=OuterRef("pk"), status__in=ACTIVE)
        .order_by()
        .values("offering")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return offerings.annotate(
        session_count=Coalesce(Subquery(sessions), 0, output_field=IntegerField()),
        active_enrolments=Coalesce(Subquery(enrolled), 0, output_field=IntegerField()),
    ).order_by("-updated_at", "-id")


def district_members(district: Any) -> QuerySet:
    """People with an active role in the district: who may facilitate a session."""
    from django.contrib.auth import get_user_model

    from trellis.districts.models import Membership

    member_ids = Membership.objects.filter(district=district, is_active=True).values("user_id")
    return (
        get_user_model()
        .objects.filter(pk__in=member_ids, is_active=True)
        .order_by("full_name", "email")
    )
