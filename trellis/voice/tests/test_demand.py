"""The demand report: exact figures on a small seeded case, sorting, the CSV."""

from __future__ import annotations

import csv
import io

import pytest

from trellis.catalog.models import OfferingStatus
from trellis.catalog.tests.factories import OfferingFactory
from trellis.voice import demand, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(cast, adopted, ask, upvote):
    """Northfield:
    - "Talk" (1.1, Alice, Middle): upvotes Eve, Carol, Ada → 1 request, 3 votes
    - "Feedback" (1.1, Eve, Elementary): upvote Alice → 1 request, 1 vote
    - "Routines" (2.1, Carol, Middle), planned: upvote Pat → 1 request, 1 vote
    - "Phonics" (no competency, Ada, Elementary): none
    - "Circles" (2.2, Pat, Middle), declined, 1 vote: not counted
    - "Withdrawn" (2.2, Eve), withdrawn: not counted
    Southport: "Talk" (Bob) with no votes — never counted in Northfield.
    Volunteers: Eve (mentor, 1.1+1.2; assessor, 1.1), Carol (lead_plc, 1.1, declined).
    Published offerings: two on 1.1, one on 2.1 and a draft on 2.1; one in Southport on 1.1."""
    c11, c12, c21, c22 = adopted.competencies
    dana = cast.access(cast.dana)
    talk = ask(cast.alice, "Talk", competency=c11.public_id)
    for person in (cast.eve, cast.carol, cast.ada):
        upvote(person, talk)
    feedback = ask(cast.eve, "Feedback", competency=c11.public_id)
    upvote(cast.alice, feedback)
    routines = ask(cast.carol, "Routines", competency=c21.public_id)
    upvote(cast.pat, routines)
    services.set_request_status(
        access=dana, actor=cast.dana, topic_request=routines, status="planned"
    )
    ask(cast.ada, "Phonics")
    circles = ask(cast.pat, "Circles", competency=c22.public_id)
    upvote(cast.alice, circles)
    services.set_request_status(
        access=dana, actor=cast.dana, topic_request=circles, status="declined", reason="No"
    )
    gone = ask(cast.eve, "Withdrawn topic", competency=c22.public_id)
    services.withdraw_request(access=cast.access(cast.eve), actor=cast.eve, topic_request=gone)
    ask(cast.bob, "Talk")
    services.offer_to_volunteer(
        access=cast.access(cast.eve),
        actor=cast.eve,
        kind="mentor",
        competencies=[c11.public_id, c12.public_id],
    )
    services.offer_to_volunteer(
        access=cast.access(cast.eve), actor=cast.eve, kind="assessor", competencies=[c11.public_id]
    )
    declined = services.offer_to_volunteer(
        access=cast.access(cast.carol),
        actor=cast.carol,
        kind="lead_plc",
        competencies=[c11.public_id],
    )
    services.set_offer_status(access=dana, actor=cast.dana, offer=declined, status="declined")
    for _ in range(2):
        OfferingFactory(district=cast.district_a).competencies.add(c11)
    OfferingFactory(district=cast.district_a).competencies.add(c21)
    OfferingFactory(district=cast.district_a, status=OfferingStatus.DRAFT).competencies.add(c21)
    OfferingFactory(district=cast.district_b).competencies.add(c11)
    return adopted


def figures(rows):
    return [(r.label, r.requests, r.votes, r.demand, r.volunteers, r.offerings) for r in rows]


def test_demand_by_competency_has_exact_counts(cast, seeded) -> None:
    report = demand.demand_report(cast.district_a)
    assert figures(report.competencies) == [
        ("1.1 Competency 1.1", 2, 4, 6, 1, 2),
        ("2.1 Competency 2.1", 1, 1, 2, 0, 1),
        ("No competency named", 1, 0, 1, 0, 0),
        ("1.2 Competency 1.2", 0, 0, 0, 1, 0),
        ("2.2 Competency 2.2", 0, 0, 0, 0, 0),
    ]
    assert (report.total_requests, report.total_votes) == (4, 5)


def test_demand_by_school_has_exact_counts(cast, seeded) -> None:
    report = demand.demand_report(cast.district_a)
    assert [(r.label, r.requests, r.votes, r.demand) for r in report.schools] == [
        ("Northfield Middle", 2, 4, 6),
        ("Northfield Elementary", 2, 1, 3),
    ]


def test_sorting(cast, seeded) -> None:
    by_volunteers = demand.demand_report(cast.district_a, competency_sort="volunteers")
    assert [r.label for r in by_volunteers.competencies][:2] == [
        "1.1 Competency 1.1",
        "1.2 Competency 1.2",
    ]
    by_name = demand.demand_report(cast.district_a, competency_sort="name", school_sort="name")
    assert [r.label for r in by_name.competencies] == [
        "1.1 Competency 1.1",
        "1.2 Competency 1.2",
        "2.1 Competency 2.1",
        "2.2 Competency 2.2",
        "No competency named",
    ]
    assert [r.label for r in by_name.schools] == ["Northfield Elementary", "Northfield Middle"]
    unknown = demand.demand_report(cast.district_a, competency_sort="drop table")
    assert unknown.competencies[0].label == "1.1 Competency 1.1"


def test_the_other_district_sees_only_its_own(cast, seeded) -> None:
    report = demand.demand_report(cast.district_b)
    assert figures(report.competencies) == [("No competency named", 1, 0, 1, 0, 0)]
    assert [(r.label, r.requests, r.votes) for r in report.schools] == [("Southport High", 1, 0)]


def test_the_report_takes_a_fixed_number_of_queries(
    cast, seeded, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(10):
        demand.demand_report(cast.district_a)


def test_csv_downloads(cast, seeded, client_for) -> None:
    client = client_for(cast.dana)
    response = client.get("/voice/demand/competencies.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="demand-by-competency-')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        [
            "competency",
            "domain",
            "requests",
            "votes",
            "demand",
            "volunteers",
            "published_offerings",
        ],
        ["1.1 Competency 1.1", "1 Domain 1", "2", "4", "6", "1", "2"],
        ["2.1 Competency 2.1", "2 Domain 2", "1", "1", "2", "0", "1"],
        ["No competency named", "", "1", "0", "1", "0", "0"],
        ["1.2 Competency 1.2", "1 Domain 1", "0", "0", "0", "1", "0"],
        ["2.2 Competency 2.2", "2 Domain 2", "0", "0", "0", "0", "0"],
    ]
    schools = client.get("/voice/demand/schools.csv")
    assert list(csv.reader(io.StringIO(schools.content.decode()))) == [
        ["school", "requests", "votes", "demand"],
        ["Northfield Middle", "2", "4", "6"],
        ["Northfield Elementary", "2", "1", "3"],
    ]
    assert client.get("/voice/demand/people.csv").status_code == 404


def test_csv_neutralises_formulas(cast, client_for) -> None:
    cast.middle_a.name = "=HYPERLINK(1)"
    cast.middle_a.save()
    response = client_for(cast.dana).get("/voice/demand/schools.csv")
    assert "'=HYPERLINK(1)" in response.content.decode()


def test_csv_and_page_are_for_pd_leaders(cast, client_for) -> None:
    client = client_for(cast.alice)
    assert client.get("/voice/demand/competencies.csv").status_code == 403
    assert client.get("/voice/demand/").status_code == 403
