"""The frameworks API: lists, items, CASE import (dry run and real) and export, tenancy."""

from __future__ import annotations

import json

import pytest

from trellis.frameworks import services
from trellis.frameworks.models import Framework
from trellis.frameworks.tests.helpers import (
    CCSS_SAMPLE,
    case_schema_errors,
    framework_snapshot,
    real_case_file,
)


@pytest.fixture
def library(db) -> tuple[Framework, Framework]:
    starter, learning_forward = services.ensure_library()
    return starter, learning_forward


def _post_case(client, data: bytes, query: str = ""):
    return client.post(
        f"/api/v1/frameworks/import{query}", data=data, content_type="application/json"
    )


def test_the_list_holds_the_library_and_the_districts_own_paginated(cast, api_client_for, library):
    ours = services.copy_framework(
        access=cast.access(cast.dana), actor=cast.dana, framework=library[0], title="Ours"
    )
    services.copy_framework(access=cast.access(cast.bea), actor=cast.bea, framework=library[0])

    body = api_client_for(cast.alice).get("/api/v1/frameworks?limit=2").json()

    assert body["count"] == 3
    assert [item["title"] for item in body["items"]] == [
        "Ours",
        "Learning Forward Standards for Professional Learning (2022)",
    ]
    assert body["items"][0] == {
        "id": str(ours.public_id),
        "title": "Ours",
        "description": library[0].description,
        "version": "2026.1",
        "source": "copy",
        "purpose": "educator_practice",
        "is_library": False,
        "is_adopted": False,
        "case_identifier": "",
        "case_version": "1.1",
        "item_count": 107,
    }
    filtered = api_client_for(cast.alice).get("/api/v1/frameworks?purpose=pd_quality").json()
    assert [item["title"] for item in filtered["items"]] == [
        "Learning Forward Standards for Professional Learning (2022)"
    ]


def test_a_framework_with_its_scale(cast, api_client_for, library):
    body = api_client_for(cast.bob).get(f"/api/v1/frameworks/{library[1].public_id}").json()

    assert body["title"] == "Learning Forward Standards for Professional Learning (2022)"
    assert body["purpose"] == "pd_quality"
    assert body["item_count"] == 14
    assert body["levels"][2] == {
        "value": 3,
        "label": "Evident",
        "description": "The offering clearly meets this standard.",
        "is_target": True,
    }


def test_competencies_are_a_flat_list_with_parent_ids_and_a_kind_filter(
    cast, api_client_for, library
):
    _, learning_forward = library
    client = api_client_for(cast.alice)

    all_items = client.get(f"/api/v1/frameworks/{learning_forward.public_id}/competencies").json()
    standards = client.get(
        f"/api/v1/frameworks/{learning_forward.public_id}/competencies?kind=standard&limit=3"
    ).json()

    assert all_items["count"] == 14
    groups = {i["id"]: i["title"] for i in all_items["items"] if i["parent_id"] is None}
    assert sorted(groups.values()) == [
        "Conditions for Success",
        "Rigorous Content for Each Learner",
        "Transformational Processes",
    ]
    assert standards["count"] == 11
    first = standards["items"][0]
    assert (first["code"], first["title"], first["kind"], first["depth"]) == (
        "1",
        "Equity Foundations",
        "standard",
        1,
    )
    assert groups[first["parent_id"]] == "Conditions for Success"


def test_another_districts_framework_is_a_404_in_the_one_error_shape(cast, api_client_for, library):
    theirs = services.copy_framework(
        access=cast.access(cast.bea), actor=cast.bea, framework=library[0]
    )
    client = api_client_for(cast.dana)
    for path in ("", "/competencies", "/case"):
        response = client.get(f"/api/v1/frameworks/{theirs.public_id}{path}")
        assert response.status_code == 404, path
        assert response.json() == {
            "error": {"code": "not_found", "message": "No such framework.", "details": {}}
        }


def test_the_case_export_validates(cast, api_client_for, library):
    response = api_client_for(cast.alice).get(f"/api/v1/frameworks/{library[0].public_id}/case")

    assert response.status_code == 200
    assert case_schema_errors(response.json()) == []
    assert response.json()["CFDocument"]["title"] == "Trellis Teaching Competencies"


def test_a_dry_run_import_returns_the_preview_and_writes_nothing(cast, api_client_for):
    client = api_client_for(cast.dana)
    before = framework_snapshot()
    response = _post_case(client, real_case_file(CCSS_SAMPLE), "?dry_run=true")

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "What Standards Could Be"
    assert (body["items_total"], body["items_created"], body["associations_kept"]) == (16, 16, 39)
    assert body["skipped"] == []
    assert body["updates_framework"] is None
    assert body["association_types"]["exactMatchOf"] == 16
    assert framework_snapshot() == before


def test_an_import_returns_201_with_the_framework_and_a_second_import_updates_it(
    cast, api_client_for
):
    client = api_client_for(cast.dana)
    first = _post_case(client, real_case_file(CCSS_SAMPLE), "?purpose=student_standards")

    assert first.status_code == 201
    body = first.json()
    assert body["created"] is True
    assert body["framework"]["title"] == "What Standards Could Be"
    assert body["framework"]["purpose"] == "student_standards"
    assert body["framework"]["item_count"] == 16
    assert body["report"]["items_created"] == 16

    second = _post_case(client, real_case_file(CCSS_SAMPLE))
    assert second.status_code == 201
    assert second.json()["created"] is False
    assert second.json()["framework"]["id"] == body["framework"]["id"]
    assert second.json()["report"]["items_updated"] == 16
    assert Framework.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (b"{oops", 400, "not_json"),
        (json.dumps({"CFDocument": {"title": "No id"}}).encode(), 400, "missing_identifier"),
        (b" " * (10 * 1024 * 1024 + 1), 413, "file_too_large"),
    ],
)
def test_bad_import_bodies_get_the_error_shape_and_write_nothing(
    cast, api_client_for, data, status, code
):
    client = api_client_for(cast.dana)
    before = framework_snapshot()
    response = _post_case(client, data)

    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert framework_snapshot() == before


@pytest.mark.parametrize("user", ["alice", "carol", "ada", "pat"])
def test_only_district_admins_may_import(cast, api_client_for, user):
    response = _post_case(api_client_for(getattr(cast, user)), real_case_file(CCSS_SAMPLE))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert Framework.objects.count() == 0


def test_the_openapi_document_lists_the_framework_routes(cast, api_client_for):
    paths = api_client_for(cast.alice).get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/frameworks",
        "/api/v1/frameworks/import",
        "/api/v1/frameworks/{framework_id}",
        "/api/v1/frameworks/{framework_id}/competencies",
        "/api/v1/frameworks/{framework_id}/case",
    ):
        assert path in paths, path
