"""POST /api/v1/people/{id}/erase: the page's service and checks, as JSON."""

from __future__ import annotations

import json

import pytest

from trellis.privacy.models import ErasureRecord
from trellis.privacy.tests.world import build

pytestmark = pytest.mark.django_db


def _post(client, person, body: dict):
    return client.post(
        f"/api/v1/people/{person.public_id}/erase",
        json.dumps(body),
        content_type="application/json",
    )


def test_an_admin_erases_and_gets_the_counts(
    cast, api_client_for, django_capture_on_commit_callbacks
) -> None:
    build(cast)

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            api_client_for(cast.dana),
            cast.alice,
            {"reason": "Request #41", "confirmation": "alice@northfield.test"},
        )

    assert response.status_code == 201
    body = response.json()
    record = ErasureRecord.objects.get()
    assert body["id"] == str(record.public_id)
    assert body["educator_id"] == str(cast.alice.public_id)
    assert body["account_deactivated"] is True
    assert body["counts"]["microcredentials.artifacts"] == 2
    assert sum(body["counts"].values()) == 35


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"confirmation": "alice@northfield.test"}, "reason_required"),
        ({"reason": "r", "confirmation": "bob@southport.test"}, "confirmation_mismatch"),
    ],
)
def test_a_refused_erasure_is_400_and_writes_nothing(cast, api_client_for, body, code) -> None:
    response = _post(api_client_for(cast.dana), cast.alice, body)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert ErasureRecord.objects.count() == 0


def test_others_are_refused_or_do_not_find_the_person(cast, api_client_for) -> None:
    body = {"reason": "r", "confirmation": "bob@southport.test"}

    assert _post(api_client_for(cast.pat), cast.alice, body).status_code == 403
    assert _post(api_client_for(cast.dana), cast.bob, body).status_code == 404
    assert ErasureRecord.objects.count() == 0
