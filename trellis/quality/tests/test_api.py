from trellis.catalog.tests.factories import OfferingFactory
from trellis.growth.tests.factories import build_framework
from trellis.quality.models import Proposal
from trellis.quality.services.vetting import vet_offering
from trellis.quality.tests.factories import completer, full_marks, growth_case

PROPOSAL = {
    "kind": "found_online",
    "title": "Questioning",
    "description": "Online course.",
    "link": "https://example.org/q",
    "provider": "Example",
    "format": "self_paced",
    "hours": "2.5",
}


def test_scorecard_shape(cast, api_client_for):
    built = build_framework(cast.district_a)
    offering = OfferingFactory(district=cast.district_a, cost=30, hours=6)
    offering.competencies.set([built.competencies[0]])
    growth_case(cast.district_a, built.framework, built.competencies[0], offering)
    vet_offering(
        access=cast.access(cast.dana),
        actor=cast.dana,
        offering=offering,
        scores=full_marks(cast.district_a),
    )
    response = api_client_for(cast.alice).get(f"/api/v1/offerings/{offering.public_id}/scorecard")
    assert response.status_code == 200
    body = response.json()
    assert body["vetting"]["vetted"] is True
    assert body["vetting"]["score"] == 1.0
    assert body["rating"] == {
        "adjusted": None,
        "raw": None,
        "n": 0,
        "prior_mean": 3.0,
        "prior_strength": 10,
    }
    assert body["completion_rate"] == 1.0
    assert body["completed"] == 5
    assert body["cost_per_hour"] == "5.00"
    assert body["growth"]["enough_data"] is True
    assert body["growth"]["effect"] == 1.0
    assert body["growth"]["participants"] == 5
    assert body["growth"]["comparisons"] == 5


def test_scorecard_of_another_district_is_404(cast, api_client_for):
    offering = OfferingFactory(district=cast.district_b)
    response = api_client_for(cast.alice).get(f"/api/v1/offerings/{offering.public_id}/scorecard")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_post_proposal_and_list_mine(cast, api_client_for):
    client = api_client_for(cast.alice)
    response = client.post("/api/v1/me/proposals", PROPOSAL, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted"
    assert body["hours"] == "2.50"
    mine = client.get("/api/v1/me/proposals").json()
    assert mine["count"] == 1
    assert mine["items"][0]["id"] == body["id"]


def test_bad_proposal_is_400_with_nothing_written(cast, api_client_for):
    response = api_client_for(cast.alice).post(
        "/api/v1/me/proposals", {**PROPOSAL, "link": ""}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["details"]["field"] == "link"
    assert not Proposal.objects.exists()


def test_facilitating_as_a_novice_is_403(cast, api_client_for):
    response = api_client_for(cast.alice).post(
        "/api/v1/me/proposals",
        {**PROPOSAL, "kind": "facilitate", "sessions_count": 2, "audience": "All"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_my_review_put_and_get(cast, api_client_for):
    offering = OfferingFactory(district=cast.district_a)
    client = api_client_for(cast.alice)
    url = f"/api/v1/offerings/{offering.public_id}/my-review"
    assert client.get(url).status_code == 404
    assert client.put(url, {"stars": 5}, content_type="application/json").status_code == 403
    completer(offering, cast.alice)
    created = client.put(url, {"stars": 5, "text": "Great"}, content_type="application/json")
    assert created.status_code == 201
    updated = client.put(url, {"stars": 4}, content_type="application/json")
    assert updated.status_code == 200
    assert updated.json()["stars"] == 4
    assert client.get(url).json()["text"] == ""
    assert client.put(url, {"stars": 7}, content_type="application/json").status_code == 400
    other = OfferingFactory(district=cast.district_b)
    assert client.get(f"/api/v1/offerings/{other.public_id}/my-review").status_code == 404
