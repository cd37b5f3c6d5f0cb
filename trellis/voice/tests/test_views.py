"""The voice pages: who may open them, what they show, the forms, the tenant boundary."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from trellis.notifications.models import Notification
from trellis.voice import services
from trellis.voice.models import RequestStatus, TopicRequest, TopicVote, VolunteerOffer

pytestmark = pytest.mark.django_db


def test_home_lists_requests_with_votes_most_wanted_first(
    cast, adopted, ask, upvote, client_for
) -> None:
    low = ask(cast.alice, "Phonics")
    high = ask(cast.eve, "Student talk")
    upvote(cast.alice, high)
    upvote(cast.carol, high)
    ask(cast.bob, "Southport secret")
    response = client_for(cast.alice).get("/voice/")
    assert response.status_code == 200
    page = response.content.decode()
    table = page[page.index("<table") :]
    assert table.index("Student talk") < table.index("Phonics")
    assert "Southport secret" not in page
    assert [r.title for r in response.context["page"].object_list] == ["Student talk", "Phonics"]
    assert response.context["voted"] == {high.pk}
    assert f'action="/voice/requests/{low.public_id}/vote/"' not in page  # her own
    assert "Your request" in page


def test_home_filters_by_competency_school_status_and_search(
    cast, adopted, ask, client_for
) -> None:
    c11, c12 = adopted.competencies[:2]
    ask(cast.alice, "Talk moves", competency=c11.public_id)
    ask(cast.eve, "Phonics", competency=c12.public_id)
    ask(cast.carol, "Routines")
    client = client_for(cast.dana)

    def titles(query: str) -> list[str]:
        return [r.title for r in client.get(f"/voice/?{query}").context["page"].object_list]

    assert titles(f"competency={c11.public_id}") == ["Talk moves"]
    assert titles("competency=none") == ["Routines"]
    assert titles(f"school={cast.elementary_a.public_id}") == ["Phonics"]
    assert titles("q=phon") == ["Phonics"]
    assert titles("sort=newest") == ["Routines", "Phonics", "Talk moves"]
    assert titles("status=delivered") == []
    bad = client.get("/voice/?competency=nope&status=bogus")
    assert bad.status_code == 200  # the wrong field shows an error, the list still shows
    assert len(bad.context["page"].object_list) == 3


def test_home_query_count_does_not_grow_with_requests(
    cast, adopted, ask, upvote, client_for, django_assert_max_num_queries
) -> None:
    for n in range(12):
        created = ask(cast.alice, f"Topic number {n} about something {n * 7}", allow_similar=True)
        upvote(cast.eve, created)
    client = client_for(cast.eve)
    with django_assert_max_num_queries(20):
        response = client.get("/voice/")
    assert len(response.context["page"].object_list) == 12


def test_asking_through_the_form(cast, adopted, client_for) -> None:
    client = client_for(cast.alice)
    form = client.get(f"/voice/requests/new/?competency={adopted.competencies[0].public_id}")
    assert form.context["form"].initial["competency"] == str(adopted.competencies[0].public_id)
    response = client.post(
        "/voice/requests/new/",
        {
            "title": "Phonics",
            "details": "Older readers",
            "competency": str(adopted.competencies[0].public_id),
            "preferred_format": "plc",
        },
    )
    created = TopicRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/voice/requests/{created.public_id}/"
    assert (created.preferred_format, created.competency) == ("plc", adopted.competencies[0])


def test_the_form_suggests_upvoting_a_similar_request(cast, ask, client_for) -> None:
    first = ask(cast.eve, "Structured student talk in math")
    client = client_for(cast.alice)
    response = client.post("/voice/requests/new/", {"title": "Student talk", "details": "Please"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "A colleague already asked for this" in page
    assert f"/voice/requests/{first.public_id}/" in page
    assert "post it anyway" in page
    assert TopicRequest.objects.count() == 1
    again = client.post(
        "/voice/requests/new/",
        {"title": "Student talk", "details": "Please", "allow_similar": "on"},
    )
    assert again.status_code == 302
    assert TopicRequest.objects.count() == 2


def test_an_empty_form_says_what_is_missing(cast, client_for) -> None:
    response = client_for(cast.alice).post("/voice/requests/new/", {"title": "", "details": ""})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "title": ["This field is required."],
        "details": ["This field is required."],
    }
    assert TopicRequest.objects.count() == 0


def test_upvote_button_toggles(cast, ask, client_for) -> None:
    created = ask(cast.alice, "Phonics")
    client = client_for(cast.eve)
    url = f"/voice/requests/{created.public_id}/vote/"
    response = client.post(url, {"next": "/voice/?sort=newest"})
    assert response["Location"] == "/voice/?sort=newest"
    assert TopicVote.objects.filter(voter=cast.eve).count() == 1
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == f"/voice/requests/{created.public_id}/"
    assert TopicVote.objects.count() == 0
    assert client.get(url).status_code == 405


def test_own_request_cannot_be_upvoted_through_the_page(cast, ask, client_for) -> None:
    created = ask(cast.alice, "Phonics")
    response = client_for(cast.alice).post(
        f"/voice/requests/{created.public_id}/vote/", follow=True
    )
    assert "it already counts for you" in response.content.decode()
    assert TopicVote.objects.count() == 0


def test_detail_edit_and_withdraw(cast, adopted, ask, client_for) -> None:
    created = ask(cast.alice, "Phonics")
    client = client_for(cast.alice)
    page = client.get(f"/voice/requests/{created.public_id}/").content.decode()
    assert "Withdraw" in page
    assert "Edit" in page
    response = client.post(
        f"/voice/requests/{created.public_id}/edit/", {"title": "Phonics again", "details": "More"}
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.title == "Phonics again"
    other = client_for(cast.eve)
    assert other.get(f"/voice/requests/{created.public_id}/edit/").status_code == 302
    assert other.post(f"/voice/requests/{created.public_id}/withdraw/").status_code == 302
    created.refresh_from_db()
    assert created.status == "open"
    assert client.post(f"/voice/requests/{created.public_id}/withdraw/")["Location"] == "/voice/"
    created.refresh_from_db()
    assert created.status == "withdrawn"
    # a withdrawn request is gone for colleagues, still there for its requester and PD leaders
    assert other.get(f"/voice/requests/{created.public_id}/").status_code == 404
    assert client.get(f"/voice/requests/{created.public_id}/").status_code == 200
    assert client_for(cast.dana).get(f"/voice/requests/{created.public_id}/").status_code == 200


def test_pd_leader_answers_on_the_detail_page(
    cast, ask, client_for, django_capture_on_commit_callbacks
) -> None:
    created = ask(cast.alice, "Phonics")
    client = client_for(cast.dana)
    page = client.get(f"/voice/requests/{created.public_id}/").content.decode()
    assert "Answer the request" in page
    refused = client.post(
        f"/voice/requests/{created.public_id}/status/", {"status": "declined", "reason": ""}
    )
    assert refused.status_code == 400
    assert "Enter the reason." in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            f"/voice/requests/{created.public_id}/status/",
            {"status": "declined", "reason": "Covered already"},
        )
    assert done.status_code == 302
    created.refresh_from_db()
    assert (created.status, created.status_reason) == (RequestStatus.DECLINED, "Covered already")
    assert list(Notification.objects.values_list("recipient__email", "kind")) == [
        ("alice@northfield.test", "request_update")
    ]
    assert (
        "Answer the request"
        not in client_for(cast.alice).get(f"/voice/requests/{created.public_id}/").content.decode()
    )
    assert (
        client_for(cast.alice)
        .post(f"/voice/requests/{created.public_id}/status/", {"status": "open"})
        .status_code
        == 403
    )


def test_another_districts_request_is_not_found(cast, ask, client_for) -> None:
    theirs = ask(cast.bob, "Phonics")
    client = client_for(cast.dana)
    for suffix in ("", "edit/"):
        assert client.get(f"/voice/requests/{theirs.public_id}/{suffix}").status_code == 404
    for suffix in ("vote/", "withdraw/", "status/"):
        assert (
            client.post(
                f"/voice/requests/{theirs.public_id}/{suffix}", {"status": "planned"}
            ).status_code
            == 404
        )
    assert TopicVote.objects.count() == 0
    theirs.refresh_from_db()
    assert theirs.status == "open"


def test_volunteer_page_preselects_the_kind(cast, adopted, client_for) -> None:
    client = client_for(cast.eve)
    for kind in ("lead_session", "present", "lead_plc", "mentor", "assessor"):
        response = client.get(reverse("voice:volunteer") + f"?kind={kind}")
        assert response.status_code == 200
        assert re.search(f'value="{kind}"[^>]* checked', response.content.decode())
        assert response.context["form"].initial["kind"] == kind
    assert client.get("/voice/volunteer/?kind=astronaut").context["form"].initial["kind"] == ""


def test_volunteering_through_the_page(cast, adopted, client_for) -> None:
    client = client_for(cast.eve)
    response = client.post(
        "/voice/volunteer/",
        {
            "kind": "mentor",
            "competencies": [str(adopted.competencies[0].public_id)],
            "note": "Happy to",
            "availability": "Tue",
        },
    )
    assert response.status_code == 302
    made = VolunteerOffer.objects.get()
    assert (made.kind, made.note) == ("mentor", "Happy to")
    again = client.post("/voice/volunteer/", {"kind": "mentor"})
    assert again.status_code == 409 or again.status_code == 400
    assert "You already offered to mentor a new teacher" in again.content.decode()
    page = client.get("/voice/volunteer/").content.decode()
    assert "Mentor a new teacher" in page
    assert "Waiting for a reply" in page
    assert client.post(f"/voice/volunteer/{made.public_id}/withdraw/").status_code == 302
    made.refresh_from_db()
    assert made.status == "withdrawn"


def test_a_colleagues_offer_cannot_be_withdrawn_and_looks_missing(cast, client_for) -> None:
    made = services.offer_to_volunteer(access=cast.access(cast.eve), actor=cast.eve, kind="mentor")
    url = f"/voice/volunteer/{made.public_id}/withdraw/"
    # a colleague, a PD leader and another district all get the same 404 as an unknown id
    for person in (cast.alice, cast.dana, cast.bob):
        response = client_for(person).post(url)
        assert response.status_code == 404
        assert "Only the person who made the offer" not in response.content.decode()
    unknown = client_for(cast.alice).post(
        "/voice/volunteer/00000000-0000-4000-8000-000000000000/withdraw/"
    )
    assert unknown.status_code == 404
    made.refresh_from_db()
    assert made.status == "open"
    assert client_for(cast.eve).post(url).status_code == 302
    made.refresh_from_db()
    assert made.status == "withdrawn"


def test_volunteers_list_and_follow_up(
    cast, adopted, client_for, django_assert_max_num_queries
) -> None:
    for person, kind in ((cast.eve, "mentor"), (cast.alice, "present"), (cast.carol, "assessor")):
        services.offer_to_volunteer(
            access=cast.access(person),
            actor=person,
            kind=kind,
            competencies=[adopted.competencies[0].public_id],
        )
    client = client_for(cast.dana)
    with django_assert_max_num_queries(15):
        response = client.get("/voice/volunteers/")
    assert response.status_code == 200
    assert len(response.context["items"]) == 3
    offer = VolunteerOffer.objects.get(kind="assessor")
    prefix = str(offer.public_id)
    done = client.post(
        f"/voice/volunteers/{offer.public_id}/status/",
        {f"{prefix}-status": "accepted", f"{prefix}-note": ""},
    )
    assert done.status_code == 302
    offer.refresh_from_db()
    assert offer.status == "accepted"
    accepted = client.get("/voice/volunteers/?status=accepted").content.decode()
    assert "Add to the assessor pool" in accepted
    assert reverse("microcredentials:assessment_assessors") in accepted
    assert [
        i["offer"].kind for i in client.get("/voice/volunteers/?kind=mentor").context["items"]
    ] == ["mentor"]


def test_demand_page_shows_both_tables_with_drill_down(
    cast, adopted, ask, upvote, client_for
) -> None:
    c11 = adopted.competencies[0]
    created = ask(cast.alice, "Talk moves", competency=c11.public_id)
    upvote(cast.eve, created)
    response = client_for(cast.dana).get("/voice/demand/?csort=votes&ssort=name")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Demand and supply by competency, sorted by votes" in page
    assert "Requests and upvotes by school, sorted by name" in page
    assert f'href="/voice/?competency={c11.public_id}"' in page
    assert f'href="/voice/?school={cast.middle_a.public_id}"' in page


@pytest.mark.parametrize(
    ("user", "url", "status"),
    [
        ("alice", "/voice/", 200),
        ("alice", "/voice/volunteer/", 200),
        ("alice", "/voice/requests/new/", 200),
        ("alice", "/voice/volunteers/", 403),
        ("alice", "/voice/demand/", 403),
        ("pat", "/voice/demand/", 403),
        ("carol", "/voice/volunteers/", 403),
        ("dana", "/voice/demand/", 200),
        ("dana", "/voice/volunteers/", 200),
        ("bea", "/voice/demand/", 200),
    ],
)
def test_permissions(cast, client_for, user, url, status) -> None:
    assert client_for(getattr(cast, user)).get(url).status_code == status


def test_signed_out_people_are_sent_to_sign_in(client) -> None:
    response = client.get("/voice/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_volunteer_page_links_to_proposing_an_offering_to_facilitate(cast, client_for) -> None:
    page = client_for(cast.eve).get("/voice/volunteer/").content.decode()
    assert f'href="{reverse("quality:propose")}?kind=facilitate"' in page


def test_demand_page_query_count_is_fixed(
    cast, adopted, ask, upvote, client_for, django_assert_max_num_queries
) -> None:
    for n, competency in enumerate(adopted.competencies):
        created = ask(
            cast.alice,
            f"Distinct topic {n} {'xyz' * n}",
            competency=competency.public_id,
            allow_similar=True,
        )
        upvote(cast.eve, created)
    client = client_for(cast.dana)
    with django_assert_max_num_queries(20):
        response = client.get("/voice/demand/")
    assert response.status_code == 200
    assert [r.requests for r in response.context["report"].competencies] == [1, 1, 1, 1]
