"""The district's credit pages: settings, lanes, licences list and filters, one educator's credit,
revoking, and the state-reporting export. Permissions, tenancy, query counts, bad input."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trellis.audit.models import AuditEvent
from trellis.credit.models import CreditAward, CreditSettings, License, SalaryLane
from trellis.credit.tests.factories import CreditAwardFactory, LicenseFactory, SalaryLaneFactory
from trellis.credit.tests.ledgers import award, texas_ledger
from trellis.districts.models import Role
from trellis.districts.tests.factories import MembershipFactory

D = Decimal
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 23, 15, tzinfo=dt.UTC), tick=False):
        yield


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def listed(response) -> list[str]:
    return re.findall(r'<span class="muted">([^<]+@[^<]+)</span>', response.content.decode())


def counts() -> tuple[int, ...]:
    return (
        CreditSettings.objects.count(),
        License.objects.count(),
        SalaryLane.objects.count(),
        CreditAward.objects.count(),
        CreditAward.objects.filter(revoked_at__isnull=False).count(),
        AuditEvent.objects.count(),
    )


# ---------------------------------------------------------------------------------------------
# who may manage credit
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "carol", "pat", "ada"])
@pytest.mark.parametrize(
    "url", ["/credit/manage/", "/credit/manage/licences/", "/credit/manage/export.csv"]
)
def test_only_credit_managers_reach_the_manage_pages(cast, client_for, who, url):
    response = client_for(getattr(cast, who)).get(url)

    assert response.status_code == 403


def test_posts_from_non_managers_are_refused_and_write_nothing(cast, client_for):
    before = counts()
    client = client_for(cast.alice)

    responses = [
        client.post("/credit/manage/", {"hours_per_salary_credit": "10"}),
        client.post("/credit/manage/lanes/", {"name": "A", "position": "1", "credits_required": "1"}),
        client.post(
            f"/credit/manage/educators/{cast.alice.public_id}/credit/",
            {"title": "Self-awarded", "completed_on": "2026-01-01", "amount": "100",
             "unit": "clock_hour", "category": "course"},
        ),
    ]  # fmt: skip

    assert [r.status_code for r in responses] == [403, 403, 403]
    assert counts() == before


# ---------------------------------------------------------------------------------------------
# settings and lanes
# ---------------------------------------------------------------------------------------------


def test_the_settings_form_saves_and_explains_bad_input(cast, client_for):
    client = client_for(cast.dana)
    assert client.get("/credit/manage/").status_code == 200

    bad = client.post(
        "/credit/manage/",
        {"jurisdiction": "", "default_cycle_start": "", "hours_per_salary_credit": "0"},
    )
    assert bad.status_code == 400
    assert "The hours per salary-lane credit must be more than 0, not 0." in text(bad)
    assert CreditSettings.objects.count() == 0

    good = client.post(
        "/credit/manage/",
        {
            "jurisdiction": "NY",
            "default_cycle_start": "2024-07-01",
            "hours_per_salary_credit": "10",
        },
    )
    assert (good.status_code, good["Location"]) == (302, "/credit/manage/")
    row = CreditSettings.objects.get(district=cast.district_a)
    assert (row.jurisdiction, row.default_cycle_start, row.hours_per_salary_credit) == (
        "NY",
        dt.date(2024, 7, 1),
        D(10),
    )
    assert "Rules in use now: NY." in text(client.get("/credit/manage/"))


def test_lanes_are_added_edited_and_deleted_from_the_pages(cast, client_for):
    client = client_for(cast.dana)
    response = client.post(
        "/credit/manage/lanes/",
        {
            "name": "BA+15",
            "position": "1",
            "credits_required": "100",
            "micro_credentials_required": "",
        },
    )
    assert response.status_code == 302
    lane = SalaryLane.objects.get(district=cast.district_a)

    clash = client.post(
        "/credit/manage/lanes/", {"name": "BA+30", "position": "2", "credits_required": "90"}
    )
    assert clash.status_code == 400
    assert "requirements must increase with position" in text(clash)
    assert SalaryLane.objects.count() == 1

    edit_page = client.get(f"/credit/manage/lanes/{lane.public_id}/")
    assert 'value="100"' in edit_page.content.decode()  # not 1E+2
    edited = client.post(
        f"/credit/manage/lanes/{lane.public_id}/",
        {"name": "BA+12", "position": "1", "credits_required": "12", "description": "Twelve"},
    )
    assert edited.status_code == 302
    lane.refresh_from_db()
    assert (lane.name, lane.credits_required, lane.description) == ("BA+12", D(12), "Twelve")
    assert "BA+12" in text(client.get("/credit/manage/"))

    deleted = client.post(f"/credit/manage/lanes/{lane.public_id}/delete/")
    assert deleted.status_code == 302
    assert SalaryLane.objects.count() == 0


def test_another_districts_lane_is_not_found(cast, client_for):
    theirs = SalaryLaneFactory(district=cast.district_b, name="Theirs", position=1)
    client = client_for(cast.dana)

    assert client.get(f"/credit/manage/lanes/{theirs.public_id}/").status_code == 404
    assert client.post(f"/credit/manage/lanes/{theirs.public_id}/delete/").status_code == 404
    assert SalaryLane.objects.filter(pk=theirs.pk).exists()


# ---------------------------------------------------------------------------------------------
# the licences list
# ---------------------------------------------------------------------------------------------


def test_the_licences_list_shows_educators_with_licence_progress_and_status(cast, client_for):
    texas_ledger(cast)  # alice: licence, behind pace
    LicenseFactory(
        district=cast.district_a,
        educator=cast.eve,
        number="TX-9",
        cycle_start=dt.date(2026, 7, 1),
        cycle_end=dt.date(2031, 6, 30),
    )
    award(cast, educator=cast.eve, completed_on=dt.date(2026, 8, 1), amount=D(20))

    response = client_for(cast.dana).get("/credit/manage/licences/")

    assert response.status_code == 200
    # educators (an active educator role), by name: dana has no educator role
    assert listed(response) == [
        "ada@northfield.test",
        "alice@northfield.test",
        "carol@northfield.test",
        "eve@northfield.test",
        "pat@northfield.test",
    ]
    page = text(response)
    assert (
        "Alice Archer alice@northfield.test Northfield Middle TX/classroom_teacher no. TX-778 "
        "31 Aug 2027 79 of 150 CPE hours (52.6%) Behind pace" in page
    )
    assert (
        "Eve Evans eve@northfield.test Northfield Elementary TX/classroom_teacher no. TX-9" in page
    )
    assert "20 of 150 CPE hours (13.3%) On track" in page
    assert (
        "Carol Cruz carol@northfield.test Northfield Middle None assumed TX/classroom_teacher"
        in page
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=at_risk", ["alice@northfield.test"]),
        (
            "status=no_licence",
            ["ada@northfield.test", "carol@northfield.test", "pat@northfield.test"],
        ),
        ("rule_set=TX/counselor", ["eve@northfield.test"]),
        ("school=ELEMENTARY", ["ada@northfield.test", "eve@northfield.test"]),
        ("school=ELEMENTARY&status=no_licence", ["ada@northfield.test"]),
    ],
)
def test_the_licences_list_filters(cast, client_for, query, expected):
    texas_ledger(cast)
    LicenseFactory(district=cast.district_a, educator=cast.eve, rule_set_key="TX/counselor",
                   cycle_start=dt.date(2026, 7, 1), cycle_end=dt.date(2031, 6, 30))  # fmt: skip
    query = query.replace("ELEMENTARY", str(cast.elementary_a.public_id))

    response = client_for(cast.dana).get(f"/credit/manage/licences/?{query}")

    assert response.status_code == 200
    assert listed(response) == expected


def test_a_bad_filter_value_is_explained_and_ignored(cast, client_for):
    response = client_for(cast.dana).get("/credit/manage/licences/?status=bogus")

    assert response.status_code == 200
    assert "Select a valid choice. bogus is not one of the available choices." in text(response)
    assert len(listed(response)) == 5


def add_educators(cast, count: int, prefix: str) -> None:
    for number in range(count):
        person = MembershipFactory(
            district=cast.district_a, role=Role.EDUCATOR, school=cast.middle_a,
            user__email=f"{prefix}{number}@northfield.test", user__full_name=f"Zed {prefix} {number}",
        ).user  # fmt: skip
        award(cast, educator=person, amount=D(3))
        if number % 2:
            LicenseFactory(district=cast.district_a, educator=person)


@pytest.mark.parametrize("query", ["", "?status=at_risk"])
def test_the_licences_list_costs_the_same_queries_for_few_or_many_educators(
    cast, client_for, django_assert_max_num_queries, query
):
    client = client_for(cast.dana)
    add_educators(cast, 4, "few")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/credit/manage/licences/{query}")
    add_educators(cast, 40, "many")

    with django_assert_max_num_queries(20), CaptureQueriesContext(connection) as many:
        response = client.get(f"/credit/manage/licences/{query}&page=2".replace("/&", "/?"))

    assert response.status_code == 200
    # page 2 of 49 educators; the 22 at risk (a licence since 2022, 3 hours) fit on page 1
    assert len(listed(response)) == (24 if not query else 22)
    assert len(many) == len(few)


# ---------------------------------------------------------------------------------------------
# one educator's credit
# ---------------------------------------------------------------------------------------------


def test_the_educator_page_sets_a_licence_and_refuses_bad_dates(cast, client_for):
    client = client_for(cast.dana)
    url = f"/credit/manage/educators/{cast.alice.public_id}/"
    assert "None on record." in text(client.get(url))

    bad = client.post(
        f"{url}licence/",
        {"rule_set_key": "TN/professional_renewal", "number": "TN-1", "cycle_start": "2024-07-01"},
    )
    assert bad.status_code == 400
    assert "The Tennessee rules leave the cycle to the licence" in text(bad)
    assert License.objects.count() == 0

    good = client.post(
        f"{url}licence/",
        {"rule_set_key": "TX/counselor", "number": "TX-55", "cycle_start": "2024-07-01"},
    )
    assert (good.status_code, good["Location"]) == (302, url)
    found = License.objects.get(educator=cast.alice)
    assert (found.rule_set_key, found.cycle_end) == ("TX/counselor", dt.date(2029, 6, 30))
    page = text(client.get(url))
    assert "TX/counselor, no. TX-55: 1 Jul 2024 to 30 Jun 2029." in page
    assert "0 of 200 CPE hours count under TX/counselor" in page

    removed = client.post(f"{url}licence/remove/")
    assert removed.status_code == 302
    assert License.objects.count() == 0


def test_the_educator_page_records_external_credit(cast, client_for):
    client = client_for(cast.dana)
    url = f"/credit/manage/educators/{cast.alice.public_id}/"
    data = {
        "title": "Graduate reading course",
        "provider": "State University",
        "completed_on": "2026-10-01",
        "amount": "3",
        "unit": "semester_hour",
        "category": "college_course",
        "hours": "",
        "topics": "reading",
        "provider_approved": "yes",
        "related_to_certificate": "on",
        "evidence_note": "Transcript on file.",
    }

    future = client.post(f"{url}credit/", {**data, "completed_on": "2027-01-01"})
    assert future.status_code == 400
    assert "The completion date 2027-01-01 is in the future" in text(future)
    assert CreditAward.objects.count() == 0

    response = client.post(f"{url}credit/", data)
    assert response.status_code == 302
    recorded = CreditAward.objects.get(educator=cast.alice)
    assert (recorded.source, recorded.hours, recorded.provider_approved, recorded.topics) == (
        "external",
        D(45),
        True,
        ["reading"],
    )
    page = text(client.get(url))
    assert (
        "Graduate reading course State University Recorded by the district 3 semester hours 45"
        in page
    )


def test_revoking_an_award_from_the_pages(cast, client_for):
    mistaken = award(cast, title="Entered twice")
    client = client_for(cast.dana)
    url = f"/credit/manage/awards/{mistaken.public_id}/revoke/"
    assert "Revoke “Entered twice”" in text(client.get(url))

    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 400
    assert CreditAward.objects.filter(revoked_at__isnull=False).count() == 0

    done = client.post(url, {"reason": "Duplicate of the district record."})
    assert (done.status_code, done["Location"]) == (
        302,
        f"/credit/manage/educators/{cast.alice.public_id}/",
    )
    mistaken.refresh_from_db()
    assert mistaken.revoked_reason == "Duplicate of the district record."
    assert "Already revoked on 23 Nov 2026: Duplicate of the district record." in text(
        client.get(url)
    )
    again = client.post(url, {"reason": "Again"})
    assert again.status_code == 400
    assert "Already revoked on 23 Nov 2026" in text(again)


def test_other_districts_people_and_awards_are_not_found(cast, client_for):
    theirs = CreditAwardFactory(district=cast.district_b, educator=cast.bob)
    client = client_for(cast.dana)
    before = counts()

    responses = [
        client.get(f"/credit/manage/educators/{cast.bob.public_id}/"),
        client.post(
            f"/credit/manage/educators/{cast.bob.public_id}/licence/",
            {"rule_set_key": "TX/counselor", "cycle_start": "2024-07-01"},
        ),
        client.get(f"/credit/manage/awards/{theirs.public_id}/revoke/"),
        client.post(f"/credit/manage/awards/{theirs.public_id}/revoke/", {"reason": "x"}),
        client.get("/credit/manage/educators/00000000-0000-0000-0000-000000000000/"),
    ]

    assert [r.status_code for r in responses] == [404] * 5
    assert counts() == before


# ---------------------------------------------------------------------------------------------
# the state-reporting export
# ---------------------------------------------------------------------------------------------


def test_the_export_streams_one_row_per_counted_award(cast, client_for):
    texas_ledger(cast)
    LicenseFactory(
        district=cast.district_a,
        educator=cast.eve,
        rule_set_key="TN/professional_renewal",
        number="",
        cycle_start=dt.date(2021, 7, 1),
        cycle_end=dt.date(2027, 6, 30),
    )
    award(cast, educator=cast.eve, title="Micro", amount=D(1), unit="micro_credential",
          category="micro_credential", completed_on=dt.date(2025, 3, 3))  # fmt: skip
    award(cast, educator=cast.bob, district=cast.district_b, title="Southport course")

    response = client_for(cast.dana).get("/credit/manage/export.csv")

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Disposition"] == (
        'attachment; filename="trellis-credit-northfield-2026-11-23.csv"'
    )
    alice = "Alice Archer,alice@northfield.test,TX-778,TX/classroom_teacher,2022-09-01,2027-08-31"
    assert b"".join(response.streaming_content).decode() == (
        "educator_name,educator_email,licence_number,rule_set,cycle_start,cycle_end,title,"
        "provider,approved_provider,completed_on,amount,unit,value,rule_set_unit,counted\r\n"
        f"{alice},Reading workshop,Region 13 ESC,yes,2023-01-10,6,clock_hour,6,cpe_hour,6\r\n"
        f"{alice},Literacy course,Region 13 ESC,yes,2023-05-01,2,ceu,20,cpe_hour,20\r\n"
        f"{alice},Book study,Region 13 ESC,yes,2024-02-01,25,clock_hour,25,cpe_hour,25\r\n"
        f"{alice},Podcasts,Region 13 ESC,yes,2024-03-01,10,clock_hour,10,cpe_hour,5\r\n"
        f"{alice},Conference talk,Region 13 ESC,yes,2024-04-01,20,clock_hour,20,cpe_hour,15\r\n"
        f"{alice},Coding club,Region 13 ESC,yes,2024-06-01,8,clock_hour,8,cpe_hour,8\r\n"
        "Eve Evans,eve@northfield.test,,TN/professional_renewal,2021-07-01,2027-06-30,Micro,"
        "Region 13 ESC,yes,2025-03-03,1,micro_credential,6,pdp,6\r\n"
    )
