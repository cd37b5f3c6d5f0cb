"""Assessment API: the assessor's queue, scoring by submission, appeals."""

import pytest

from trellis.microcredentials.models import SubmissionStatus
from trellis.microcredentials.services.assignment import assign_submission
from trellis.microcredentials.tests.assessment_helpers import (
    configure,
    criteria_of,
    make_assessor,
    qualify,
    submitted,
)
from trellis.microcredentials.tests.factories import published_definition

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(cast):
    configure(cast.district_a, double_score_percent=0)
    qualify(cast.ada, cast.district_a)
    version = published_definition(cast.district_a, title="Hinge questions")
    return assign_submission(submitted(version, cast.alice))


def _body(version, level="proficient", feedback="Clear."):
    return {
        "scores": [
            {"criterion": str(c.public_id), "level": level, "feedback": feedback}
            for c in criteria_of(version)
        ],
        "feedback": "Well done.",
    }


def test_queue_lists_open_assignments(cast, api_client_for, assigned):
    response = api_client_for(cast.ada).get("/api/v1/assessments")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == str(assigned.public_id)
    assert item["submission"] == str(assigned.submission.public_id)
    assert (item["micro_credential"], item["educator"], item["role"]) == (
        "Hinge questions",
        "Alice Archer",
        "primary",
    )
    assert item["overdue"] is False
    assert item["scores"] == []
    configure(cast.district_a, blind_assessment=True)
    blind = api_client_for(cast.ada).get("/api/v1/assessments").json()["items"][0]
    assert blind["educator"] == f"Educator #{assigned.submission.public_id.hex[:6]}"


def test_queue_needs_the_assessor_role(cast, api_client_for, assigned):
    response = api_client_for(cast.alice).get("/api/v1/assessments")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_score_then_twice_is_409(cast, api_client_for, assigned):
    version = assigned.submission.version
    url = f"/api/v1/submissions/{assigned.submission.public_id}/scores"
    client = api_client_for(cast.ada)
    response = client.post(url, _body(version), content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert (body["outcome"], body["status"], body["submission_status"]) == (
        "earned",
        "completed",
        "earned",
    )
    assert [s["level"] for s in body["scores"]] == ["proficient"] * 3
    again = client.post(url, _body(version), content_type="application/json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_scored"
    done = client.get("/api/v1/assessments?status=completed").json()
    assert done["count"] == 1


def test_bad_scores_are_400_with_details(cast, api_client_for, assigned):
    version = assigned.submission.version
    url = f"/api/v1/submissions/{assigned.submission.public_id}/scores"
    body = _body(version, level="not_yet", feedback="")
    response = api_client_for(cast.ada).post(url, body, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_scores"
    assert len(error["details"]["errors"]) == 3
    twice = _body(version)
    twice["scores"].append(twice["scores"][0])
    response = api_client_for(cast.ada).post(url, twice, content_type="application/json")
    assert response.status_code == 400
    assert "scored twice" in response.json()["error"]["message"]
    assigned.refresh_from_db()
    assert assigned.status == "assigned"


def test_unassigned_caller_is_403_and_other_district_404(cast, api_client_for, assigned):
    version = assigned.submission.version
    url = f"/api/v1/submissions/{assigned.submission.public_id}/scores"
    other = make_assessor(cast.district_a, "Olga")
    response = api_client_for(other).post(url, _body(version), content_type="application/json")
    assert response.status_code == 403
    bob_assessor = make_assessor(cast.district_b, "Sam")
    response = api_client_for(bob_assessor).post(
        url, _body(version), content_type="application/json"
    )
    assert response.status_code == 404


def test_appeal(cast, api_client_for, assigned):
    version = assigned.submission.version
    submission = assigned.submission
    api_client_for(cast.ada).post(
        f"/api/v1/submissions/{submission.public_id}/scores",
        _body(version, level="not_yet", feedback="Add the student work."),
        content_type="application/json",
    )
    url = f"/api/v1/submissions/{submission.public_id}/appeal"
    empty = api_client_for(cast.alice).post(url, {"reason": " "}, content_type="application/json")
    assert empty.status_code == 400
    assert empty.json()["error"]["details"] == {"field": "reason"}
    make_assessor(cast.district_a, "Reviewer")
    response = api_client_for(cast.alice).post(
        url, {"reason": "It is in the second artifact."}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json() == {
        "submission": str(submission.public_id),
        "status": "appealed",
        "reviewer_assigned": True,
    }
    again = api_client_for(cast.alice).post(url, {"reason": "x"}, content_type="application/json")
    assert again.status_code == 409
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.APPEALED


def test_queue_query_count_does_not_grow(cast, api_client_for, django_assert_max_num_queries):
    configure(cast.district_a, double_score_percent=0)
    qualify(cast.ada, cast.district_a)
    for _ in range(10):
        assign_submission(submitted(published_definition(cast.district_a), cast.alice))
    client = api_client_for(cast.ada)
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/assessments?limit=50")
    assert response.json()["count"] == 10
