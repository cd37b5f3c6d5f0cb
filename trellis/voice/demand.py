"""The demand report: what educators ask for, by competency and by school, beside the supply
(volunteers and published offerings). A fixed number of queries, whatever the district's size."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from trellis.catalog.models import Offering, OfferingStatus
from trellis.growth import queries as growth_queries
from trellis.voice.models import (
    ACTIVE_REQUEST_STATUSES,
    TopicRequest,
    TopicVote,
    VolunteerOffer,
    VolunteerStatus,
)

# Volunteers who may still lead something: not declined, not withdrawn.
COUNTED_VOLUNTEER_STATUSES = (
    VolunteerStatus.OPEN,
    VolunteerStatus.CONTACTED,
    VolunteerStatus.ACCEPTED,
)


@dataclass(frozen=True)
class CompetencyDemand:
    competency: Any  # FrameworkItem, or None for requests linked to no competency
    label: str
    domain: str
    requests: int
    votes: int
    volunteers: int
    offerings: int

    @property
    def demand(self) -> int:
        """People asking: each request is its requester's ask, each upvote another person's."""
        return self.requests + self.votes

    @property
    def key(self) -> str:
        return str(self.competency.public_id) if self.competency is not None else "none"


@dataclass(frozen=True)
class SchoolDemand:
    school: Any  # School, or None for requesters without a school
    label: str
    requests: int
    votes: int

    @property
    def demand(self) -> int:
        return self.requests + self.votes


@dataclass(frozen=True)
class DemandReport:
    competencies: list[CompetencyDemand]
    schools: list[SchoolDemand]

    @property
    def total_requests(self) -> int:
        return sum(row.requests for row in self.schools)

    @property
    def total_votes(self) -> int:
        return sum(row.votes for row in self.schools)


COMPETENCY_SORTS = ("demand", "requests", "votes", "volunteers", "offerings", "name")
SCHOOL_SORTS = ("demand", "requests", "votes", "name")


def _sorted(rows: list, sort: str) -> list:
    if sort == "name":
        return rows  # already in framework (or alphabetical) order
    attribute = sort if sort in COMPETENCY_SORTS else "demand"
    # stable: ties keep framework / name order
    return sorted(rows, key=lambda row: -getattr(row, attribute))


def _counts(rows: Any, key: str) -> Counter:
    return Counter({row[key]: row["n"] for row in rows})


def demand_report(
    district: Any, *, competency_sort: str = "demand", school_sort: str = "demand"
) -> DemandReport:
    active = {"status__in": ACTIVE_REQUEST_STATUSES}
    requests_by_competency = _counts(
        TopicRequest.objects.filter(district=district, **active)
        .values("competency_id")
        .annotate(n=Count("pk"))
        .order_by(),
        "competency_id",
    )
    votes_by_competency = _counts(
        TopicVote.objects.filter(
            request__district=district, request__status__in=active["status__in"]
        )
        .values("request__competency_id")
        .annotate(n=Count("pk"))
        .order_by(),
        "request__competency_id",
    )
    volunteers = _counts(
        VolunteerOffer.competencies.through.objects.filter(
            volunteeroffer__district=district,
            volunteeroffer__status__in=COUNTED_VOLUNTEER_STATUSES,
        )
        .values("frameworkitem_id")
        .annotate(n=Count("volunteeroffer__volunteer", distinct=True))
        .order_by(),
        "frameworkitem_id",
    )
    offerings = _counts(
        Offering.competencies.through.objects.filter(
            offering__district=district, offering__status=OfferingStatus.PUBLISHED
        )
        .values("frameworkitem_id")
        .annotate(n=Count("offering_id", distinct=True))
        .order_by(),
        "frameworkitem_id",
    )

    framework = growth_queries.adopted_framework(district)
    cmap = growth_queries.competency_map(framework) if framework else None
    competency_rows: list[CompetencyDemand] = []
    if cmap is not None:
        domains = cmap.domain_of()
        for item in cmap.competencies:
            competency_rows.append(
                CompetencyDemand(
                    competency=item,
                    label=str(item),
                    domain=domains.get(item.pk, ""),
                    requests=requests_by_competency[item.pk],
                    votes=votes_by_competency[item.pk],
                    volunteers=volunteers[item.pk],
                    offerings=offerings[item.pk],
                )
            )
    if requests_by_competency[None]:
        competency_rows.append(
            CompetencyDemand(
                competency=None,
                label="No competency named",
                domain="",
                requests=requests_by_competency[None],
                votes=votes_by_competency[None],
                volunteers=0,
                offerings=0,
            )
        )

    school_requests = _counts(
        TopicRequest.objects.filter(district=district, **active)
        .values("school_id")
        .annotate(n=Count("pk"))
        .order_by(),
        "school_id",
    )
    school_votes = _counts(
        TopicVote.objects.filter(
            request__district=district, request__status__in=active["status__in"]
        )
        .values("request__school_id")
        .annotate(n=Count("pk"))
        .order_by(),
        "request__school_id",
    )
    school_rows = [
        SchoolDemand(
            school=school,
            label=school.name,
            requests=school_requests[school.pk],
            votes=school_votes[school.pk],
        )
        for school in district.schools.order_by("name", "pk")
    ]
    if school_requests[None]:
        school_rows.append(
            SchoolDemand(
                school=None,
                label="No school",
                requests=school_requests[None],
                votes=school_votes[None],
            )
        )
    return DemandReport(
        competencies=_sorted(competency_rows, competency_sort),
        schools=_sorted(school_rows, school_sort if school_sort in SCHOOL_SORTS else "demand"),
    )


COMPETENCY_CSV_HEADER = [
    "competency",
    "domain",
    "requests",
    "votes",
    "demand",
    "volunteers",
    "published_offerings",
]
SCHOOL_CSV_HEADER = ["school", "requests", "votes", "demand"]


def competency_csv_rows(report: DemandReport) -> list[list[Any]]:
    return [
        [r.label, r.domain, r.requests, r.votes, r.demand, r.volunteers, r.offerings]
        for r in report.competencies
    ]


def school_csv_rows(report: DemandReport) -> list[list[Any]]:
    return [[r.label, r.requests, r.votes, r.demand] for r in report.schools]
