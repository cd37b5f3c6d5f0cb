"""The growth API: /me/profile, /me/self-assessments, /me/goals, /me/plan, coach comments and the
observations import; one error shape, 404 across educators and districts."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from trellis.districts.tests.factories import MembershipFactory
from trellis.growth.models import Goal, GoalComment, ObservationRating, PlanItem, SelfAssessment
from trellis.growth.tests.factories import GoalFactory, PlanItemFactory, submitted_snapshot

API = "/api/v1"
TODAY = timezone.localdate


def send(client, method: str, path: str, body=None, **extra):
    return getattr(client, method)(
        f"{API}{path}",
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
        **extra,
    )


def error(response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


# ---------------------------------------------------------------------------------------------
# mounting: the existing /me router keeps working beside the growth router
# ---------------------------------------------------------------------------------------------


def test_the_me_router_and_the_growth_router_live_side_by_side(cast, api_client_for):
    client = api_client_for(cast.alice)

    me = client.get(f"{API}/me")
    tokens = client.get(f"{API}/me/tokens")
    profile = client.get(f"{API}/me/profile")

    assert me.status_code == 200
    assert me.json()["email"] == "alice@northfield.test"
    assert tokens.status_code == 200
    assert profile.status_code == 200


def test_signed_out_callers_get_401_in_the_error_shape(cast, client):
    response = client.get(f"{API}/me/goals")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


# ---------------------------------------------------------------------------------------------
# profile
# ---------------------------------------------------------------------------------------------


PROFILE = {
    "position": "teacher",
    "years_experience": 5,
    "subjects": ["Mathematics", "Science"],
    "grade_bands": ["6_8"],
    "students_served": ["english_learners"],
    "preferred_formats": ["online_live", "micro_credential"],
    "learning_times": ["after_school"],
    "weekly_minutes": 45,
    "interests": "Math talks",
}


def test_get_and_put_the_profile(cast, api_client_for):
    client = api_client_for(cast.alice)

    before = client.get(f"{API}/me/profile").json()
    response = send(client, "put", "/me/profile", PROFILE)

    assert before == {
        "position": "teacher",
        "years_experience": 1,
        "career_stage": "novice",
        "career_stage_label": "Novice (0–3 years)",
        "subjects": ["Mathematics"],
        "grade_bands": ["6_8"],
        "students_served": [],
        "preferred_formats": [],
        "learning_times": [],
        "weekly_minutes": None,
        "interests": "",
        "schools": ["Northfield Middle"],
    }
    assert response.status_code == 200
    assert response.json() == {
        **PROFILE,
        "career_stage": "developing",
        "career_stage_label": "Developing (4–7 years)",
        "schools": ["Northfield Middle"],
    }


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"position": "wizard"}, 422, "validation_error"),
        ({"years_experience": -1}, 422, "validation_error"),
        ({"preferred_formats": ["carrier_pigeon"]}, 422, "validation_error"),
        ({"weekly_minutes": 5000}, 422, "validation_error"),
        ({"subjects": ["x" * 81]}, 400, "subject_too_long"),
    ],
)
def test_a_bad_profile_is_refused_and_changes_nothing(cast, api_client_for, change, status, code):
    client = api_client_for(cast.alice)
    before = client.get(f"{API}/me/profile").json()

    response = send(client, "put", "/me/profile", {**PROFILE, **change})

    assert error(response) == (status, code)
    assert client.get(f"{API}/me/profile").json() == before


def test_the_profile_of_a_person_without_one_has_defaults(cast, api_client_for):
    newcomer = MembershipFactory(user__email="n@northfield.test", district=cast.district_a).user

    response = api_client_for(newcomer).get(f"{API}/me/profile")

    assert response.json()["years_experience"] == 0
    assert response.json()["schools"] == []


# ---------------------------------------------------------------------------------------------
# self-assessments
# ---------------------------------------------------------------------------------------------


def test_submit_a_self_assessment_and_list_the_history(cast, api_client_for, adopted):
    c = adopted.competencies
    submitted_snapshot(
        cast.alice, cast.district_a, adopted.framework, dict.fromkeys(c, 1), days_ago=30
    )
    client = api_client_for(cast.alice)
    body = {
        "ratings": [
            {"competency": str(item.public_id), "level": 2, "note": "ok" if n == 0 else ""}
            for n, item in enumerate(c)
        ]
    }

    created = send(client, "post", "/me/self-assessments", body)
    listing = client.get(f"{API}/me/self-assessments?limit=1")

    assert created.status_code == 201
    data = created.json()
    assert data["status"] == "submitted"
    assert data["framework_title"] == "Northfield Teaching Framework"
    assert data["ratings"][0] == {
        "competency": str(c[0].public_id),
        "code": "1.1",
        "title": "Competency 1.1",
        "level": 2,
        "level_label": "Developing",
        "note": "ok",
    }
    assert listing.json()["count"] == 2
    assert [item["id"] for item in listing.json()["items"]] == [data["id"]]


def test_save_a_draft_through_the_api(cast, api_client_for, adopted):
    item = adopted.competencies[0]

    response = send(
        api_client_for(cast.alice),
        "post",
        "/me/self-assessments",
        {"ratings": [{"competency": str(item.public_id), "level": 3}], "submit": False},
    )

    assert response.status_code == 200
    assert response.json()["status"] == "draft"
    assert response.json()["submitted_at"] is None


@pytest.mark.parametrize(
    ("ratings", "status", "code"),
    [
        ("one", 400, "incomplete_self_assessment"),
        ("level-9", 400, "invalid_ratings"),
        ("foreign", 400, "invalid_ratings"),
        ("not-uuid", 422, "validation_error"),
    ],
)
def test_bad_self_assessments_are_refused(cast, api_client_for, adopted, ratings, status, code):
    c = adopted.competencies
    body = {
        "one": [{"competency": str(c[0].public_id), "level": 2}],
        "level-9": [{"competency": str(i.public_id), "level": 9} for i in c],
        "foreign": [{"competency": "6b1f5a44-1111-4a8e-9f0b-2f3c5d7e8a90", "level": 2}],
        "not-uuid": [{"competency": "1.1", "level": 2}],
    }[ratings]

    response = send(api_client_for(cast.alice), "post", "/me/self-assessments", {"ratings": body})

    assert error(response) == (status, code)
    assert not SelfAssessment.objects.exists()


def test_without_an_adopted_framework_the_api_says_so(cast, api_client_for):
    response = send(api_client_for(cast.alice), "post", "/me/self-assessments", {"ratings": []})

    assert error(response) == (400, "no_adopted_framework")


# ---------------------------------------------------------------------------------------------
# goals
# ---------------------------------------------------------------------------------------------


def goal_body(adopted, **change) -> dict:
    return {
        "title": "Talk moves",
        "description": "Use talk moves daily.",
        "measure": "Student talk above 40% in two observations.",
        "target_date": (TODAY() + dt.timedelta(days=40)).isoformat(),
        "competencies": [str(adopted.competencies[1].public_id)],
        **change,
    }


def test_create_list_and_patch_goals(cast, api_client_for, adopted):
    client = api_client_for(cast.alice)

    created = send(client, "post", "/me/goals", goal_body(adopted))
    goal_id = created.json()["id"]
    patched = send(
        client, "patch", f"/me/goals/{goal_id}", {"status": "achieved", "title": "Talk moves!"}
    )
    reflected = send(client, "post", f"/me/goals/{goal_id}/reflections", {"body": "It worked."})
    active = client.get(f"{API}/me/goals?status=active").json()
    everything = client.get(f"{API}/me/goals").json()

    assert created.status_code == 201
    assert created.json()["competencies"] == [
        {"id": str(adopted.competencies[1].public_id), "code": "1.2", "title": "Competency 1.2"}
    ]
    assert (patched.status_code, patched.json()["status"], patched.json()["title"]) == (
        200,
        "achieved",
        "Talk moves!",
    )
    assert reflected.status_code == 201
    assert reflected.json()["reflections"] == [
        {"written_on": TODAY().isoformat(), "body": "It worked."}
    ]
    assert active == {"items": [], "count": 0}
    assert everything["count"] == 1


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"target_date": "past"}, 400, "target_date_not_future"),
        ({"competencies": []}, 400, "competencies_required"),
        ({"title": ""}, 400, "title_required"),
        ({"status": "achieved"}, 422, "validation_error"),
        ({"target_date": "2030-02-30"}, 422, "validation_error"),
    ],
)
def test_bad_goals_are_refused(cast, api_client_for, adopted, change, status, code):
    if change.get("target_date") == "past":
        change["target_date"] = (TODAY() - dt.timedelta(days=1)).isoformat()

    response = send(api_client_for(cast.alice), "post", "/me/goals", goal_body(adopted, **change))

    assert error(response) == (status, code)
    assert not Goal.objects.exists()


def test_a_bad_patch_changes_nothing(cast, api_client_for, adopted):
    goal = GoalFactory(district=cast.district_a, educator=cast.alice, status="achieved")
    client = api_client_for(cast.alice)

    bad_status = send(client, "patch", f"/me/goals/{goal.public_id}", {"status": "set_aside"})
    null_title = send(client, "patch", f"/me/goals/{goal.public_id}", {"title": None})

    assert error(bad_status) == (400, "invalid_status_change")
    assert error(null_title) == (400, "title_required")
    goal.refresh_from_db()
    assert (goal.status, goal.title) == ("achieved", goal.title)


@pytest.mark.parametrize("who", ["eve", "carol", "bob"])
def test_someone_elses_goal_is_404_in_the_one_error_shape(
    cast, api_client_for, adopted, caseload, who
):
    goal = GoalFactory(district=cast.district_a, educator=cast.alice)

    response = send(
        api_client_for(getattr(cast, who)),
        "patch",
        f"/me/goals/{goal.public_id}",
        {"title": "Mine"},
    )

    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "No such goal.", "details": {}}
    }


# ---------------------------------------------------------------------------------------------
# coach comments
# ---------------------------------------------------------------------------------------------


def test_a_coach_comments_on_a_caseload_goal(cast, api_client_for, adopted, caseload):
    goal = GoalFactory(district=cast.district_a, educator=cast.alice)

    response = send(
        api_client_for(cast.carol), "post", f"/goals/{goal.public_id}/comments", {"body": "Great!"}
    )

    assert response.status_code == 201
    assert response.json()["author"] == "Carol Cruz"
    assert list(GoalComment.objects.values_list("goal", "author", "body")) == [
        (goal.pk, cast.carol.pk, "Great!")
    ]
    goals = api_client_for(cast.alice).get(f"{API}/me/goals").json()
    assert [c["body"] for c in goals["items"][0]["comments"]] == ["Great!"]


def test_comments_outside_the_caseload_are_refused(cast, api_client_for, adopted, caseload):
    eves = GoalFactory(district=cast.district_a, educator=cast.eve)
    alices = GoalFactory(district=cast.district_a, educator=cast.alice)
    coach_b = MembershipFactory(
        user__email="cody@southport.test", district=cast.district_b, role="coach"
    ).user

    not_mine = send(
        api_client_for(cast.carol), "post", f"/goals/{eves.public_id}/comments", {"body": "x"}
    )
    other_district = send(
        api_client_for(coach_b), "post", f"/goals/{alices.public_id}/comments", {"body": "x"}
    )
    educator = send(
        api_client_for(cast.alice), "post", f"/goals/{alices.public_id}/comments", {"body": "x"}
    )
    empty = send(
        api_client_for(cast.carol), "post", f"/goals/{alices.public_id}/comments", {"body": " "}
    )

    assert error(not_mine) == (404, "not_found")
    assert error(other_district) == (404, "not_found")
    assert error(educator) == (403, "permission_denied")
    assert error(empty) == (400, "body_required")
    assert not GoalComment.objects.exists()


# ---------------------------------------------------------------------------------------------
# plan
# ---------------------------------------------------------------------------------------------


def test_add_list_and_update_plan_items(cast, api_client_for, adopted):
    goal = GoalFactory(district=cast.district_a, educator=cast.alice, title="Talk moves")
    PlanItemFactory(district=cast.district_a, educator=cast.eve, title="Eve's")
    client = api_client_for(cast.alice)

    created = send(
        client,
        "post",
        "/me/plan",
        {
            "title": "Talk moves video",
            "kind": "video",
            "link": "https://example.org/v",
            "goal": str(goal.public_id),
        },
    )
    item_id = created.json()["id"]
    patched = send(client, "patch", f"/me/plan/{item_id}", {"status": "done"})
    listing = client.get(f"{API}/me/plan").json()

    assert created.status_code == 201
    assert created.json() == {
        "id": item_id,
        "title": "Talk moves video",
        "kind": "video",
        "link": "https://example.org/v",
        "goal": str(goal.public_id),
        "goal_title": "Talk moves",
        "status": "planned",
        "target_date": None,
    }
    assert patched.json()["status"] == "done"
    assert listing["count"] == 1
    assert [i["title"] for i in listing["items"]] == ["Talk moves video"]


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"kind": "podcast"}, 422, "validation_error"),
        ({"link": "javascript:alert(1)"}, 400, "invalid_link"),
        ({"goal": "6b1f5a44-1111-4a8e-9f0b-2f3c5d7e8a90"}, 400, "unknown_goal"),
        ({"target_date": "2001-01-01"}, 400, "target_date_in_past"),
    ],
)
def test_bad_plan_items_are_refused(cast, api_client_for, change, status, code):
    response = send(
        api_client_for(cast.alice), "post", "/me/plan", {"title": "T", "kind": "video", **change}
    )

    assert error(response) == (status, code)
    assert not PlanItem.objects.exists()


def test_someone_elses_plan_item_is_404(cast, api_client_for):
    item = PlanItemFactory(district=cast.district_a, educator=cast.alice)

    response = send(
        api_client_for(cast.eve), "patch", f"/me/plan/{item.public_id}", {"status": "done"}
    )

    assert error(response) == (404, "not_found")


# ---------------------------------------------------------------------------------------------
# observations import
# ---------------------------------------------------------------------------------------------

CSV = (
    "educator_email,competency_code,rating,observed_on,observer_role,observer_name\n"
    "alice@northfield.test,1.1,3,2025-03-14,principal,Pat Park\n"
)


def test_import_observations_as_csv_body_and_as_multipart(cast, api_client_for, adopted):
    client = api_client_for(cast.dana)

    dry = client.post(f"{API}/observations/import?dry_run=true", data=CSV, content_type="text/csv")
    real = client.post(
        f"{API}/observations/import",
        data={"file": SimpleUploadedFile("o.csv", CSV.encode(), content_type="text/csv")},
    )
    again = client.post(f"{API}/observations/import", data=CSV, content_type="text/csv")

    assert dry.status_code == 200
    assert dry.json()["dry_run"] is True
    assert dry.json()["created"] == 0
    assert dry.json()["new"] == [
        {
            "row": 2,
            "educator_email": "alice@northfield.test",
            "competency": str(adopted.competencies[0].public_id),
            "competency_code": "1.1",
            "rating": 3,
            "observed_on": "2025-03-14",
            "observer_role": "principal",
            "observer_name": "Pat Park",
        }
    ]
    assert real.status_code == 201
    assert real.json()["created"] == 1
    assert again.status_code == 200
    assert (again.json()["created"], again.json()["already_imported"]) == (0, 1)
    assert ObservationRating.objects.count() == 1


def test_an_import_with_bad_rows_is_400_with_every_row_error(cast, api_client_for, adopted):
    client = api_client_for(cast.dana)
    bad = CSV + "nobody@northfield.test,1.1,3,2025-03-14,principal,\n"

    dry = client.post(f"{API}/observations/import?dry_run=true", data=bad, content_type="text/csv")
    real = client.post(f"{API}/observations/import", data=bad, content_type="text/csv")

    assert dry.status_code == 200
    assert dry.json()["errors"] == [
        {
            "row": 3,
            "column": "educator_email",
            "message": "No one with the e-mail nobody@northfield.test works in this district.",
        }
    ]
    assert real.status_code == 400
    assert real.json()["error"]["code"] == "invalid_rows"
    assert real.json()["error"]["message"] == "Nothing was imported: 1 problem(s) in the file."
    assert real.json()["error"]["details"]["errors"] == dry.json()["errors"]
    assert not ObservationRating.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("alice", 403), ("carol", 403), ("bea", 400)])
def test_only_admins_of_an_adopting_district_import(cast, api_client_for, adopted, who, status):
    response = api_client_for(getattr(cast, who)).post(
        f"{API}/observations/import", data=CSV, content_type="text/csv"
    )

    assert response.status_code == status
    assert not ObservationRating.objects.exists()


def test_a_multipart_upload_without_the_file_field_is_refused(cast, api_client_for, adopted):
    response = api_client_for(cast.dana).post(f"{API}/observations/import", data={"other": "x"})

    assert error(response) == (400, "file_required")
