"""Drill-down: the list of people or records behind a dashboard number.

A drill key is an opaque string made by `drill_key` ("participants:school=<uuid>"); on the way
back in it is parsed strictly (anything unknown is a 404), resolved inside the caller's district
and checked against their report scope, then combined with the page's filters.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, Sum
from django.http import Http404

from trellis.catalog.models import Enrollment, EnrollmentStatus, Offering
from trellis.districts.models import School
from trellis.frameworks.models import FrameworkItem
from trellis.growth.career import CareerStage
from trellis.growth.models import Position
from trellis.microcredentials.models import Submission
from trellis.reports.filters import ReportFilters
from trellis.reports.models import (
    ReportEducator,
    ReportOffering,
    ReportOfferingCompetency,
    ReportParticipation,
)
from trellis.reports.permissions import ReportScope, report_scope
from trellis.reports.scoping import NO_SCHOOL, money, scoped
from trellis.reports.tables import Column, ColumnKind

MAX_PER_PAGE = 200
ASSESSMENT_DAYS_TARGET = 14  # "assessed within two weeks", the promise made to educators
PAID = (EnrollmentStatus.ENROLLED, EnrollmentStatus.COMPLETED, EnrollmentStatus.NO_SHOW)
OPEN_NOW = (EnrollmentStatus.PENDING_APPROVAL, EnrollmentStatus.ENROLLED)
AT_RISK = ("behind_pace", "past_deadline")
RENEWAL_STATUSES = ("on_track", "behind_pace", "past_deadline", "complete", "at_risk")
MC_STAGES = {
    "started": "created_at",
    "submitted": "submitted_at",
    "earned": "earned_at",
    "assessed": "decided_at",
}
# kind → (allowed parameters, table to go back to)
KINDS: dict[str, tuple[frozenset[str], str]] = {
    "educators": (frozenset({"school", "role", "stage"}), "participation_by_school"),
    "participants": (frozenset({"school", "role", "stage", "month"}), "participation_over_time"),
    "renewal": (frozenset({"school", "status"}), "renewal_at_risk"),
    "mc": (frozenset({"step", "school"}), "microcredential_funnel"),
    "gaps": (frozenset({"competency", "school"}), "need_by_school"),
    "seats": (frozenset({"offering", "school", "competency", "status"}), "spending_by_offering"),
    "offerings": (frozenset({"competency", "vetted"}), "need_vs_supply"),
}
_VALUE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def drill_key(kind: str, **params: str) -> str:
    """The key for the list behind a number; parameters sorted so equal lists share a key."""
    body = ";".join(f"{name}={value}" for name, value in sorted(params.items()))
    return f"{kind}:{body}" if body else f"{kind}:"


def parse_drill(drill: str) -> tuple[str, dict[str, str]]:
    kind, sep, body = (drill or "").partition(":")
    if not sep or kind not in KINDS:
        raise Http404("No such list.")
    allowed = KINDS[kind][0]
    params: dict[str, str] = {}
    for part in filter(None, body.split(";")):
        name, eq, value = part.partition("=")
        if not eq or name not in allowed or name in params or not _VALUE.match(value):
            raise Http404("No such list.")
        params[name] = value
    return kind, params


@dataclass(frozen=True)
class DrillList:
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    total: int
    page: int
    per_page: int
    num_pages: int
    back_table: str | None
    # Which part of the figure the list is, in words ("School: Riverside Elementary").
    subset: tuple[tuple[str, str], ...] = ()


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404("No such list.") from None


def _school(access: Any, scope: ReportScope, value: str) -> School | None:
    """The school named in a key (None: "no school"), 404 outside the district or scope."""
    if value == NO_SCHOOL:
        if not scope.whole_district:
            raise Http404("No such school.")
        return None
    school = School.objects.filter(district=access.district, public_id=_uuid(value)).first()
    if school is None or not scope.allows_school(school.pk):
        raise Http404("No such school.")
    return school


def _choice(value: str, allowed: list[str]) -> str:
    if value == NO_SCHOOL:
        return ""
    if value not in allowed:
        raise Http404("No such list.")
    return value


def _competency(access: Any, value: str) -> FrameworkItem:
    item = FrameworkItem.objects.filter(
        framework__district=access.district, public_id=_uuid(value)
    ).first()
    if item is None:
        raise Http404("No such competency.")
    return item


def _month_range(filters: ReportFilters) -> tuple[dt.date | None, dt.date | None]:
    """[first day of the from-month, first day after the to-month) for raw timestamps."""
    end = None
    if filters.month_to:
        to = filters.month_to
        end = dt.date(to.year + (to.month == 12), to.month % 12 + 1, 1)
    return filters.month_from, end


def _people(access: Any, scope: ReportScope, filters: ReportFilters, params: dict[str, str]) -> Any:
    people = scoped(ReportEducator.objects, access, scope, filters, dated=False)
    if "school" in params:
        people = people.filter(school=_school(access, scope, params["school"]))
    if "role" in params:
        people = people.filter(role=_choice(params["role"], Position.values))
    if "stage" in params:
        people = people.filter(
            career_stage=_choice(params["stage"], [s.value for s in CareerStage])
        )
    return people


PERSON_COLUMNS = [
    Column("name", "Name"),
    Column("email", "Email"),
    Column("school", "School"),
    Column("role", "Role"),
    Column("stage", "Career stage"),
]


def _person_row(row: ReportEducator) -> list[Any]:
    return [
        row.educator.full_name,
        row.educator.email,
        row.school.name if row.school else "",
        Position(row.role).label if row.role else "",
        CareerStage(row.career_stage).label if row.career_stage else "",
    ]


def _paged(items: Any, page: int, per_page: int) -> tuple[list[Any], int, int, int]:
    total = items.count() if hasattr(items, "count") and not isinstance(items, list) else len(items)
    num_pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), num_pages)
    start = (page - 1) * per_page
    return list(items[start : start + per_page]), total, page, num_pages


def drill_down(
    access: Any, filters: ReportFilters, drill: str, *, page: int = 1, per_page: int = 50
) -> DrillList:
    scope = report_scope(access)
    kind, params = parse_drill(drill)
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    build = {
        "educators": _educators,
        "participants": _participants,
        "renewal": _renewal,
        "mc": _submissions,
        "gaps": _gaps,
        "seats": _seats,
        "offerings": _offerings,
    }[kind]
    title, columns, items, convert = build(access, scope, filters, params)
    found, total, page, num_pages = _paged(items, page, per_page)
    return DrillList(
        subset=_describe(access, scope, kind, params),
        title=title,
        columns=columns,
        rows=convert(found),
        total=total,
        page=page,
        per_page=per_page,
        num_pages=num_pages,
        back_table=KINDS[kind][1],
    )


SUBSET_LABELS = {
    "on_track": "On track",
    "behind_pace": "Behind pace",
    "past_deadline": "Past deadline",
    "complete": "Complete",
    "at_risk": "At risk (behind pace or past the deadline)",
    "active": "Requested or enrolled now",
    "completed": "Completed",
}


def _describe(
    access: Any, scope: ReportScope, kind: str, params: dict[str, str]
) -> tuple[tuple[str, str], ...]:
    """The list's own parameters in words, so the page says which row or bar it came from.
    A competency already in the title is not repeated."""
    said: list[tuple[str, str]] = []
    if "school" in params:
        school = _school(access, scope, params["school"])
        said.append(("School", school.name if school else "No school on record"))
    if "role" in params:
        role = _choice(params["role"], Position.values)
        said.append(("Role", Position(role).label if role else "No role on record"))
    if "stage" in params:
        stage = _choice(params["stage"], [s.value for s in CareerStage])
        said.append(("Career stage", CareerStage(stage).label if stage else "Not known"))
    if "month" in params:
        said.append(("Month", dt.date.fromisoformat(params["month"] + "-01").strftime("%B %Y")))
    if "offering" in params:
        offering = Offering.objects.filter(
            district=access.district, public_id=_uuid(params["offering"])
        ).first()
        said.append(("Offering", offering.title if offering else ""))
    if "competency" in params and kind == "seats":  # the other lists name it in the title
        said.append(("Competency", str(_competency(access, params["competency"]))))
    if "status" in params:
        said.append(("Status", SUBSET_LABELS.get(params["status"], params["status"])))
    if params.get("vetted") == "yes":
        said.append(("Vetting", "Vetted only"))
    return tuple(said)


def _ordered_people(people: Any) -> Any:
    return people.select_related("educator", "school").order_by(
        "educator__full_name", "educator__email", "pk"
    )


def _educators(access, scope, filters, params):
    people = _ordered_people(_people(access, scope, filters, params))
    return "Educators", PERSON_COLUMNS, people, lambda rows: [_person_row(r) for r in rows]


def _participants(access, scope, filters, params):
    learning = scoped(ReportParticipation.objects, access, scope, filters)
    if "month" in params:
        try:
            month = dt.date.fromisoformat(params["month"] + "-01")
        except ValueError:
            raise Http404("No such list.") from None
        learning = learning.filter(month=month)
    people = _people(access, scope, filters, params).filter(
        educator_id__in=learning.values("educator_id")
    )

    def convert(rows: list[ReportEducator]) -> list[list[Any]]:
        hours = dict(
            learning.filter(educator_id__in=[r.educator_id for r in rows])
            .values_list("educator_id")
            .annotate(total=Sum("hours"))
            .values_list("educator_id", "total")
            .order_by()
        )
        return [[*_person_row(r), hours.get(r.educator_id, 0)] for r in rows]

    columns = [*PERSON_COLUMNS, Column("hours", "Hours", ColumnKind.DECIMAL)]
    return "Educators who took part", columns, _ordered_people(people), convert


def _renewal(access, scope, filters, params):
    people = _people(access, scope, filters, params).exclude(renewal_status__in=("", "no_rule_set"))
    status = params.get("status")
    if status is not None:
        if status not in RENEWAL_STATUSES:
            raise Http404("No such list.")
        people = people.filter(renewal_status__in=AT_RISK if status == "at_risk" else (status,))
    columns = [
        *PERSON_COLUMNS,
        Column("status", "Renewal status"),
        Column("deadline", "Deadline", ColumnKind.DATE),
    ]
    labels = {
        "on_track": "On track",
        "behind_pace": "Behind pace",
        "past_deadline": "Past deadline",
        "complete": "Complete",
    }
    people = people.select_related("educator", "school").order_by(
        "renewal_deadline", "educator__full_name", "pk"
    )
    return (
        "Renewal standing",
        columns,
        people,
        lambda rows: [
            [*_person_row(r), labels.get(r.renewal_status, r.renewal_status), r.renewal_deadline]
            for r in rows
        ],
    )


def _submissions(access, scope, filters, params):
    stage = params.get("step", "started")
    if stage not in MC_STAGES:
        raise Http404("No such list.")
    field = MC_STAGES[stage]
    people = _people(access, scope, filters, params)
    rows = Submission.objects.filter(
        district=access.district,
        educator_id__in=people.values("educator_id"),
        **{f"{field}__isnull": False},
    )
    start, end = _month_range(filters)
    if start:
        rows = rows.filter(**{f"{field}__date__gte": start})
    if end:
        rows = rows.filter(**{f"{field}__date__lt": end})
    rows = rows.select_related("educator", "version").order_by(f"-{field}", "pk")
    columns = [
        Column("educator", "Educator"),
        Column("micro_credential", "Micro-credential"),
        Column("status", "Status"),
        Column("submitted", "Submitted", ColumnKind.DATE),
        Column("decided", "First decision", ColumnKind.DATE),
    ]

    def convert(found: list[Submission]) -> list[list[Any]]:
        return [
            [
                s.educator.full_name,
                s.version.title,
                s.get_status_display(),
                s.submitted_at.date() if s.submitted_at else None,
                s.decided_at.date() if s.decided_at else None,
            ]
            for s in found
        ]

    titles = {
        "started": "Micro-credentials started",
        "submitted": "Micro-credentials submitted",
        "earned": "Micro-credentials earned",
        "assessed": "Micro-credential submissions assessed",
    }
    return titles[stage], columns, rows, convert


def _gaps(access, scope, filters, params):
    from trellis.reports.summaries import gap_ratings

    if "competency" not in params:
        raise Http404("No such list.")
    item = _competency(access, params["competency"])
    people = _people(access, scope, filters, params)
    gapped = gap_ratings(access.district).filter(item=item).values("assessment__educator_id")
    people = _ordered_people(people.filter(educator_id__in=gapped))
    return (
        f"Educators with a gap in {item}",
        PERSON_COLUMNS,
        people,
        lambda rows: [_person_row(r) for r in rows],
    )


def _seats(access, scope, filters, params):
    people = _people(access, scope, filters, params)
    rows = Enrollment.objects.filter(
        district=access.district, educator_id__in=people.values("educator_id")
    )
    status = params.get("status")
    if status == "active":
        rows = rows.filter(status__in=OPEN_NOW)
    else:
        if status not in (None, "completed"):
            raise Http404("No such list.")
        rows = rows.filter(status__in=(EnrollmentStatus.COMPLETED,) if status else PAID)
        start, end = _month_range(filters)
        decided = Q(decided_at__isnull=False)
        if start:
            rows = rows.filter(
                (decided & Q(decided_at__date__gte=start))
                | (~decided & Q(requested_at__date__gte=start))
            )
        if end:
            rows = rows.filter(
                (decided & Q(decided_at__date__lt=end)) | (~decided & Q(requested_at__date__lt=end))
            )
    if "offering" in params:
        offering = Offering.objects.filter(
            district=access.district, public_id=_uuid(params["offering"])
        ).first()
        if offering is None:
            raise Http404("No such offering.")
        rows = rows.filter(offering=offering)
    competency = (
        _competency(access, params["competency"]) if "competency" in params else filters.competency
    )
    if competency is not None:
        rows = rows.filter(
            offering_id__in=ReportOfferingCompetency.objects.filter(
                district=access.district, competency=competency
            ).values("offering_id")
        )
    rows = rows.select_related("educator", "offering", "school").order_by(
        "offering__title", "educator__full_name", "pk"
    )
    columns = [
        Column("educator", "Educator"),
        Column("offering", "Offering"),
        Column("school", "School"),
        Column("status", "Status"),
        Column("cost", "Cost", ColumnKind.MONEY),
    ]

    def convert(found: list[Enrollment]) -> list[list[Any]]:
        return [
            [
                e.educator.full_name,
                e.offering.title,
                e.school.name if e.school else "",
                e.get_status_display(),
                money(e.offering.cost),
            ]
            for e in found
        ]

    return "Enrolments", columns, rows, convert


def _offerings(access, scope, filters, params):
    if "competency" not in params:
        raise Http404("No such list.")
    item = _competency(access, params["competency"])
    rows = ReportOffering.objects.filter(
        district=access.district,
        status="published",
        offering_id__in=ReportOfferingCompetency.objects.filter(
            district=access.district, competency=item
        ).values("offering_id"),
    )
    vetted = params.get("vetted")
    if vetted not in (None, "yes"):
        raise Http404("No such list.")
    if vetted:
        rows = rows.filter(vetted=True)
    columns = [
        Column("offering", "Offering"),
        Column("vetting", "Vetting"),
        Column("cost", "Cost per participant", ColumnKind.MONEY),
        Column("hours", "Hours", ColumnKind.DECIMAL),
    ]
    labels = {True: "Vetted", False: "Essentials unmet", None: "Never reviewed"}
    return (
        f"Offerings addressing {item}",
        columns,
        rows.order_by("title", "pk"),
        lambda found: [[o.title, labels[o.vetted], money(o.cost), o.hours] for o in found],
    )
