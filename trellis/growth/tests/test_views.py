"""The people directory and the person page: who sees whom, filters, pages, role editing, tenancy."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trellis.audit.models import AuditEvent
from trellis.districts import services
from trellis.districts.models import Membership
from trellis.districts.tests.factories import MembershipFactory
from trellis.districts.tests.helpers import add_people, school_choice, snapshot

ROW_EMAIL = re.compile(r"<td>([^<]+@[^<]+)</td>")


def emails_listed(response) -> list[str]:
    """The e-mail column of the people table, in page order."""
    return ROW_EMAIL.findall(response.content.decode())


def person_url(user) -> str:
    return f"/people/{user.public_id}/"


# ---------------------------------------------------------------------------------------------
# who sees the directory
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("alice", 403),
        ("carol", 200),
        ("ada", 403),
        ("pat", 200),
        ("dana", 200),
        ("eve", 403),
        ("bob", 403),
        ("bea", 200),
    ],
)
def test_the_people_page_is_open_to_roles_that_may_view_staff(cast, client_for, who, status):
    response = client_for(getattr(cast, who)).get("/people/")

    assert response.status_code == status
    if status == 403:
        assert b"You cannot open this page" in response.content


def test_signed_out_visitors_are_sent_to_sign_in(cast, client):
    response = client.get("/people/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/people/"


def test_an_admin_sees_everyone_in_their_district_and_no_one_else(cast, client_for):
    response = client_for(cast.dana).get("/people/")

    assert emails_listed(response) == [
        "ada@northfield.test",
        "alice@northfield.test",
        "carol@northfield.test",
        "dana@northfield.test",
        "eve@northfield.test",
        "pat@northfield.test",
    ]
    assert b"Invite people" in response.content


def test_the_other_districts_admin_sees_only_their_own_people(cast, client_for):
    response = client_for(cast.bea).get("/people/")

    assert emails_listed(response) == ["bea@southport.test", "bob@southport.test"]


@pytest.mark.parametrize("who", ["pat", "carol"])
def test_a_principal_or_coach_sees_only_the_people_of_their_school(cast, client_for, who):
    response = client_for(getattr(cast, who)).get("/people/")

    assert emails_listed(response) == [
        "alice@northfield.test",
        "carol@northfield.test",
        "pat@northfield.test",
    ]
    assert b"Invite people" not in response.content


def test_a_coach_without_a_school_sees_nobody(cast, client_for):
    coach = MembershipFactory(
        user__email="roving@northfield.test", district=cast.district_a, role="coach"
    ).user

    response = client_for(coach).get("/people/")

    assert response.status_code == 200
    assert emails_listed(response) == []
    assert b"No one matches these filters." in response.content


def test_the_directory_shows_roles_position_and_career_stage(cast, client_for):
    content = client_for(cast.pat).get("/people/").content.decode()

    row = content[content.index("carol@northfield.test") :].split("</tr>")[0]
    assert '<span class="badge">Coach or mentor</span><span class="badge">Educator</span>' in row
    assert "<td>Teacher</td>" in row
    assert "<td>Experienced (8–15 years)</td>" in row


# ---------------------------------------------------------------------------------------------
# filters and pages
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=ALI", ["alice@northfield.test"]),
        ("q=northfield.test&role=coach", ["carol@northfield.test"]),
        ("role=assessor", ["ada@northfield.test"]),
        ("role=district_admin", ["dana@northfield.test"]),
        ("school={elementary}", ["ada@northfield.test", "eve@northfield.test"]),
        ("school={elementary}&role=assessor", ["ada@northfield.test"]),
        ("q=zzz", []),
    ],
)
def test_an_admin_filters_the_directory(cast, client_for, query, expected):
    url = "/people/?" + query.format(elementary=cast.elementary_a.public_id)

    response = client_for(cast.dana).get(url)

    assert response.status_code == 200
    assert emails_listed(response) == expected


def test_filters_never_widen_a_principals_view(cast, client_for):
    url = f"/people/?school={cast.elementary_a.public_id}"

    response = client_for(cast.pat).get(url)

    assert emails_listed(response) == []


def test_a_school_of_another_district_in_the_filter_shows_no_one_from_that_district(
    cast, client_for
):
    response = client_for(cast.dana).get(f"/people/?school={cast.school_b.public_id}")

    assert response.status_code == 200
    assert not any(email.endswith("@southport.test") for email in emails_listed(response))


def test_a_wrong_filter_value_is_explained_and_the_other_filters_still_apply(cast, client_for):
    response = client_for(cast.dana).get(f"/people/?role=coach&school={cast.school_b.public_id}")

    assert response.status_code == 200
    assert emails_listed(response) == ["carol@northfield.test"]
    assert b"Select a valid choice" in response.content


def test_a_role_filter_ignores_roles_that_were_taken_away(cast, client_for):
    services.set_roles(
        access=cast.access(cast.dana),
        actor=cast.dana,
        user=cast.carol,
        roles=["educator"],
        school=cast.middle_a,
    )

    response = client_for(cast.dana).get("/people/?role=coach")

    assert emails_listed(response) == []


def test_a_school_filter_ignores_a_membership_that_was_taken_away(cast, client_for):
    # Carol once coached at the elementary school; that role has ended.
    Membership.objects.filter(user=cast.carol, role="coach").update(
        school=cast.elementary_a, is_active=False
    )

    response = client_for(cast.dana).get(f"/people/?school={cast.elementary_a.public_id}")

    assert emails_listed(response) == ["ada@northfield.test", "eve@northfield.test"]


def test_a_principal_does_not_see_someone_whose_role_at_their_school_has_ended(cast, client_for):
    mover = MembershipFactory(
        user__email="mover@northfield.test",
        district=cast.district_a,
        role="coach",
        school=cast.middle_a,
        is_active=False,
    ).user
    MembershipFactory(
        user=mover, district=cast.district_a, role="educator", school=cast.elementary_a
    )

    listed = emails_listed(client_for(cast.pat).get("/people/"))
    person = client_for(cast.pat).get(person_url(mover))

    assert "mover@northfield.test" not in listed
    assert person.status_code == 404


def test_the_htmx_request_gets_only_the_table(cast, client_for):
    response = client_for(cast.dana).get("/people/?q=eve", HTTP_HX_REQUEST="true")

    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<div id="people-table">')
    assert "<html" not in content
    assert emails_listed(response) == ["eve@northfield.test"]


def test_the_directory_is_paged_by_25_and_keeps_filters_in_the_page_links(cast, client_for):
    add_people(cast.district_a, 54, school=cast.middle_a)  # 60 people in Northfield

    client = client_for(cast.dana)
    first = client.get("/people/?role=educator")
    third = client.get("/people/?role=educator&page=3")
    beyond = client.get("/people/?role=educator&page=99")
    junk = client.get("/people/?role=educator&page=abc")

    assert len(emails_listed(first)) == 25
    assert emails_listed(first)[:3] == [
        "ada@northfield.test",
        "alice@northfield.test",
        "carol@northfield.test",
    ]
    assert "Page 1 of 3 (59 in all)" in first.content.decode()
    assert 'href="?role=educator&amp;page=2" rel="next"' in first.content.decode()
    assert len(emails_listed(third)) == 9
    assert emails_listed(third)[-1] == "extra053@northfield.test"
    assert emails_listed(beyond) == emails_listed(third)
    assert emails_listed(junk) == emails_listed(first)


@pytest.mark.parametrize("who", ["dana", "pat"])
def test_the_people_list_costs_the_same_queries_for_25_or_60_people(
    cast, client_for, django_assert_max_num_queries, who
):
    school = cast.middle_a
    add_people(cast.district_a, 22, school=school, prefix="small")  # pat's school: 25 people
    client = client_for(getattr(cast, who))
    with CaptureQueriesContext(connection) as small:
        response = client.get("/people/")
    assert len(emails_listed(response)) == 25

    add_people(cast.district_a, 35, school=school, prefix="large")  # pat's school: 60 people
    with django_assert_max_num_queries(9), CaptureQueriesContext(connection) as large:
        response = client.get("/people/")
    assert len(emails_listed(response)) == 25

    assert len(large) == len(small)


# ---------------------------------------------------------------------------------------------
# the person page
# ---------------------------------------------------------------------------------------------


def test_the_person_page_shows_roles_and_profile(cast, client_for):
    response = client_for(cast.pat).get(person_url(cast.carol))

    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Carol Cruz</h1>" in content
    assert "<dd>carol@northfield.test</dd>" in content
    assert "<dd>Coach or mentor, Educator</dd>" in content
    assert "<dd>11 years · Experienced (8–15 years)</dd>" in content
    assert "<dd>Mathematics</dd>" in content
    assert "<dd>Middle (6–8)</dd>" in content
    assert "Save roles" not in content


@pytest.mark.parametrize(
    ("who", "target", "status"),
    [
        ("pat", "alice", 200),
        ("pat", "eve", 404),  # another school of the same district
        ("pat", "dana", 404),  # district-wide staff are not "their school"
        ("carol", "pat", 200),
        ("carol", "ada", 404),
        ("dana", "eve", 200),
        ("dana", "bob", 404),  # another district
        ("bea", "alice", 404),
        ("alice", "alice", 403),  # educators have no directory at all
    ],
)
def test_the_person_page_opens_only_for_people_the_viewer_may_see(
    cast, client_for, who, target, status
):
    response = client_for(getattr(cast, who)).get(person_url(getattr(cast, target)))

    assert response.status_code == status


def test_an_unknown_person_id_is_a_404(cast, client_for):
    response = client_for(cast.dana).get("/people/6b1f5a44-1111-4a8e-9f0b-2f3c5d7e8a90/")

    assert response.status_code == 404
    assert b"Page not found" in response.content


# ---------------------------------------------------------------------------------------------
# editing roles
# ---------------------------------------------------------------------------------------------


def test_an_admin_sees_the_roles_form_with_current_roles_ticked(cast, client_for):
    content = client_for(cast.dana).get(person_url(cast.carol)).content.decode()

    assert "Save roles" in content
    assert re.search(r'value="coach"[^>]*checked', content)
    assert re.search(r'value="educator"[^>]*checked', content)
    assert not re.search(r'value="assessor"[^>]*checked', content)


def test_an_admin_changes_a_persons_roles(cast, client_for):
    client = client_for(cast.dana)
    response = client.post(
        person_url(cast.alice),
        {
            "roles": ["educator", "assessor"],
            "school": school_choice(cast.district_a, cast.elementary_a),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == person_url(cast.alice)
    assert sorted(
        Membership.objects.filter(user=cast.alice, is_active=True).values_list("role", "school")
    ) == [("assessor", cast.elementary_a.pk), ("educator", cast.elementary_a.pk)]
    event = AuditEvent.objects.get(action="districts.roles_changed")
    assert event.data == {"before": ["educator"], "after": ["educator", "assessor"]}
    page = client.get(person_url(cast.alice)).content.decode()
    assert "Roles of Alice Archer are saved." in page


def test_an_admin_cannot_take_away_their_own_admin_role_in_the_form(cast, client_for):
    before = snapshot()

    response = client_for(cast.dana).post(person_url(cast.dana), {"roles": ["educator"]})

    assert response.status_code == 400
    assert "You cannot remove your own district-admin role; ask another admin." in (
        response.content.decode()
    )
    assert snapshot() == before


@pytest.mark.parametrize(
    "data",
    [{"school": ""}, {"roles": ["wizard"]}, {"roles": ["educator"], "school": "999999"}],
    ids=["no-roles", "unknown-role", "unknown-school"],
)
def test_a_bad_roles_form_is_refused_with_400_and_changes_nothing(cast, client_for, data):
    before = snapshot()

    response = client_for(cast.dana).post(person_url(cast.alice), data)

    assert response.status_code == 400
    assert b"errorlist" in response.content
    assert snapshot() == before


def test_a_school_of_another_district_is_not_a_choice_in_the_roles_form(cast, client_for):
    before = snapshot()

    response = client_for(cast.dana).post(
        person_url(cast.alice),
        {"roles": ["educator"], "school": school_choice(cast.district_b, cast.school_b)},
    )

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("who", ["pat", "carol"])
def test_a_principal_or_coach_cannot_change_roles(cast, client_for, who):
    before = snapshot()

    response = client_for(getattr(cast, who)).post(
        person_url(cast.alice), {"roles": ["district_admin"]}
    )

    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_districts_person_is_a_404_and_nothing_changes(cast, client_for, method):
    before = snapshot()

    response = getattr(client_for(cast.dana), method)(
        person_url(cast.bob), {"roles": ["district_admin"]} if method == "post" else None
    )

    assert response.status_code == 404
    assert snapshot() == before
    assert list(Membership.objects.filter(user=cast.bob).values_list("district__slug", "role")) == [
        ("southport", "educator")
    ]
