"""The JSON API at /api/v1/: tokens, the caller, schools, people, invitations, the audit log."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from trellis.accounts.models import ApiToken, LoginFailure
from trellis.accounts.services import create_api_token
from trellis.accounts.tests.factories import TEST_PASSWORD
from trellis.audit import services as audit
from trellis.audit.models import AuditEvent
from trellis.districts.models import Invitation
from trellis.districts.tests.factories import MembershipFactory
from trellis.districts.tests.helpers import add_people, make_invitation, snapshot, tokens_in

CAST = ["alice", "carol", "ada", "pat", "dana", "eve", "bob", "bea"]


def post_json(client: Client, url: str, body: object, **extra: str):
    return client.post(url, json.dumps(body), content_type="application/json", **extra)


def error(response) -> dict:
    """The one error shape: {"error": {"code", "message", "details"}}, and nothing else."""
    body = response.json()
    assert list(body) == ["error"]
    assert sorted(body["error"]) == ["code", "details", "message"]
    assert isinstance(body["error"]["message"], str)
    assert body["error"]["message"]
    return body["error"]


def bearer(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


# ---------------------------------------------------------------------------------------------
# POST /api/v1/auth/token
# ---------------------------------------------------------------------------------------------


def test_valid_credentials_give_a_token_that_works(cast):
    response = post_json(
        Client(),
        "/api/v1/auth/token",
        {"email": " Alice@Northfield.test ", "password": TEST_PASSWORD},
    )

    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["token"]
    assert body["token"].startswith("trl_")
    me = bearer(body["token"]).get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["email"] == "alice@northfield.test"
    token = ApiToken.objects.get(user=cast.alice)
    assert token.name.startswith("API sign-in ")
    event = AuditEvent.objects.filter(action="accounts.login").get()
    assert (event.actor, event.data) == (cast.alice, {"channel": "api"})


@pytest.mark.parametrize(
    "body",
    [
        {"email": "alice@northfield.test", "password": "wrong password"},
        {"email": "nobody@northfield.test", "password": TEST_PASSWORD},
        {"email": "", "password": ""},
    ],
    ids=["wrong-password", "unknown-email", "blank"],
)
def test_wrong_credentials_get_400_invalid_credentials_and_no_token(cast, body):
    response = post_json(Client(), "/api/v1/auth/token", body)

    assert response.status_code == 400
    assert error(response) == {
        "code": "invalid_credentials",
        "message": "That e-mail and password do not match an active account.",
        "details": {},
    }
    assert ApiToken.objects.count() == 0


def test_an_inactive_account_gets_no_token(cast):
    cast.alice.is_active = False
    cast.alice.save()

    response = post_json(
        Client(),
        "/api/v1/auth/token",
        {"email": "alice@northfield.test", "password": TEST_PASSWORD},
    )

    assert response.status_code == 400
    assert error(response)["code"] == "invalid_credentials"


def test_too_many_failures_are_throttled_with_429_even_with_the_right_password(cast, settings):
    client = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = post_json(
            client, "/api/v1/auth/token", {"email": "alice@northfield.test", "password": "nope"}
        )
        assert response.status_code == 400

    response = post_json(
        client, "/api/v1/auth/token", {"email": "alice@northfield.test", "password": TEST_PASSWORD}
    )

    assert response.status_code == 429
    assert error(response) == {
        "code": "too_many_attempts",
        "message": "Too many failed sign-in attempts for this account. "
        "Wait 15 minutes or reset your password.",
        "details": {},
    }
    assert ApiToken.objects.count() == 0
    assert LoginFailure.objects.filter(email="alice@northfield.test").count() == 5


def test_the_throttle_is_per_account(cast, settings):
    client = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        post_json(client, "/api/v1/auth/token", {"email": "alice@northfield.test", "password": "x"})

    response = post_json(
        client, "/api/v1/auth/token", {"email": "carol@northfield.test", "password": TEST_PASSWORD}
    )

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (
            {"email": "alice@northfield.test"},
            [{"field": "payload.password", "message": "Field required"}],
        ),
        (
            {"email": 12, "password": TEST_PASSWORD},
            [{"field": "payload.email", "message": "Input should be a valid string"}],
        ),
        (
            {"email": "a" * 255, "password": TEST_PASSWORD},
            [{"field": "payload.email", "message": "String should have at most 254 characters"}],
        ),
        (
            [],
            [
                {"field": "payload.email", "message": "Field required"},
                {"field": "payload.password", "message": "Field required"},
            ],
        ),
    ],
    ids=["missing-password", "email-not-a-string", "email-too-long", "not-an-object"],
)
def test_a_malformed_token_request_gets_422_with_the_fields_at_fault(cast, body, fields):
    response = post_json(Client(), "/api/v1/auth/token", body)

    assert response.status_code == 422
    err = error(response)
    assert err["code"] == "validation_error"
    assert err["details"] == {"fields": fields}
    assert err["message"] == "; ".join(f"{f['field']}: {f['message']}" for f in fields)
    assert ApiToken.objects.count() == 0


def test_a_token_request_body_that_is_not_json_gets_400_in_the_error_shape(cast):
    response = Client().post("/api/v1/auth/token", "email=alice", content_type="application/json")

    assert response.status_code == 400
    assert error(response) == {
        "code": "bad_request",
        "message": "Cannot parse request body",
        "details": {},
    }


def test_the_token_endpoint_accepts_only_post(cast):
    response = Client().get("/api/v1/auth/token")

    assert response.status_code == 405


# ---------------------------------------------------------------------------------------------
# GET /api/v1/me and authentication
# ---------------------------------------------------------------------------------------------


def test_me_with_a_bearer_token_describes_the_caller(cast, api_client_for):
    response = api_client_for(cast.carol).get("/api/v1/me")

    assert response.status_code == 200
    assert response.json() == {
        "id": str(cast.carol.public_id),
        "email": "carol@northfield.test",
        "full_name": "Carol Cruz",
        "preferred_name": "",
        "districts": [
            {
                "district_id": str(cast.district_a.public_id),
                "district": "Northfield",
                "district_slug": "northfield",
                "roles": ["coach", "educator"],
                "current": True,
            }
        ],
    }


def test_me_lists_every_district_and_the_header_chooses_the_current_one(cast, api_client_for):
    MembershipFactory(user=cast.carol, district=cast.district_b, role="assessor")
    client = api_client_for(cast.carol)

    default = client.get("/api/v1/me").json()["districts"]
    by_slug = client.get("/api/v1/me", HTTP_X_TRELLIS_DISTRICT="southport").json()["districts"]
    by_id = client.get("/api/v1/me", HTTP_X_TRELLIS_DISTRICT=str(cast.district_b.public_id)).json()[
        "districts"
    ]

    assert [(d["district_slug"], d["roles"], d["current"]) for d in default] == [
        ("northfield", ["coach", "educator"], True),
        ("southport", ["assessor"], False),
    ]
    assert [d["current"] for d in by_slug] == [False, True]
    assert by_id == by_slug


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_AUTHORIZATION": "Bearer trl_not-a-real-token"},
        {"HTTP_AUTHORIZATION": "Basic abc"},
    ],
    ids=["no-token", "unknown-token", "wrong-scheme"],
)
def test_me_without_a_valid_token_gets_401_in_the_error_shape(cast, headers):
    response = Client(**headers).get("/api/v1/me")

    assert response.status_code == 401
    assert error(response) == {
        "code": "not_authenticated",
        "message": "Send a valid token: Authorization: Bearer <token>.",
        "details": {},
    }


def test_a_revoked_token_gets_401(cast):
    token, secret = create_api_token(user=cast.alice, name="laptop")
    assert bearer(secret).get("/api/v1/me").status_code == 200
    token.revoked_at = timezone.now()
    token.save()

    response = bearer(secret).get("/api/v1/me")

    assert response.status_code == 401
    assert error(response)["code"] == "not_authenticated"


def test_an_expired_token_gets_401(cast, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC), tick=False)
    _token, secret = create_api_token(
        user=cast.alice, name="short", expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    assert bearer(secret).get("/api/v1/me").status_code == 200
    time_machine.move_to(dt.datetime(2026, 3, 2, 13, 0, 1, tzinfo=dt.UTC), tick=False)

    assert bearer(secret).get("/api/v1/me").status_code == 401


def test_the_token_of_a_deactivated_person_gets_401(cast, api_client_for):
    client = api_client_for(cast.alice)
    cast.alice.is_active = False
    cast.alice.save()

    assert client.get("/api/v1/me").status_code == 401


def test_a_signed_in_browser_session_can_read_the_api(cast):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.alice, backend="trellis.accounts.backends.EmailBackend")

    response = browser.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["email"] == "alice@northfield.test"


def test_a_browser_session_post_without_the_csrf_token_is_refused(cast):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.alice, backend="trellis.accounts.backends.EmailBackend")
    before = snapshot()

    response = post_json(browser, "/api/v1/me/tokens", {"name": "sneaky"})

    assert response.status_code == 403
    assert error(response) == {
        "code": "permission_denied",
        "message": "CSRF check Failed",
        "details": {},
    }
    assert snapshot() == before


def test_a_browser_session_post_with_the_csrf_token_is_accepted(cast):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.alice, backend="trellis.accounts.backends.EmailBackend")
    csrf = "a" * 32  # the cookie a page would have set, and the same secret in the header
    browser.cookies["csrftoken"] = csrf

    response = post_json(
        browser, "/api/v1/me/tokens", {"name": "from the page"}, HTTP_X_CSRFTOKEN=csrf
    )

    assert response.status_code == 201


def test_a_bearer_token_needs_no_csrf_token(cast):
    _token, secret = create_api_token(user=cast.alice, name="script")
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {secret}")

    response = post_json(client, "/api/v1/me/tokens", {"name": "another"})

    assert response.status_code == 201


# ---------------------------------------------------------------------------------------------
# OpenAPI
# ---------------------------------------------------------------------------------------------


def test_the_openapi_document_is_public_json_listing_every_endpoint(db):
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Trellis API"
    assert {
        "/api/v1/auth/token",
        "/api/v1/me",
        "/api/v1/me/tokens",
        "/api/v1/me/tokens/{token_id}/revoke",
        "/api/v1/schools",
        "/api/v1/people",
        "/api/v1/people/{person_id}",
        "/api/v1/invitations",
        "/api/v1/invitations/{invitation_id}/revoke",
        "/api/v1/audit-events",
    } <= set(document["paths"])
    assert "security" not in document["paths"]["/api/v1/auth/token"]["post"]
    assert document["paths"]["/api/v1/me"]["get"]["security"] == [
        {"BearerToken": []},
        {"SessionWithCsrf": []},
    ]


# ---------------------------------------------------------------------------------------------
# /api/v1/me/tokens
# ---------------------------------------------------------------------------------------------


def test_a_person_lists_only_their_own_tokens(cast):
    create_api_token(user=cast.alice, name="laptop")
    create_api_token(user=cast.eve, name="eve's")
    _token, secret = create_api_token(user=cast.alice, name="phone")

    response = bearer(secret).get("/api/v1/me/tokens")

    assert response.status_code == 200
    body = response.json()
    assert sorted(t["name"] for t in body) == ["laptop", "phone"]
    assert sorted(body[0]) == [
        "active",
        "created_at",
        "id",
        "last_used_at",
        "name",
        "prefix",
        "revoked_at",
    ]
    assert all(t["active"] for t in body)
    assert not any(secret in json.dumps(t) for t in body)


def test_creating_a_named_token_returns_its_secret_once(cast, api_client_for):
    response = post_json(api_client_for(cast.alice), "/api/v1/me/tokens", {"name": "SIS sync"})

    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("trl_")
    assert body["details"]["name"] == "SIS sync"
    assert body["details"]["prefix"] == body["token"][:10]
    assert body["details"]["active"] is True
    assert bearer(body["token"]).get("/api/v1/me").json()["email"] == "alice@northfield.test"


@pytest.mark.parametrize(
    ("body", "field"),
    [({"name": ""}, "payload.name"), ({"name": "x" * 81}, "payload.name"), ({}, "payload.name")],
    ids=["blank", "too-long", "missing"],
)
def test_a_bad_token_name_gets_422_and_creates_nothing(cast, api_client_for, body, field):
    client = api_client_for(cast.alice)
    before = ApiToken.objects.count()

    response = post_json(client, "/api/v1/me/tokens", body)

    assert response.status_code == 422
    assert [f["field"] for f in error(response)["details"]["fields"]] == [field]
    assert ApiToken.objects.count() == before


def test_a_blank_looking_token_name_is_refused_by_the_service(cast, api_client_for):
    client = api_client_for(cast.alice)
    before = ApiToken.objects.count()

    response = post_json(client, "/api/v1/me/tokens", {"name": "   "})

    assert response.status_code == 400
    assert error(response)["code"] == "name_required"
    assert ApiToken.objects.count() == before


def test_revoking_a_token_stops_it_and_a_second_revoke_is_a_conflict(cast, api_client_for):
    client = api_client_for(cast.alice)
    token, secret = create_api_token(user=cast.alice, name="old laptop")

    first = client.post(f"/api/v1/me/tokens/{token.public_id}/revoke")
    second = client.post(f"/api/v1/me/tokens/{token.public_id}/revoke")

    assert first.status_code == 200
    assert first.json()["active"] is False
    assert first.json()["revoked_at"] is not None
    assert bearer(secret).get("/api/v1/me").status_code == 401
    assert second.status_code == 409
    assert error(second) == {
        "code": "already_revoked",
        "message": "This token was already revoked.",
        "details": {},
    }


@pytest.mark.parametrize("owner", ["eve", "bob"])
def test_someone_elses_token_is_a_404_and_stays_active(cast, api_client_for, owner):
    token, secret = create_api_token(user=getattr(cast, owner), name="theirs")

    response = api_client_for(cast.alice).post(f"/api/v1/me/tokens/{token.public_id}/revoke")

    assert response.status_code == 404
    assert error(response)["code"] == "not_found"
    token.refresh_from_db()
    assert token.revoked_at is None
    assert bearer(secret).get("/api/v1/me").status_code == 200


def test_a_token_id_that_is_not_a_uuid_gets_422(cast, api_client_for):
    response = api_client_for(cast.alice).post("/api/v1/me/tokens/123/revoke")

    assert response.status_code == 422
    assert error(response)["code"] == "validation_error"


# ---------------------------------------------------------------------------------------------
# /api/v1/schools
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "names"),
    [
        ("alice", ["Northfield Elementary", "Northfield Middle"]),
        ("dana", ["Northfield Elementary", "Northfield Middle"]),
        ("bob", ["Southport High"]),
    ],
)
def test_schools_are_those_of_the_callers_district(cast, api_client_for, who, names):
    response = api_client_for(getattr(cast, who)).get("/api/v1/schools")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(names)
    assert [s["name"] for s in body["items"]] == names


def test_a_school_has_a_public_id_name_and_grades(cast, api_client_for):
    body = api_client_for(cast.bob).get("/api/v1/schools").json()

    assert body == {
        "items": [
            {"id": str(cast.school_b.public_id), "name": "Southport High", "grade_span": "9-12"}
        ],
        "count": 1,
    }


# ---------------------------------------------------------------------------------------------
# /api/v1/people
# ---------------------------------------------------------------------------------------------


def test_an_admin_lists_the_people_of_the_district_with_their_roles(cast, api_client_for):
    response = api_client_for(cast.dana).get("/api/v1/people")

    assert response.status_code == 200
    body = response.json()
    assert sorted(body) == ["count", "items"]
    assert body["count"] == 6
    assert [(p["email"], p["roles"]) for p in body["items"]] == [
        ("ada@northfield.test", ["assessor", "educator"]),
        ("alice@northfield.test", ["educator"]),
        ("carol@northfield.test", ["coach", "educator"]),
        ("dana@northfield.test", ["district_admin"]),
        ("eve@northfield.test", ["educator"]),
        ("pat@northfield.test", ["approver", "educator"]),
    ]
    assert body["items"][0] == {
        "id": str(cast.ada.public_id),
        "email": "ada@northfield.test",
        "full_name": "Ada Abbott",
        "roles": ["assessor", "educator"],
    }


@pytest.mark.parametrize("who", ["pat", "carol"])
def test_a_principal_or_coach_lists_only_their_schools_people(cast, api_client_for, who):
    body = api_client_for(getattr(cast, who)).get("/api/v1/people").json()

    assert body["count"] == 3
    assert [p["email"] for p in body["items"]] == [
        "alice@northfield.test",
        "carol@northfield.test",
        "pat@northfield.test",
    ]


def test_people_are_paged_with_limit_and_offset(cast, api_client_for):
    add_people(cast.district_a, 14)
    client = api_client_for(cast.dana)

    page = client.get("/api/v1/people?limit=5&offset=3").json()
    tail = client.get("/api/v1/people?limit=5&offset=18").json()
    beyond = client.get("/api/v1/people?limit=5&offset=100").json()

    assert page["count"] == 20
    assert [p["email"] for p in page["items"]] == [
        "dana@northfield.test",
        "eve@northfield.test",
        "pat@northfield.test",
        "extra000@northfield.test",
        "extra001@northfield.test",
    ]
    assert [p["email"] for p in tail["items"]] == [
        "extra012@northfield.test",
        "extra013@northfield.test",
    ]
    assert beyond == {"items": [], "count": 20}


@pytest.mark.parametrize("query", ["limit=0", "limit=-1", "offset=-1", "limit=abc"])
def test_bad_paging_values_get_422(cast, api_client_for, query):
    response = api_client_for(cast.dana).get(f"/api/v1/people?{query}")

    assert response.status_code == 422
    assert error(response)["code"] == "validation_error"


@pytest.mark.parametrize(
    ("query", "emails"),
    [
        ("role=coach", ["carol@northfield.test"]),
        ("q=EVE", ["eve@northfield.test"]),
        ("school={elementary}", ["ada@northfield.test", "eve@northfield.test"]),
        ("school={elementary}&role=assessor", ["ada@northfield.test"]),
        ("q=nobody", []),
    ],
)
def test_people_can_be_filtered_by_role_school_and_text(cast, api_client_for, query, emails):
    url = "/api/v1/people?" + query.format(elementary=cast.elementary_a.public_id)

    body = api_client_for(cast.dana).get(url).json()

    assert [p["email"] for p in body["items"]] == emails
    assert body["count"] == len(emails)


def test_a_school_filter_of_another_district_gets_404(cast, api_client_for):
    response = api_client_for(cast.dana).get(f"/api/v1/people?school={cast.school_b.public_id}")

    assert response.status_code == 404
    assert error(response) == {"code": "not_found", "message": "No such school.", "details": {}}


def test_an_unknown_role_filter_gets_422(cast, api_client_for):
    response = api_client_for(cast.dana).get("/api/v1/people?role=wizard")

    assert response.status_code == 422
    assert error(response)["details"]["fields"][0]["field"] == "role"


@pytest.mark.parametrize("who", ["alice", "ada", "eve", "bob"])
def test_people_are_forbidden_to_educators_and_assessors(cast, api_client_for, who):
    response = api_client_for(getattr(cast, who)).get("/api/v1/people")

    assert response.status_code == 403
    assert error(response) == {
        "code": "permission_denied",
        "message": "You do not have permission to do that.",
        "details": {},
    }


@pytest.mark.parametrize(
    ("who", "target", "status"),
    [
        ("dana", "eve", 200),
        ("pat", "alice", 200),
        ("pat", "eve", 404),
        ("dana", "bob", 404),
        ("bea", "dana", 404),
    ],
)
def test_one_person_is_found_only_within_what_the_caller_may_see(
    cast, api_client_for, who, target, status
):
    person = getattr(cast, target)

    response = api_client_for(getattr(cast, who)).get(f"/api/v1/people/{person.public_id}")

    assert response.status_code == status
    if status == 200:
        assert response.json()["email"] == person.email
    else:
        assert error(response) == {
            "code": "not_found",
            "message": "No such person.",
            "details": {},
        }


def test_the_people_list_costs_the_same_queries_for_any_page_size(
    cast, api_client_for, django_assert_max_num_queries
):
    add_people(cast.district_a, 60)
    client = api_client_for(cast.dana)

    for limit in (5, 50):
        with django_assert_max_num_queries(7):
            body = client.get(f"/api/v1/people?limit={limit}").json()
        assert len(body["items"]) == limit


# ---------------------------------------------------------------------------------------------
# /api/v1/invitations
# ---------------------------------------------------------------------------------------------


def test_an_admin_creates_an_invitation_and_it_is_emailed(
    cast, api_client_for, django_capture_on_commit_callbacks, mailoutbox
):
    client = api_client_for(cast.dana)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(
            client,
            "/api/v1/invitations",
            {
                "email": "Maria@Example.org",
                "roles": ["coach", "educator"],
                "full_name": "Maria Lopez",
                "school": str(cast.middle_a.public_id),
            },
        )

    assert response.status_code == 201
    body = response.json()
    invitation = Invitation.objects.get()
    assert body["id"] == str(invitation.public_id)
    assert (body["email"], body["full_name"], body["roles"], body["status"]) == (
        "maria@example.org",
        "Maria Lopez",
        ["educator", "coach"],
        "pending",
    )
    assert body["accepted_at"] is None
    assert invitation.school == cast.middle_a
    assert invitation.invited_by == cast.dana
    assert [m.to for m in mailoutbox] == [["maria@example.org"]]
    assert len(tokens_in(mailoutbox)) == 1
    assert AuditEvent.objects.filter(action="districts.invitation_sent").count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "x@example.org", "roles": []}, "payload.roles"),
        ({"email": "x@example.org", "roles": ["wizard"]}, "payload.roles.0"),
        ({"roles": ["educator"]}, "payload.email"),
        ({"email": "x@example.org"}, "payload.roles"),
        ({"email": "x@example.org", "roles": ["educator"], "school": "nope"}, "payload.school"),
    ],
    ids=["no-roles", "unknown-role", "no-email", "roles-missing", "school-not-a-uuid"],
)
def test_an_invalid_invitation_gets_422_and_nothing_is_written(
    cast, api_client_for, django_capture_on_commit_callbacks, body, field
):
    client = api_client_for(cast.dana)
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post_json(client, "/api/v1/invitations", body)

    assert response.status_code == 422
    err = error(response)
    assert err["code"] == "validation_error"
    assert [f["field"] for f in err["details"]["fields"]] == [field]
    assert callbacks == []
    assert snapshot() == before


def test_an_invitation_to_a_bad_address_gets_400_invalid_email(cast, api_client_for):
    client = api_client_for(cast.dana)
    before = snapshot()

    response = post_json(client, "/api/v1/invitations", {"email": "nope", "roles": ["educator"]})

    assert response.status_code == 400
    assert error(response) == {
        "code": "invalid_email",
        "message": "“nope” is not a valid e-mail address.",
        "details": {},
    }
    assert snapshot() == before


@pytest.mark.parametrize(
    ("email", "code", "message"),
    [
        (
            "alice@northfield.test",
            "already_member",
            "alice@northfield.test is already a member of Northfield.",
        ),
        (
            "pending@example.org",
            "already_invited",
            "pending@example.org already has a pending invitation. Resend it instead.",
        ),
    ],
)
def test_inviting_a_member_or_someone_already_invited_is_a_409_conflict(
    cast, api_client_for, django_capture_on_commit_callbacks, email, code, message
):
    make_invitation(cast.district_a, "pending@example.org")
    client = api_client_for(cast.dana)
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post_json(client, "/api/v1/invitations", {"email": email, "roles": ["coach"]})

    assert response.status_code == 409
    assert error(response) == {"code": code, "message": message, "details": {}}
    assert callbacks == []
    assert snapshot() == before


def test_an_invitation_to_another_districts_school_gets_404(cast, api_client_for):
    client = api_client_for(cast.dana)
    before = snapshot()

    response = post_json(
        client,
        "/api/v1/invitations",
        {"email": "x@example.org", "roles": ["educator"], "school": str(cast.school_b.public_id)},
    )

    assert response.status_code == 404
    assert error(response)["code"] == "not_found"
    assert snapshot() == before


@pytest.mark.parametrize("who", ["alice", "pat", "carol", "ada"])
def test_only_admins_may_list_create_or_revoke_invitations(cast, api_client_for, who):
    invitation, _secret = make_invitation(cast.district_a, "x@example.org")
    client = api_client_for(getattr(cast, who))
    before = snapshot()

    responses = [
        client.get("/api/v1/invitations"),
        post_json(client, "/api/v1/invitations", {"email": "y@example.org", "roles": ["educator"]}),
        client.post(f"/api/v1/invitations/{invitation.public_id}/revoke"),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403]
    assert {error(r)["code"] for r in responses} == {"permission_denied"}
    assert snapshot() == before


def test_an_admin_lists_invitations_filtered_by_status(cast, api_client_for):
    make_invitation(cast.district_a, "pending@example.org")
    make_invitation(cast.district_a, "revoked@example.org", status=Invitation.Status.REVOKED)
    make_invitation(cast.district_b, "south@example.org")
    client = api_client_for(cast.dana)

    everything = client.get("/api/v1/invitations").json()
    revoked = client.get("/api/v1/invitations?status=revoked").json()
    bad = client.get("/api/v1/invitations?status=bogus")

    assert everything["count"] == 2
    assert sorted(i["email"] for i in everything["items"]) == [
        "pending@example.org",
        "revoked@example.org",
    ]
    assert [i["email"] for i in revoked["items"]] == ["revoked@example.org"]
    assert bad.status_code == 422


def test_an_admin_revokes_an_invitation_and_a_second_revoke_is_a_conflict(cast, api_client_for):
    invitation, _secret = make_invitation(cast.district_a, "x@example.org")
    client = api_client_for(cast.dana)

    first = client.post(f"/api/v1/invitations/{invitation.public_id}/revoke")
    second = client.post(f"/api/v1/invitations/{invitation.public_id}/revoke")

    assert first.status_code == 200
    assert first.json()["status"] == "revoked"
    assert second.status_code == 409
    assert error(second) == {
        "code": "not_pending",
        "message": "This invitation is already revoked.",
        "details": {},
    }


def test_revoking_another_districts_invitation_is_a_404_and_changes_nothing(cast, api_client_for):
    invitation, _secret = make_invitation(cast.district_b, "south@example.org")
    client = api_client_for(cast.dana)
    before = snapshot()

    response = client.post(f"/api/v1/invitations/{invitation.public_id}/revoke")

    assert response.status_code == 404
    assert error(response) == {
        "code": "not_found",
        "message": "No such invitation.",
        "details": {},
    }
    assert snapshot() == before


# ---------------------------------------------------------------------------------------------
# /api/v1/audit-events
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"), [(w, 200 if w in {"dana", "bea"} else 403) for w in CAST]
)
def test_the_audit_log_is_for_district_admins_only(cast, api_client_for, who, status):
    response = api_client_for(getattr(cast, who)).get("/api/v1/audit-events")

    assert response.status_code == status
    if status == 403:
        assert error(response)["code"] == "permission_denied"


def test_the_audit_log_shows_this_districts_events_newest_first(cast, api_client_for, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC), tick=False)
    audit.record(action="test.north", summary="north 1", actor=cast.dana, district=cast.district_a)
    audit.record(action="test.south", summary="south 1", actor=cast.bea, district=cast.district_b)
    time_machine.move_to(dt.datetime(2026, 3, 3, 12, 0, tzinfo=dt.UTC), tick=False)
    audit.record(
        action="test.north",
        summary="north 2",
        actor=cast.alice,
        district=cast.district_a,
        data={"n": 2},
    )
    client = api_client_for(cast.dana)  # its token_created event is dated 2026-03-03 too

    everything = client.get("/api/v1/audit-events?action=test.north").json()
    by_actor = client.get("/api/v1/audit-events?actor=ALICE").json()
    until = client.get("/api/v1/audit-events?until=2026-03-02").json()
    bad = client.get("/api/v1/audit-events?since=yesterday")

    assert [e["summary"] for e in everything["items"]] == ["north 2", "north 1"]
    assert everything["items"][0] == {
        "id": everything["items"][0]["id"],
        "created_at": "2026-03-03T12:00:00Z",
        "actor": "alice@northfield.test",
        "action": "test.north",
        "summary": "north 2",
        "target_type": "",
        "target_id": "",
        "data": {"n": 2},
    }
    assert [e["summary"] for e in by_actor["items"]] == ["north 2"]
    assert [e["summary"] for e in until["items"]] == ["north 1"]
    assert bad.status_code == 422


# ---------------------------------------------------------------------------------------------
# choosing the district
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/api/v1/schools", "/api/v1/people", "/api/v1/invitations", "/api/v1/audit-events"]
)
@pytest.mark.parametrize(
    "header", ["southport", "no-such-district", "6f1c1e0e-0000-4000-8000-000000000000"]
)
def test_naming_a_district_the_caller_is_not_in_gets_400_no_district(
    cast, api_client_for, url, header
):
    response = api_client_for(cast.dana).get(url, HTTP_X_TRELLIS_DISTRICT=header)

    assert response.status_code == 400
    assert error(response) == {
        "code": "no_district",
        "message": "You have no role in the district you asked for. "
        "Check the X-Trellis-District header.",
        "details": {},
    }


def test_naming_a_district_by_slug_or_id_chooses_it(cast, api_client_for):
    MembershipFactory(user=cast.bea, district=cast.district_a, role="educator")
    client = api_client_for(cast.bea)

    default = client.get("/api/v1/schools").json()
    north = client.get("/api/v1/schools", HTTP_X_TRELLIS_DISTRICT="northfield").json()
    north_people = client.get("/api/v1/people", HTTP_X_TRELLIS_DISTRICT="northfield")
    south = client.get(
        "/api/v1/schools", HTTP_X_TRELLIS_DISTRICT=str(cast.district_b.public_id)
    ).json()

    assert [s["name"] for s in default["items"]] == ["Northfield Elementary", "Northfield Middle"]
    assert [s["name"] for s in north["items"]] == ["Northfield Elementary", "Northfield Middle"]
    assert north_people.status_code == 403  # an educator in Northfield, an admin in Southport
    assert [s["name"] for s in south["items"]] == ["Southport High"]


def test_someone_with_no_district_gets_400_no_district_but_can_still_read_me(db):
    from trellis.accounts.models import User

    loner = User.objects.create_user("loner@example.org", "x" * 12, full_name="Lone Ranger")
    _token, secret = create_api_token(user=loner, name="t")
    client = bearer(secret)

    assert client.get("/api/v1/me").json()["districts"] == []
    response = client.get("/api/v1/schools")
    assert response.status_code == 400
    assert error(response)["code"] == "no_district"


# ---------------------------------------------------------------------------------------------
# every endpoint, every role: never a server error
# ---------------------------------------------------------------------------------------------


def _operations() -> list[tuple[str, str]]:
    document = Client().get("/api/v1/openapi.json").json()
    return [
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def _fill(path: str) -> str:
    out = path
    while "{" in out:
        start = out.index("{")
        out = out[:start] + str(uuid.uuid4()) + out[out.index("}", start) + 1 :]
    return out


@pytest.mark.parametrize("who", [*CAST, None])
def test_every_documented_operation_answers_every_role_without_a_server_error(
    cast, api_client_for, who
):
    client = api_client_for(getattr(cast, who)) if who else Client()
    operations = _operations()
    assert len(operations) >= 12

    failures = []
    for method, path in operations:
        url = _fill(path)
        for body in ({}, {"email": "walk@example.org", "roles": ["educator"], "name": "walk"}):
            response = client.generic(
                method,
                url,
                json.dumps(body) if method != "GET" else "",
                content_type="application/json",
            )
            if response.status_code >= 500:
                failures.append((method, url, response.status_code))
            if response.status_code >= 400 and response["Content-Type"].startswith(
                "application/json"
            ):
                error(response)
    assert failures == []
