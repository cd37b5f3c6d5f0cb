import uuid

import pytest

from trellis.microcredentials.services import definitions
from trellis.microcredentials.tests.authoring_setup import LEVELS_3, framework, ready_draft


@pytest.fixture
def world(cast):
    comps = framework(cast.district_a)
    access = cast.access(cast.dana)
    published = definitions.publish_version(
        access=access, actor=cast.dana, version=ready_draft(access, cast.dana, comps[0])
    )
    draft = ready_draft(access, cast.dana, comps[1], title="Talk moves")
    return cast, comps, published, draft


def test_list_is_paginated_and_filtered(world, api_client_for, django_assert_max_num_queries):
    cast, comps, published, _draft = world
    client = api_client_for(cast.alice)
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/micro-credentials").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == str(published.micro_credential.public_id)
    assert (item["title"], item["version"], item["credit_text"]) == (
        "Hinge questions",
        1,
        "15 clock hours",
    )
    assert [c["code"] for c in item["competencies"]] == ["1.1"]
    assert client.get("/api/v1/micro-credentials?q=zebra").json()["count"] == 0
    assert (
        client.get(f"/api/v1/micro-credentials?competency={comps[1].public_id}").json()["count"]
        == 0
    )
    bad = client.get("/api/v1/micro-credentials?competency=nope")
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid_filter"


def test_authors_list_only_published_versions_too(world, api_client_for):
    cast, *_ = world
    body = api_client_for(cast.dana).get("/api/v1/micro-credentials").json()
    assert [i["title"] for i in body["items"]] == ["Hinge questions"]


def test_detail_has_parts_and_criteria(world, api_client_for):
    cast, _comps, published, _draft = world
    body = (
        api_client_for(cast.alice)
        .get(f"/api/v1/micro-credentials/{published.micro_credential.public_id}")
        .json()
    )
    assert body["key_method"] == "Ask one diagnostic question at the hinge point of the lesson."
    assert [(p["position"], p["kind"], p["accepted_types"]) for p in body["parts"]] == [
        (1, "artifact", ["document"])
    ]
    assert body["parts"][0]["criteria"][0]["levels"] == LEVELS_3


def test_export_is_the_exchange_document(world, api_client_for):
    cast, _comps, published, _draft = world
    body = (
        api_client_for(cast.alice)
        .get(f"/api/v1/micro-credentials/{published.micro_credential.public_id}/export")
        .json()
    )
    assert body["format"] == "trellis.micro-credential/1"
    assert body["micro_credential"]["slug"] == "hinge-questions"


def test_drafts_other_districts_and_unknown_ids_are_not_found(world, api_client_for):
    cast, _comps, published, draft = world
    assert (
        api_client_for(cast.alice)
        .get(f"/api/v1/micro-credentials/{draft.micro_credential.public_id}")
        .status_code
        == 404
    )
    assert (
        api_client_for(cast.bob)
        .get(f"/api/v1/micro-credentials/{published.micro_credential.public_id}")
        .status_code
        == 404
    )
    assert (
        api_client_for(cast.alice).get(f"/api/v1/micro-credentials/{uuid.uuid4()}").status_code
        == 404
    )
    assert api_client_for(cast.alice).get("/api/v1/micro-credentials/not-a-uuid").status_code == 404
    response = api_client_for(cast.dana).get(
        f"/api/v1/micro-credentials/{draft.micro_credential.public_id}"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "not_published"
